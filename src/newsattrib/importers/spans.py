"""What every importer shares: spans found in a foreign format, checked and turned into a corpus record.

An importer reads its format into mentions (entity spans) and claims (attribution spans with the keys of
their sources), each carrying where it came from (``FILE:LINE``, a task id), so that any problem is one
line naming that place. ``make_record`` checks the structure ANNOTATION.md asks for (offsets inside the
text, no whitespace-only span, no overlapping or nested entities, no overlapping claims, unique ids, chains
of entities of the article) but not the label set: the labels are the input's own.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ..corpus import span_problems
from ..errors import NewsAttribError
from ..schema import NEWS
from ..textunits import is_quoted

OVERLAP_POLICIES = ("error", "keep-longest")


@dataclass
class Mention:
    """An entity span as the input gives it (``key``: its id there, e.g. brat's ``T3``)."""
    start: int
    end: int
    label: str
    where: str
    key: str = ""


@dataclass
class Claim:
    """An attribution's claim span and the keys of its sources, outermost relay first, origin last."""
    start: int
    end: int
    where: str
    key: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass
class Options:
    """What the user chose for every format (the format's own choices live in its module)."""
    lang: str
    overlapping: str = "error"  # or "keep-longest": the longest of overlapping entities is kept
    drop_labels: frozenset[str] = frozenset()
    keep_labels: frozenset[str] | None = None  # when given, every other label is dropped (a schema's types)
    rename: dict[str, str] = field(default_factory=dict)
    claim_labels: frozenset[str] = frozenset({"Claim", "Quote"})  # span types that are claims, not entities
    relation_types: frozenset[str] = frozenset()  # links from a claim to its sources; empty: any type


@dataclass
class Summary:
    """Counts for the closing line: articles, tokens, entities per label, attributions per class."""
    articles: int = 0
    tokens: int = 0
    entities: Counter = field(default_factory=Counter)
    attributions: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)  # repairs, dropped overlaps, skipped tasks, ...

    def add(self, record: dict) -> None:
        self.articles += 1
        self.entities.update(e["label"] for e in record["entities"])
        self.attributions.update(a["label"] for a in record["attributions"])

    def line(self) -> str:
        def counts(c: Counter) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) or "none"
        parts = [f"{self.articles} articles"] + ([f"{self.tokens} tokens"] if self.tokens else [])
        parts += [f"{sum(self.entities.values())} entities ({counts(self.entities)})",
                  f"{sum(self.attributions.values())} attributions ({counts(self.attributions)})"]
        parts += [f"{v} {k}" for k, v in sorted(self.notes.items()) if v]
        return "; ".join(parts)


