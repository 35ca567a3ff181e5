"""The corpus format of ANNOTATION.md: typed articles, a strict reader and its validator.

Every problem is reported as ``FILE:LINE: article ID: what is wrong`` and the reader
collects all problems of a file before it raises, so a broken corpus is fixed in one pass.
"""
from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import NewsAttribError
from .fileio import atomic_write_text
from .schema import NEWS, Schema
from .textunits import opens_quote, punctuation_inside_marks


@dataclass(frozen=True)
class Entity:
    id: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Attribution:
    id: str
    start: int  # claim span
    end: int
    chain: tuple[str, ...]  # entity ids, outermost relay first, origin last
    label: str


@dataclass
class Article:
    id: str
    lang: str
    text: str
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # source, date, url, ... kept as they are

    def entity(self, entity_id: str) -> Entity:
        return next(e for e in self.entities if e.id == entity_id)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id, "lang": self.lang, "text": self.text,
            "entities": [{"id": e.id, "start": e.start, "end": e.end, "label": e.label} for e in self.entities],
            "attributions": [{"id": a.id, "claim": {"start": a.start, "end": a.end}, "chain": list(a.chain),
                              "label": a.label} for a in self.attributions],
            **self.meta,
        }


class CorpusError(NewsAttribError):
    """Raised with every problem found; ``str()`` is one ``FILE:LINE: article ID: ...`` line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _splits_character(text: str, offset: int) -> bool:
    """True when ``offset`` falls inside a multi-code-point character (combining mark, ZWJ, selector)."""
    if not 0 < offset < len(text):
        return False
    nxt = text[offset]
    return unicodedata.combining(nxt) > 0 or nxt in "\u200d\ufe0e\ufe0f" or text[offset - 1] == "\u200d"


def span_problems(text: str, start: Any, end: Any, what: str) -> list[str]:
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return [f"{what} offsets must be integers, got start={start!r} end={end!r}"]
    if not 0 <= start < end <= len(text):
        return [f"{what} span [{start}, {end}) is out of range for a text of {len(text)} characters"]
    if not text[start:end].strip():
        return [f"{what} span [{start}, {end}) holds only whitespace"]
    if _splits_character(text, start) or _splits_character(text, end):
        return [f"{what} span [{start}, {end}) cuts a multi-code-point character"]
    return []


def _overlaps(spans: list[tuple[int, int, str]], what: str) -> list[str]:
    out = []
    spans = sorted(spans)
    for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
        if s2 < e1:
            out.append(f"{what} {i1} [{s1}, {e1}) and {i2} [{s2}, {e2}) overlap")
    return out


def parse_record(rec: Any, schema: Schema = NEWS) -> tuple[Article | None, list[str]]:
    """Check one decoded JSON record against ANNOTATION.md and the labels of ``schema``; return the
    article (if usable) and problems."""
    if not isinstance(rec, dict):
        return None, [f"record must be a JSON object, got {type(rec).__name__}"]
    problems: list[str] = []
    for key, typ in (("id", str), ("lang", str), ("text", str), ("entities", list)):
        if key not in rec:
            problems.append(f"missing required key {key!r}")
        elif not isinstance(rec[key], typ):
            problems.append(f"{key!r} must be {typ.__name__}, got {type(rec[key]).__name__}")
    if "attributions" in rec and not isinstance(rec["attributions"], list):
        problems.append(f"'attributions' must be list, got {type(rec['attributions']).__name__}")
    if problems:
        return None, problems
    text = rec["text"]
    if not text.strip():
        problems.append("text is empty")
    if text.startswith("\ufeff"):
        problems.append("text starts with a byte-order mark (U+FEFF); strip it and shift the offsets")
    if "\r" in text:
        problems.append("text contains a carriage return (CRLF line ends); normalise to \\n and shift the offsets")

    entities: list[Entity] = []
    for i, e in enumerate(rec["entities"]):
        where = f"entity #{i + 1}"
        if not isinstance(e, dict) or not {"id", "start", "end", "label"} <= e.keys():
            problems.append(f"{where} must be an object with id, start, end and label")
            continue
        where = f"entity {e['id']!r}"
        if e["label"] not in schema.entities:
            problems.append(f"{where} has unknown label {e['label']!r} (known: {', '.join(schema.entities)})")
            continue
        found = span_problems(text, e["start"], e["end"], where)
        problems += found
        if not found:
            entities.append(Entity(str(e["id"]), e["start"], e["end"], e["label"]))
    problems += _duplicates([e.id for e in entities], "entity id")
    problems += _overlaps([(e.start, e.end, repr(e.id)) for e in entities], "entities")

    by_id = {e.id: e for e in entities}
    attributions: list[Attribution] = []
    for i, a in enumerate(rec.get("attributions", [])):
        where = f"attribution #{i + 1}"
        if not isinstance(a, dict) or not {"id", "claim", "chain", "label"} <= a.keys() \
                or not isinstance(a["claim"], dict) or not isinstance(a["chain"], list):
            problems.append(f"{where} must be an object with id, claim {{start, end}}, chain [ids] and label")
            continue
        where = f"attribution {a['id']!r}"
        bad = []
        if a["label"] not in schema.chain_classes:
            bad.append(f"{where} has unknown label {a['label']!r} (known: {', '.join(schema.chain_classes)})")
        bad += span_problems(text, a["claim"].get("start"), a["claim"].get("end"), f"{where} claim")
        for member in a["chain"]:
            ent = by_id.get(member) if isinstance(member, str) else None
            if ent is None:
                bad.append(f"{where} chain member {member!r} is not an entity id of this article")
            elif ent.label not in schema.sources:
                bad.append(f"{where} chain member {member!r} is {ent.label}, not {' or '.join(schema.sources)}")
        if len(set(map(str, a["chain"]))) != len(a["chain"]):
            bad.append(f"{where} chain repeats a member")
        if a["label"] in schema.chain_classes and not schema.agrees(a["label"], len(a["chain"])):
            bad.append(f"{where} label {a['label']} disagrees with its chain of {len(a['chain'])} member(s)")
        problems += bad or _quote_problems(text, a)
        if not bad:
            attributions.append(Attribution(str(a["id"]), a["claim"]["start"], a["claim"]["end"],
                                            tuple(a["chain"]), a["label"]))
    problems += _duplicates([a.id for a in attributions], "attribution id")
    problems += _overlaps([(a.start, a.end, repr(a.id)) for a in attributions], "claims")
    meta = {k: v for k, v in rec.items() if k not in ("id", "lang", "text", "entities", "attributions")}
    article = Article(rec["id"], rec["lang"], text, sorted(entities, key=lambda e: e.start),
                      sorted(attributions, key=lambda a: a.start), meta)
    return article, problems


def _quote_problems(text: str, a: dict) -> list[str]:
    """A quote's claim keeps the punctuation inside its closing mark (ANNOTATION.md)."""
    start, end = a["claim"]["start"], a["claim"]["end"]
    stop = punctuation_inside_marks(text, end) if opens_quote(text, start) else end
    if stop == end:
        return []
    return [f"attribution {a['id']!r} claim stops before {text[end:stop]!r} inside its closing quotation mark; "
            f"the punctuation inside the marks belongs to the claim (end {stop}, not {end})"]


