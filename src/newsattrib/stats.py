"""Counts that describe a corpus: what the data card shows and the corpus checks assert."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .corpus import CHAIN_LABELS, ENTITY_LABELS, Article


def corpus_stats(articles: list[Article]) -> dict:
    """Per language and overall: articles, words, mentions and distinct names per label, claims per class."""
    groups = defaultdict(list)
    for a in articles:
        groups[a.lang].append(a)
        groups["all"].append(a)
    out = {}
    for lang, arts in groups.items():
        words = [len(re.findall(r"\w+", a.text)) for a in arts]
        mentions, names, classes = Counter(), defaultdict(set), Counter()
        for a in arts:
            for e in a.entities:
                mentions[e.label] += 1
                names[e.label].add(a.text[e.start:e.end])
            classes.update(att.label for att in a.attributions)
        n_claims = sum(classes.values())
        out[lang] = {
            "articles": len(arts), "words_min": min(words), "words_max": max(words),
            "words_mean": round(sum(words) / len(words), 1),
            "mentions": {l: mentions[l] for l in ENTITY_LABELS},
            "distinct": {l: len(names[l]) for l in ENTITY_LABELS},
            "claims": n_claims,
            "classes": {c: classes[c] for c in CHAIN_LABELS},
            "class_share": {c: round(classes[c] / n_claims, 3) if n_claims else 0.0 for c in CHAIN_LABELS},
        }
    return out


def format_stats(stats: dict) -> str:
    langs = sorted(k for k in stats if k != "all") + ["all"]
    rows = [("articles", lambda s: s["articles"]),
            ("words min/mean/max", lambda s: f"{s['words_min']}/{s['words_mean']:.0f}/{s['words_max']}")]
    rows += [(f"{l} mentions (distinct)", lambda s, l=l: f"{s['mentions'][l]} ({s['distinct'][l]})")
             for l in ENTITY_LABELS]
    rows += [("claims", lambda s: s["claims"])]
    rows += [(c, lambda s, c=c: f"{s['classes'][c]} ({100 * s['class_share'][c]:.0f}%)") for c in CHAIN_LABELS]
    lines = [f"| {'':<30} | " + " | ".join(f"{l:>14}" for l in langs) + " |",
             "|" + "-" * 32 + "|" + "|".join("-" * 16 for _ in langs) + "|"]
    lines += [f"| {name:<30} | " + " | ".join(f"{str(get(stats[l])):>14}" for l in langs) + " |"
              for name, get in rows]
    return "\n".join(lines)
