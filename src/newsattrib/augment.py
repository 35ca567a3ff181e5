"""Label-preserving augmentation of training articles, drawn anew each epoch.

Four transforms, each mapping an ``Article`` to a new one whose entity and claim offsets are
shifted exactly (all through ``apply_edits``):

- ``quote_style``: every quotation region (``textunits.quotation_regions``) gets another pair of
  double marks from ``textunits.QUOTE_PAIRS``: ``"…"`` -> ``«…»`` / ``“…”`` / ``„…“``, repeated
  opening marks of continuing paragraphs included;
- ``capitals``: the headline (first line) or a random line in capitals;
- ``spacing``: spaces around punctuation as in tokenised text: ``150 тис. грн`` -> ``150 тис . грн``,
  ``«Назва»`` -> ``« Назва »`` (marks inside a word, ``Censor.NET``, ``п’ять``, ``1.5``, stay);
- ``reflow``: two paragraphs merged, or one split at a sentence boundary, never inside a quotation
  region, an entity or a claim, and only where a sentence ends, so no word changes sentence.

Every span keeps its text up to the transform (in capitals for ``capitals``; the same words for
``spacing``). A transform that would change the quotation regions of a text (other than moving
them) leaves the article as it was, so a DIRECT claim is always still a whole quotation region.

At training time (``training_dataset``) an article is augmented in an epoch with probability
``p``; each transform then applies with its own probability. The draw depends only on the seed,
the epoch and the article's index, so runs are reproducible, resumed runs see the same articles
and any number of processes agree. With ``p: 0`` the training set is exactly ``to_dataset``'s.
"""
from __future__ import annotations

import bisect
import random
import re
import unicodedata
from dataclasses import replace
from typing import Callable

import torch.utils.data
from transformers import TrainerCallback

from .corpus import Article, _splits_character
from .errors import NewsAttribError
from .schema import NEWS, Schema
from .textunits import (PARAGRAPH_BREAK, QUOTE_MARKS, QUOTE_PAIRS, SENTENCE_END, Quote, quotation_regions,
                        quote_claim_span, words_of)
from .features import featurize

PUNCT = re.compile(r"[^\w\s]")
Edit = tuple[int, int, str]  # replace text[start:end] by the string

# double quotation styles (opening mark, its first closing mark) of the mark table
STYLES = tuple((o, c[0]) for o, c in QUOTE_PAIRS.items()
               if not any(w in unicodedata.name(o) for w in ("SINGLE", "APOSTROPHE")))
TRANSFORMS = ("reflow", "quotes", "capitals", "spacing")  # the order they are applied in


class PositionMap:
    """Old text positions -> new ones after a set of edits.

    A span *starting* at a position where text was inserted starts after the insertion, a span
    *ending* there ends before it; a replaced stretch maps its edges to the replacement's edges.
    A span edge strictly inside a replaced stretch has no image: ``ValueError``.
    """

    def __init__(self, edits: list[Edit]):
        self.edits = edits
        self.ends = [e for _, e, _ in edits]
        self.shift = [0]  # shift[k]: total length change of edits[:k]
        for s, e, r in edits:
            self.shift.append(self.shift[-1] + len(r) - (e - s))

    def _map(self, pos: int, after_insertions: bool) -> int:
        k = bisect.bisect_left(self.ends, pos)  # edits[:k] end before pos
        while k < len(self.edits) and self.edits[k][1] == pos and (self.edits[k][0] < pos or after_insertions):
            k += 1
        if k < len(self.edits) and self.edits[k][0] < pos:
            raise ValueError(f"position {pos} lies inside the replaced text {self.edits[k][:2]}")
        return pos + self.shift[k]

    def start(self, pos: int) -> int:
        return self._map(pos, True)

    def end(self, pos: int) -> int:
        return self._map(pos, False)


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, PositionMap]:
    """The edited text and its position map; edits must not overlap (insertions may touch)."""
    edits = sorted(edits, key=lambda x: (x[0], x[1]))
    for (s1, e1, _), (s2, e2, _) in zip(edits, edits[1:]):
        if s2 < e1 or (s1 == e1 == s2 == e2):
            raise ValueError(f"edits {s1, e1} and {s2, e2} overlap")
    pieces, at = [], 0
    for s, e, r in edits:
        pieces += [text[at:s], r]
        at = e
    pieces.append(text[at:])
    return "".join(pieces), PositionMap(edits)