def _duplicates(ids: list[str], what: str) -> list[str]:
    seen, out = set(), []
    for i in ids:
        if i in seen:
            out.append(f"duplicate {what} {i!r}")
        seen.add(i)
    return out


def read_corpus(path: str | os.PathLike, schema: Schema = NEWS) -> list[Article]:
    """Read and validate one JSONL file against ``schema``; raise CorpusError listing every problem in it."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError([f"{path}:0: article -: cannot read file: {exc.strerror or exc}"]) from None
    articles, problems, ids = [], [], {}
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{path}:1: article -: file starts with a UTF-8 byte-order mark; save it without one")
        raw = raw[3:]
    # not fileio.read_jsonl: every problem of the file is reported at once (CRLF, BOM and encoding included)
    for lineno, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}: article"
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(f"{where} -: not valid UTF-8 (byte {exc.start}: {line[exc.start:exc.start + 1]!r})")
            continue
        if text.endswith("\r"):
            problems.append(f"{where} -: line ends with CRLF; save the file with \\n line ends")
            text = text[:-1]
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(f"{where} -: broken JSON: {exc.msg} at column {exc.colno}")
            continue
        art_id = rec.get("id", "-") if isinstance(rec, dict) else "-"
        article, rec_problems = parse_record(rec, schema)
        problems += [f"{where} {art_id}: {p}" for p in rec_problems]
        if article is not None:
            if article.id in ids:
                problems.append(f"{where} {art_id}: duplicate article id (first on line {ids[article.id]})")
            ids.setdefault(article.id, lineno)
            articles.append(article)
    if not articles and not problems:
        problems.append(f"{path}:0: article -: file holds no articles")
    if problems:
        raise CorpusError(problems)
    return articles


def read_corpora(paths: Iterable[str | os.PathLike], schema: Schema = NEWS) -> list[Article]:
    """Read several files; problems of all of them are reported together, article ids unique across them."""
    articles, problems, seen = [], [], {}
    for path in paths:
        try:
            for art in read_corpus(path, schema):
                if art.id in seen:
                    problems.append(f"{path}:0: article {art.id}: id also used in {seen[art.id]}")
                seen.setdefault(art.id, str(path))
                articles.append(art)
        except CorpusError as exc:
            problems += exc.problems
    if problems:
        raise CorpusError(problems)
    return articles


def write_corpus(path: str | os.PathLike, articles: Iterable[Article | dict]) -> None:
    """Write JSONL atomically, so an interrupted write never leaves a corpus that looks complete."""
    lines = [json.dumps(a.to_record() if isinstance(a, Article) else a, ensure_ascii=False) + "\n"
             for a in articles]
    atomic_write_text(path, "".join(lines))
