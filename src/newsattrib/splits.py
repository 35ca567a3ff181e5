"""Splits by article, stratified by language, and the near-duplicate check between them."""
from __future__ import annotations

import random
import re
from collections import defaultdict

from .corpus import Article

NGRAM = 5
MAX_JACCARD = 0.5


def split_articles(articles: list[Article], fractions=(0.7, 0.15, 0.15), seed: int = 13,
                   assigned: dict[str, str] | None = None) -> dict[str, list[Article]]:
    """train / validation / test about 70/15/15 within each language; whole articles only.

    Articles already ``assigned`` (id -> split) stay where they are, so a growing corpus keeps its
    held-out articles held out; the others are split by the fractions.
    """
    assigned = assigned or {}
    by_lang = defaultdict(list)
    out = {"train": [], "validation": [], "test": []}
    for a in sorted(articles, key=lambda a: a.id):
        if a.id in assigned:
            out[assigned[a.id]].append(a)
        else:
            by_lang[a.lang].append(a)
    rng = random.Random(seed)
    for lang in sorted(by_lang):
        arts = by_lang[lang]
        rng.shuffle(arts)
        n_val, n_test = round(len(arts) * fractions[1]), round(len(arts) * fractions[2])
        out["test"] += arts[:n_test]
        out["validation"] += arts[n_test:n_test + n_val]
        out["train"] += arts[n_test + n_val:]
    return out


def shingles(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i:i + n]) for i in range(max(len(words) - n + 1, 1))}


def near_duplicates(held_out: list[Article], train: list[Article], threshold: float = MAX_JACCARD):
    """Pairs (held-out id, train id, Jaccard) whose word 5-gram Jaccard is at least ``threshold``."""
    train_sh = [(t.id, shingles(t.text)) for t in train]
    out = []
    for h in held_out:
        hs = shingles(h.text)
        for tid, ts in train_sh:
            j = len(hs & ts) / len(hs | ts) if hs | ts else 0.0
            if j >= threshold:
                out.append((h.id, tid, j))
    return out