def remap(article: Article, edits: list[Edit]) -> tuple[Article, PositionMap]:
    """The article with its text edited and every entity and claim moved with it, and the map."""
    text, pos = apply_edits(article.text, edits)
    ents = [replace(e, start=pos.start(e.start), end=pos.end(e.end)) for e in article.entities]
    atts = [replace(a, start=pos.start(a.start), end=pos.end(a.end)) for a in article.attributions]
    return Article(article.id, article.lang, text, ents, atts, dict(article.meta)), pos


def _guarded(article: Article, edits: list[Edit]) -> Article:
    """The edited article if its quotation regions are the old ones moved (compared as claim spans),
    else the article unchanged."""
    if not edits:
        return article
    new, pos = remap(article, edits)
    before = [quote_claim_span(article.text, q) for q in quotation_regions(article.text)]
    after = [quote_claim_span(new.text, q) for q in quotation_regions(new.text)]
    try:
        return new if [(pos.start(s), pos.end(e)) for s, e in before] == after else article
    except ValueError:
        return article


def region_marks(text: str, q: Quote) -> tuple[int, int, list[int]]:
    """Positions of a region's opening mark, closing mark and the opening marks repeated by
    continuing paragraphs."""
    repeated = [b.end() for b in PARAGRAPH_BREAK.finditer(text, q.start, q.end)
                if b.end() < q.end and text[b.end()] == q.opener]
    return q.start - 1, q.end, repeated


def quote_style(article: Article, rng: random.Random) -> Article:
    """All quotation regions in one other double-mark style (one style per article, as in print)."""
    text = article.text
    regions = quotation_regions(text)
    if not regions:
        return article
    opener, closer = rng.choice([st for st in STYLES if st[0] != regions[0].opener] or STYLES)
    edits = []
    for q in regions:
        first, last, repeated = region_marks(text, q)
        inside = "".join(ch for i, ch in enumerate(text[q.start:q.end], q.start) if i not in repeated)
        if q.opener == opener or opener in inside or closer in inside:
            continue  # already that style, or the new marks occur inside: nesting would become ambiguous
        edits += [(first, first + 1, opener), (last, last + 1, closer)] + [(i, i + 1, opener) for i in repeated]
    return _guarded(article, edits)