def clean_text(raw: str) -> tuple[str, Callable[[int], int]]:
    """The text without a byte-order mark and with ``\\n`` line ends (ANNOTATION.md), and the function that
    moves an offset into the raw text to the same place in the clean one."""
    if not raw.startswith("\ufeff") and "\r" not in raw:
        return raw, lambda i: i
    new_at, out, i = [], [], 0
    while i < len(raw):
        ch = raw[i]
        new_at.append(len(out))
        if ch == "\ufeff" and i == 0:
            pass
        elif ch == "\r" and raw[i + 1:i + 2] == "\n":
            new_at.append(len(out))  # \r\n: both offsets land on the \n
            out.append("\n")
            i += 1
        else:
            out.append("\n" if ch == "\r" else ch)
        i += 1
    new_at.append(len(out))
    return "".join(out), lambda k: new_at[k] if 0 <= k < len(new_at) else k + len(out) - len(raw)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without the whitespace at its edges (selections in annotation tools often carry some)."""
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        return start, end  # left for span_problems to name
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def same_words(a: str, b: str) -> bool:
    """Whether two strings agree up to runs of whitespace (brat and Label Studio keep a copy of the span)."""
    return a.split() == b.split()


def make_record(article_id: str, text: str, mentions: list[Mention], claims: list[Claim], options: Options,
                notes: Counter, meta: dict | None = None) -> dict:
    """The corpus record of one article, or a NewsAttribError naming the input place of the first problem."""
    kept = []
    for m in mentions:
        m.label = options.rename.get(m.label, m.label)
        if m.label in options.drop_labels or (options.keep_labels is not None and m.label not in options.keep_labels):
            notes["entities dropped by label"] += 1
            continue
        m.start, m.end = _checked(text, m.start, m.end, m.where, f"{m.label} span")
        kept.append(m)
    kept = _without_overlaps(kept, options.overlapping, notes)
    kept.sort(key=lambda m: (m.start, m.end))
    ids = {}
    entities = []
    for n, m in enumerate(kept, start=1):
        entities.append({"id": f"e{n}", "start": m.start, "end": m.end, "label": m.label})
        if m.key:
            ids[m.key] = f"e{n}"
    known = {m.key for m in mentions}
    attributions = []
    for c in claims:
        c.start, c.end = _checked(text, c.start, c.end, c.where, "claim")
    claims = sorted(claims, key=lambda c: (c.start, c.end))
    for c1, c2 in zip(claims, claims[1:]):
        if c2.start < c1.end:
            raise NewsAttribError(f"{c2.where}: claim [{c2.start}, {c2.end}) overlaps the claim "
                                  f"[{c1.start}, {c1.end}) of {c1.where}; ANNOTATION.md keeps only the outer one")
    for n, c in enumerate(claims, start=1):
        chain = []
        for key in c.sources:
            if key not in ids:
                why = "was dropped (--drop-labels or an overlap)" if key in known else "is not an entity"
                raise NewsAttribError(f"{c.where}: the claim's source {key} {why}")
            if ids[key] in chain:
                raise NewsAttribError(f"{c.where}: the claim's source {key} is named twice")
            chain.append(ids[key])
        attributions.append({"id": f"a{n}", "claim": {"start": c.start, "end": c.end}, "chain": chain,
                             "label": NEWS.chain_class(len(chain), is_quoted(text, c.start, c.end))})
    record = {"id": article_id, "lang": options.lang, "text": text, "entities": entities,
              "attributions": attributions}
    record.update({k: v for k, v in (meta or {}).items() if k not in record})
    return record


def attach_sources(claims: dict[str, Claim], links: list[tuple[str, list[str], str]], options: Options) -> None:
    """Give each claim the sources that links of ``options.relation_types`` (any, when empty) name with it,
    in the order of the links; a link is ``(type, keys of its arguments, where)``. Links without a claim
    (between two entities) say nothing about attribution and are passed over."""
    for kind, args, where in links:
        if options.relation_types and kind not in options.relation_types:
            continue
        targets = [a for a in args if a in claims]
        if len(targets) > 1:
            raise NewsAttribError(f"{where}: {kind} links two claims ({', '.join(targets)}); it can name only one")
        if targets:
            sources = claims[targets[0]].sources
            sources += [a for a in args if a not in claims and a not in sources]


def _checked(text: str, start, end, where: str, what: str) -> tuple[int, int]:
    start, end = trim(text, start, end)
    problems = span_problems(text, start, end, what)
    if problems:
        raise NewsAttribError(f"{where}: {problems[0]}")
    return start, end


def _without_overlaps(mentions: list[Mention], policy: str, notes: Counter) -> list[Mention]:
    """ANNOTATION.md's entities never overlap or nest: refuse them, or keep the longest (the earliest of
    equals) and drop what overlaps it."""
    order = sorted(mentions, key=lambda m: (m.start, -m.end))
    for a, b in zip(order, order[1:]):
        if b.start < a.end and policy == "error":
            raise NewsAttribError(f"{b.where}: {b.label} span [{b.start}, {b.end}) overlaps the {a.label} span "
                                  f"[{a.start}, {a.end}) of {a.where}; ANNOTATION.md allows no overlapping or "
                                  "nested entities (--overlapping keep-longest keeps the longer one)")
    if policy == "error":
        return mentions
    kept: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
        else:
            notes["overlapping entities dropped"] += 1
    return kept
