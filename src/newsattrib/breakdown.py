"""Error breakdown: what went wrong with each gold span, and which predictions match nothing.

Spans are compared on *words*, with the same mapping as the strict seqeval scores of
``evaluation`` (``tokenizer.spans_to_tags`` then ``tags_to_spans``), so ``exact`` is exactly
seqeval's true positives and ``exact / gold`` its recall.

Each gold span ``g`` gets exactly one category, the first of these that applies, where
``O(g)`` is the set of predicted spans sharing at least one word with ``g``:

1. ``missed``: ``O(g)`` is empty;
2. ``exact``: a prediction in ``O(g)`` has ``g``'s words and ``g``'s type;
3. ``class_wrong``: a prediction in ``O(g)`` has ``g``'s words and another type;
4. ``split``: ``O(g)`` holds two or more predictions (each inside ``g`` or overlapping it);
5. ``merged``: the one prediction in ``O(g)`` also overlaps another gold span;
6. ``ends_early_late``: the one prediction starts where ``g`` starts and ends elsewhere;
7. ``starts_early_late``: the one prediction ends where ``g`` ends and starts elsewhere;
8. ``other_overlap``: the one prediction overlaps ``g`` with both edges elsewhere.

Categories 4 to 8 ignore the predicted type (a boundary error is one whatever the type). So
``exact + class_wrong + split + merged + ends_early_late + starts_early_late + other_overlap
+ missed = gold``. Each prediction that overlaps no gold span is counted once as ``spurious``
(predictions that overlap a gold span are accounted for by that span's category); ``predicted``
is the number of predicted spans. Counts are kept per type: the gold span's type for the gold
categories, the predicted type for ``spurious``.
"""
from __future__ import annotations

from collections import Counter

from .features import spans_to_tags, tags_to_spans

GOLD_CATEGORIES = ("exact", "class_wrong", "ends_early_late", "starts_early_late", "split", "merged",
                   "other_overlap", "missed")
CATEGORIES = (*GOLD_CATEGORIES, "spurious")
ALL_TYPES = "all"

Span = tuple[int, int, str]  # word range [first, last) and type


def word_spans(words: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[Span]:
    """Character spans as the word spans that strict seqeval scores."""
    return tags_to_spans(spans_to_tags(words, spans))


def categorise(gold: list[Span], pred: list[Span]) -> tuple[list[str], list[bool]]:
    """The category of each gold span, and for each prediction whether it is spurious."""
    overlaps = [[j for j, p in enumerate(pred) if p[0] < g[1] and g[0] < p[1]] for g in gold]
    golds_of = Counter(j for js in overlaps for j in js)  # prediction -> number of gold spans it overlaps
    out = []
    for g, js in zip(gold, overlaps):
        same = [pred[j] for j in js if pred[j][:2] == g[:2]]
        if not js:
            out.append("missed")
        elif any(p[2] == g[2] for p in same):
            out.append("exact")
        elif same:
            out.append("class_wrong")
        elif len(js) > 1:
            out.append("split")
        elif golds_of[js[0]] > 1:
            out.append("merged")
        elif pred[js[0]][0] == g[0]:
            out.append("ends_early_late")
        elif pred[js[0]][1] == g[1]:
            out.append("starts_early_late")
        else:
            out.append("other_overlap")
    return out, [golds_of[j] == 0 for j in range(len(pred))]


def count(gold: list[Span], pred: list[Span]) -> dict[str, Counter]:
    """Category counts of one article, per type and for all types (``gold`` and ``predicted`` too)."""
    cats, spurious = categorise(gold, pred)
    out: dict[str, Counter] = {}
    for g, cat in zip(gold, cats):
        for key in (g[2], ALL_TYPES):
            c = out.setdefault(key, Counter())
            c[cat] += 1
            c["gold"] += 1
    for p, sp in zip(pred, spurious):
        for key in (p[2], ALL_TYPES):
            c = out.setdefault(key, Counter())
            c["predicted"] += 1
            c["spurious"] += sp
    return out


def add(total: dict[str, Counter], part: dict[str, Counter]) -> None:
    for key, c in part.items():
        total.setdefault(key, Counter()).update(c)


def as_report(counts: dict[str, Counter], types: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Plain counts for the JSON report: every type and ``all``, every category, gold and predicted."""
    return {t: {k: int(counts.get(t, Counter())[k]) for k in (*CATEGORIES, "gold", "predicted")}
            for t in (*types, ALL_TYPES)}


def format_breakdown(breakdown: dict, langs: list[str], types: tuple[str, ...], name: str, all_key: str) -> list[str]:
    """Table lines: a row per category; a column per language (all types), then per type (all languages)."""
    types = [t for t in types if breakdown[all_key][t]["gold"] or breakdown[all_key][t]["predicted"]]
    cols = [(lang, lang, ALL_TYPES) for lang in langs] + [(t[:8], all_key, t) for t in types]
    lines = [f"{name} error breakdown (word spans; per language, then per type over all languages; "
             "spurious counts predictions, the rest gold spans)",
             f"  {'category':<18}" + "".join(f"{c:>9}" for c, _, _ in cols)]
    for cat in (*CATEGORIES, "gold", "predicted"):
        lines.append(f"  {cat:<18}" + "".join(f"{breakdown[lang][t][cat]:>9}" for _, lang, t in cols))
    return lines