def capitals(article: Article, rng: random.Random) -> Article:
    """The first line (a headline, half of the time) or a random line, upper-cased character by character."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", article.text) if m.group().strip()]
    if not lines:
        return article
    start, end = lines[0] if rng.random() < 0.5 else rng.choice(lines)
    edits = [(i, i + 1, ch.upper()) for i, ch in enumerate(article.text[start:end], start) if ch.upper() != ch]
    return _guarded(article, edits)


def spacing(article: Article, rng: random.Random) -> Article:
    """A space on each side of every punctuation mark that touches a non-space (not inside words).

    Of quotation marks only those that open or close a quotation region are spaced: an apostrophe
    (``authorities' "housing department"``) spaced on both sides would open a quote.
    """
    text = article.text
    marks = set()
    for q in quotation_regions(text):
        first, last, repeated = region_marks(text, q)
        marks.update([first, last, *repeated])
    points = set()
    for s, e in words_of(text):
        if not PUNCT.match(text, s) or (text[s] in QUOTE_MARKS and s not in marks):
            continue
        if s > 0 and text[s - 1].isalnum() and e < len(text) and text[e].isalnum():
            continue  # inside a word or number: Censor.NET, п’ять, 1.5, 5,000, so-called
        for x in (s, e):
            if 0 < x < len(text) and not text[x - 1].isspace() and not text[x].isspace() \
                    and not _splits_character(text, x):
                points.add(x)
    return _guarded(article, [(x, x, " ") for x in sorted(points)])


def _protected(article: Article) -> list[tuple[int, int]]:
    """Stretches a reflow must not touch: entities, claims and whole quotation regions (with marks)."""
    out = [(e.start, e.end) for e in article.entities] + [(a.start, a.end) for a in article.attributions]
    return out + [(q.start - 1, q.end + 1) for q in quotation_regions(article.text)]


def reflow(article: Article, rng: random.Random) -> Article:
    """Merge two paragraphs (the first ends a sentence) or split one after a sentence's end."""
    text = article.text
    words = words_of(text)
    starts = [s for s, _ in words]
    protected = _protected(article)

    def free(s, e):
        return not any(a < e and s < b for a, b in protected)

    def ends_sentence(pos):  # the word just before pos ends a sentence
        k = bisect.bisect_left(starts, pos) - 1
        return k >= 0 and text[words[k][0]:words[k][1]] in SENTENCE_END

    merges = [(m.start(), m.end(), " ") for m in PARAGRAPH_BREAK.finditer(text)
              if 0 < m.start() and m.end() < len(text) and ends_sentence(m.start()) and free(m.start(), m.end())]
    splits = [(m.start(), m.end(), "\n\n") for m in re.finditer(r"[^\S\n]+", text)
              if 0 < m.start() and m.end() < len(text) and not text[m.end()].islower()
              and ends_sentence(m.start()) and free(m.start(), m.end())]
    options = [o for o in (merges, splits) if o]
    if not options:
        return article
    return _guarded(article, [rng.choice(rng.choice(options))])


FUNCTIONS: dict[str, Callable[[Article, random.Random], Article]] = {
    "reflow": reflow, "quotes": quote_style, "capitals": capitals, "spacing": spacing}


def settings(cfg) -> dict[str, float] | None:
    """``p`` and the transform probabilities of a ``data.augment`` block; None when augmentation is off."""
    if not cfg:
        return None
    out = {}
    for key in ("p", *TRANSFORMS):
        value = cfg.get(key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise NewsAttribError(f"data.augment.{key} must be a probability between 0 and 1, got {value!r}")
        out[key] = float(value)
    unknown = set(cfg) - {"p", "seed", *TRANSFORMS}
    if unknown:
        raise NewsAttribError(f"data.augment has unknown keys {sorted(unknown)} (known: p, seed, {', '.join(TRANSFORMS)})")
    return out if out["p"] > 0 else None


def augment(article: Article, rng: random.Random, probs: dict[str, float]) -> Article:
    """The article, augmented with probability ``probs['p']`` by each transform with its own probability."""
    if rng.random() >= probs["p"]:
        return article
    for name in TRANSFORMS:
        if rng.random() < probs[name]:
            article = FUNCTIONS[name](article, rng)
    return article


def training_dataset(articles: list[Article], tokenizer, cfg=None, seed: int = 0, schema: Schema = NEWS):
    """The training set and the callbacks it needs: ``to_dataset`` when augmentation is off, else
    an ``AugmentedArticles`` and the callback that tells it the epoch (labels as ids of ``schema``'s tags)."""
    from .trainer import to_dataset
    probs = settings(cfg)
    if probs is None:
        return to_dataset(articles, tokenizer, schema), []
    if cfg.get("seed") is not None:
        seed = cfg.get("seed")
    dataset = AugmentedArticles(articles, tokenizer, probs, seed, schema)
    return dataset, [AugmentEpoch(dataset)]


class AugmentedArticles(torch.utils.data.Dataset):
    """Training rows: each article's features, augmented anew each epoch (``epoch`` set by ``AugmentEpoch``).

    Features of unchanged articles are computed once; an augmented article is featurized when drawn.
    """

    def __init__(self, articles: list[Article], tokenizer, probs: dict[str, float], seed: int, schema: Schema = NEWS):
        self.articles, self.tokenizer, self.probs, self.seed, self.schema = articles, tokenizer, probs, seed, schema
        self.plain = [featurize(a, tokenizer, schema=schema) for a in articles]
        self.epoch = 0

    def __len__(self) -> int:
        return len(self.articles)

    def article(self, index: int) -> Article:
        """The article as training sees it at ``index`` in the current epoch."""
        return augment(self.articles[index], random.Random(f"{self.seed}:{self.epoch}:{index}"), self.probs)

    def __getitem__(self, index: int) -> dict:
        art = self.article(index)
        return self.plain[index] if art is self.articles[index] else featurize(art, self.tokenizer, schema=self.schema)


class AugmentEpoch(TrainerCallback):
    """Tells an ``AugmentedArticles`` the epoch about to run (also after resuming mid-epoch)."""

    def __init__(self, dataset: AugmentedArticles):
        self.dataset = dataset

    def on_epoch_begin(self, args, state, control, **kwargs):
        self.dataset.epoch = int((state.epoch or 0) + 1e-6)
