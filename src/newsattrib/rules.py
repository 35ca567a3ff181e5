"""A cue-lexicon rule baseline: attributions from speech verbs, quotation marks and the nearest name.

It reads only the text and the predicted entities and returns a record in the corpus format,
so ``evaluation`` scores it exactly like the learned model: it is the floor a model must beat.
The lexicons (``resources/LANG/lexicon.yaml``) are written from general knowledge of news style
(ANNOTATION.md), not from data; sentences are those of ``textunits.sentences``.

How one sentence is read:

* quotes ("…", “…”, «…», „…“) of three or more words are claims; the chain comes from the cues
  around them, else from the nearest name in the sentence; a quote with neither continues the
  chain of a quote in the sentence before (a quote split by its cue);
* otherwise a speaking cue marks reported speech: ``X said (that) CLAIM``, ``According to X,
  CLAIM``, ``CLAIM, X said``; a sentence such as ``Про це повідомляє X`` gives its chain to the
  sentence before it;
* each cue attaches one name: the subject of a speech verb is the origin, an outlet passing it on
  (``X reports``, ``According to X``) is an outer hop, then ``citing Y``, then ``told Y``;
  a pronoun or role noun (``he said``, ``сказав він``) means the nearest earlier name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from . import resources
from .corpus import Article, span_problems
from .schema import NEWS, Schema
from .textunits import SENTENCE_END, is_quoted, quotation_regions, quote_claim_span, sentences

CUE_KINDS = ("unattributed", "backref", "according", "cite", "outlet", "report", "speech")  # earlier kinds
# win overlaps; each is a lexicon of resources/LANG/lexicon.yaml
SPEAKING = ("unattributed", "according", "report", "speech")  # cues that introduce a claim

WORD = re.compile(r"\w+")
COMMA = re.compile(r",(?!\d)")  # not in 1,200
SEPARATOR = re.compile(r",(?!\d)|\s[—–]\s")  # ends the clause of "CLAIM, X said" / "CLAIM — заявив X"
CLAUSE_END = re.compile(r"[,;:(]|\s[—–]\s")
GAP_BREAK = re.compile(r"[.!?;\n]")
CLAIM_HEAD = " \t\n,;:—–-"
CLAIM_TAIL = " \t\n.,;:…—–-"


class Cue(NamedTuple):
    """A lexicon match in the (masked) text."""
    kind: str
    start: int
    end: int


@dataclass
class _Doc:
    text: str
    masked: str  # the text with claim quotes blanked, so their words are no cues
    pats: dict[str, re.Pattern]
    entities: list[dict]  # valid entities, any label
    members: list[dict]  # valid mentions of the schema's source types (SPEAKER, ORG) outside claim quotes
    quotes: dict[tuple[int, int], tuple[int, int]]  # quote interior -> its claim span
    person: str | None  # the schema's person type (SPEAKER); other source types are organizations


@dataclass
class _Unit:
    """What one sentence yields; ``chain`` None means no source found (yet)."""
    span: tuple[int, int]
    claims: list[tuple[int, int]]
    chain: list[dict] | None = None
    quoted: bool = False
    backref: bool = False


def predict_rules(article: Article, entities: list[dict], schema: Schema = NEWS) -> dict:
    """Attributions found by cue lexicons, quotation marks and the nearest named mention; chain members
    are mentions of ``schema.sources``, persons those of ``schema.person``."""
    text = article.text
    valid = [e for e in entities if isinstance(e, dict) and {"id", "start", "end", "label"} <= e.keys()
             and not span_problems(text, e["start"], e["end"], "entity")]
    quotes = _claim_quotes(text, valid)
    doc = _Doc(text, _mask(text, quotes), _patterns(article.lang), valid,
               [e for e in valid if e["label"] in schema.sources and not _inside(e, quotes)], quotes, schema.person)
    units = [_analyse(doc, sent) for sent in sentences(doc.masked)]
    _link(doc, units)
    attributions = []
    for unit in units:
        if unit.chain is None:
            continue
        chain = [str(m["id"]) for m in unit.chain]
        for start, end in unit.claims:
            attributions.append({"id": f"a{len(attributions) + 1}", "claim": {"start": start, "end": end},
                                 "chain": chain,
                                 "label": schema.chain_class(len(chain), unit.quoted and is_quoted(text, start, end))})
    return {"id": article.id, "lang": article.lang, "text": text, "entities": entities,
            "attributions": attributions}


@lru_cache(maxsize=None)
def _patterns(lang: str) -> dict[str, re.Pattern]:
    """One compiled alternation per lexicon for ``lang`` (all languages when it has no lexicon)."""
    lexicon = resources.lexicon(lang)

    def words(key: str) -> str:
        return r"(?<!\w)(?:" + "|".join(f.replace(" ", r"\s+") for f in lexicon[key]) + r")(?!\w)"
    pats = {kind: re.compile(words(kind), re.IGNORECASE) for kind in CUE_KINDS}
    pats["pronoun"] = re.compile(words("pronouns"), re.IGNORECASE)
    pats["role"] = re.compile(words("role_nouns"), re.IGNORECASE)
    pats["that"] = re.compile(words("complementizers") + r"|:(?=\s)", re.IGNORECASE)
    pats["outlet_gap"] = re.compile(r"\s*(?:" + words("outlet_words") + r"\s+){0,2}", re.IGNORECASE)
    return pats


# --- quotes ----------------------------------------------------------------------------------

def _claim_quotes(text: str, entities: list[dict]) -> dict[tuple[int, int], tuple[int, int]]:
    """Outermost quotation regions of three or more words that are not just a name, with their claims."""
    out = {}
    for quote in quotation_regions(text):
        claim = _trim(text, *quote_claim_span(text, quote), " \t", " \t", 3)
        if claim and not any(e["start"] <= claim[0] and claim[1] <= e["end"] for e in entities):
            out[(quote.start, quote.end)] = claim
    return out


def _mask(text: str, quotes: dict[tuple[int, int], tuple[int, int]]) -> str:
    """Blank quote interiors but keep a final . ! ? so a quote can still end its sentence."""
    out, last = [], 0
    for start, end in sorted(quotes):
        keep = text[end - 1] if text[end - 1] in SENTENCE_END else " "
        out += [text[last:start], " " * (end - start - 1), keep]
        last = end
    out.append(text[last:])
    return "".join(out)


# --- one sentence ---------------------------------------------------------------------------

def _analyse(doc: _Doc, sent: tuple[int, int]) -> _Unit:
    """Claims and chain of one sentence: quotes first, then a back-reference, then reported speech."""
    cues = _cues(doc, sent)
    speaking = any(c.kind in SPEAKING for c in cues)
    claims = [claim for (start, _), claim in sorted(doc.quotes.items()) if sent[0] <= start < sent[1]]
    if claims:
        chain = _chain(doc, cues, claims, sent)
        if not chain and not any(c.kind == "unattributed" for c in cues):
            near = _nearest(doc, claims, sent)
            chain = [near] if near else ([] if speaking else None)
        return _Unit(sent, claims, chain, quoted=True)
    if any(c.kind == "backref" for c in cues):
        chain = _chain(doc, cues, [], sent)
        if chain:
            return _Unit(sent, [], chain, backref=True)
    claim = _reported_claim(doc, [c for c in cues if c.kind in SPEAKING], sent) if speaking else None
    if claim:
        return _Unit(sent, [claim], _chain(doc, cues, [claim], sent))
    return _Unit(sent, [])


def _link(doc: _Doc, units: list[_Unit]) -> None:
    """A source-less quote continues the quote before it; a back-reference names the sentence before it."""
    for prev, unit in zip(units, units[1:]):
        if unit.quoted and unit.chain is None and prev.quoted and prev.chain is not None:
            unit.chain = prev.chain
        if unit.backref and prev.chain is None:
            if not prev.claims:
                whole = _trim(doc.text, *prev.span, CLAIM_HEAD, CLAIM_TAIL, 2)
                prev.claims = [whole] if whole else []
            if prev.claims:
                prev.chain = unit.chain


def _cues(doc: _Doc, sent: tuple[int, int]) -> list[Cue]:
    """Cue matches outside names; an outlet cue may share its words with a speech verb ("told")."""
    names = [(e["start"], e["end"]) for e in doc.entities if _overlap((e["start"], e["end"]), sent)]
    found: list[Cue] = []
    for kind in CUE_KINDS:
        for m in doc.pats[kind].finditer(doc.masked, *sent):
            if any(_overlap((m.start(), m.end()), name) for name in names):
                continue
            if any(c.kind != "outlet" and _overlap((m.start(), m.end()), (c.start, c.end)) for c in found):
                continue
            found.append(Cue(kind, m.start(), m.end()))
    return sorted(found, key=lambda c: c.start)


def _reported_claim(doc: _Doc, cues: list[Cue], sent: tuple[int, int]) -> tuple[int, int] | None:
    """The content clause: after "said that" / "According to X," and before ", X said"."""
    start = None
    for cue in cues:  # "X reports that Y said that CLAIM": follow cues that open the clause
        pos = _complement(doc, cue, sent[1])
        opens_claim = start is None or cue.start >= start and len(WORD.findall(doc.masked, start, cue.start)) <= 6
        if pos is not None and opens_claim:
            start = pos
    if start is not None:
        return _trim(doc.text, start, sent[1], CLAIM_HEAD, CLAIM_TAIL, 2)
    start, end = sent
    comma = COMMA.search(doc.masked, *sent)
    if comma and any(c.end <= comma.start() for c in cues):
        start = comma.end()
    later = [c for c in cues if c.start >= start]
    split = _trailing_split(doc, later[0], start) if later else None
    if split is not None:
        end = split
    elif later and start == sent[0]:  # "X said CLAIM": a bare verb needs a longer clause to count
        return _trim(doc.text, _after_cue(doc, later[0], sent), end, CLAIM_HEAD, CLAIM_TAIL, 3)
    return _trim(doc.text, start, end, CLAIM_HEAD, CLAIM_TAIL, 2)


def _complement(doc: _Doc, cue: Cue, end: int) -> int | None:
    """End of "that" / "що" / ":" opening a clause a few words after the cue."""
    m = doc.pats["that"].search(doc.masked, cue.end, end)
    if m is None or GAP_BREAK.search(doc.masked, cue.end, m.start()) \
            or len(WORD.findall(doc.masked, cue.end, m.start())) > 6:
        return None
    return m.end()


def _trailing_split(doc: _Doc, cue: Cue, start: int) -> int | None:
    """The separator ending the claim in "CLAIM, X said": the last one before the cue's source."""
    seps = list(SEPARATOR.finditer(doc.masked, start, cue.start))
    source = _source_before(doc, start, cue.start, doc.members)
    if source:
        before = [s for s in seps if s.end() <= source[0]]
        if before:
            return before[-1].start()
    if seps and len(WORD.findall(doc.masked, seps[-1].end(), cue.start)) <= 2:
        return seps[-1].start()
    return None


def _after_cue(doc: _Doc, cue: Cue, sent: tuple[int, int]) -> int:
    """Start of "X said CLAIM" without "that"; a mid-sentence "reportedly" leaves the whole sentence."""
    if cue.kind == "unattributed":
        return cue.end if len(WORD.findall(doc.masked, sent[0], cue.start)) <= 1 else sent[0]
    nxt = next((m for m in doc.members if m["start"] >= cue.end), None)
    if nxt is None or nxt["end"] > sent[1] \
            or not doc.pats["outlet_gap"].fullmatch(doc.masked, cue.end, nxt["start"]):
        return cue.end
    outlet = nxt["label"] == "ORG" and doc.pats["outlet"].fullmatch(doc.masked, cue.start, cue.end)
    return nxt["end"] if cue.kind == "according" or outlet else cue.end  # "told ArmyInform CLAIM"


# --- chains ---------------------------------------------------------------------------------

def _chain(doc: _Doc, cues: list[Cue], claims: list[tuple[int, int]], sent: tuple[int, int]) -> list[dict]:
    """Outer relays, cited sources, the outlet spoken to, then the origin; one entry per name."""
    free = [m for m in doc.members if not any(_overlap((m["start"], m["end"]), c) for c in claims)]
    outer, cited, outlets, origins = [], [], [], []
    for cue in cues:
        m = _attach(doc, cue, _window(cue, cues, claims, sent), free)
        if m is None:
            continue
        if cue.kind in ("outlet", "cite"):
            (outlets if cue.kind == "outlet" else cited).append(m)
        elif cue.kind == "speech" or m["label"] == doc.person:
            origins.append(m)
        else:
            outer.append(m)
    origin = [min(origins, key=lambda m: _distance(m, claims))] if origins else []
    out, seen = [], set()
    for m in outer + cited + outlets + origin:
        key = doc.text[m["start"]:m["end"]].lower()
        if m["id"] not in seen and key not in seen:
            out.append(m)
            seen |= {m["id"], key}
    return out


def _window(cue: Cue, cues: list[Cue], claims: list[tuple[int, int]], sent: tuple[int, int]) -> tuple[int, int]:
    """The stretch around a cue up to the neighbouring cues and claims, where its source may stand."""
    blocks = claims + [(c.start, c.end) for c in cues]
    return (max([sent[0]] + [e for _, e in blocks if e <= cue.start]),
            min([sent[1]] + [s for s, _ in blocks if s >= cue.end]))


def _attach(doc: _Doc, cue: Cue, window: tuple[int, int], free: list[dict]) -> dict | None:
    """The one name a cue points to (a pronoun or role noun resolved to the nearest earlier name)."""
    if cue.kind in ("unattributed", "backref"):
        return None
    stop = CLAUSE_END.search(doc.masked, cue.end, window[1])
    after_end = stop.start() if stop else window[1]
    after = [m for m in free if cue.end <= m["start"] and m["end"] <= after_end]
    if cue.kind == "outlet":
        m = after[0] if after else None
        gap_ok = m and doc.pats["outlet_gap"].fullmatch(doc.masked, cue.end, m["start"])
        return m if gap_ok and m["label"] != doc.person else None
    if cue.kind in ("according", "cite"):
        pron = _pronoun(doc, cue.start, after_end, 4, from_end=False)
        return _person_first(after, doc.person, last=False) or (_resolve(pron, free, doc.person) if pron else None)
    source = _source_before(doc, window[0], cue.start, free)
    if source:
        return source[1]
    pron = _pronoun(doc, cue.end, after_end, 2, from_end=False)
    return _person_first(after, doc.person, last=False) or (_resolve(pron, free, doc.person) if pron else None)


def _source_before(doc: _Doc, lo: int, cue_start: int, free: list[dict]) -> tuple[int, dict | None] | None:
    """Where the subject of a verb starts and whom it names: the name nearest before it within 12
    words, or a pronoun or role noun right before it (resolved; None when nothing precedes it)."""
    near = [m for m in free if lo <= m["start"] and m["end"] <= cue_start
            and len(WORD.findall(doc.masked, m["end"], cue_start)) <= 12]
    named = _person_first(near, doc.person, last=True)
    pron = _pronoun(doc, lo, cue_start, 2, from_end=True)
    if pron and (named is None or pron[0] >= named["end"]):
        return pron[0], _resolve(pron, free, doc.person)
    return (named["start"], named) if named else None


def _pronoun(doc: _Doc, start: int, end: int, n: int, from_end: bool) -> tuple[int, bool] | None:
    """(position, is personal) of a pronoun or role noun among the first/last ``n`` words of a stretch."""
    words = list(re.finditer(r"[\w'’-]+", doc.masked[start:end]))
    for w in (reversed(words[-n:]) if from_end else words[:n]):
        if doc.pats["pronoun"].fullmatch(w.group()):
            return start + w.start(), True
        if doc.pats["role"].fullmatch(w.group()):
            return start + w.start(), False
    return None


def _resolve(pron: tuple[int, bool], free: list[dict], person: str | None) -> dict | None:
    """Nearest earlier name; a personal pronoun prefers a person."""
    earlier = [m for m in free if m["end"] <= pron[0]]
    return _person_first(earlier, person, last=True) if pron[1] else (earlier[-1] if earlier else None)


def _person_first(mentions: list[dict], person: str | None, last: bool) -> dict | None:
    """A person if there is one, else an organization; the last or first in text order."""
    pick = [m for m in mentions if m["label"] == person] or mentions
    return (pick[-1] if last else pick[0]) if pick else None


def _nearest(doc: _Doc, claims: list[tuple[int, int]], sent: tuple[int, int]) -> dict | None:
    """The name in the sentence (outside its quotes) closest to them."""
    near = [m for m in doc.members if sent[0] <= m["start"] and m["end"] <= sent[1]]
    return min(near, key=lambda m: _distance(m, claims)) if near else None


# --- spans and labels -----------------------------------------------------------------------

def _trim(text: str, start: int, end: int, head: str, tail: str, min_words: int) -> tuple[int, int] | None:
    """The span without surrounding marks, if it still holds ``min_words`` words and is well formed."""
    while start < end and text[start] in head:
        start += 1
    while end > start and text[end - 1] in tail:
        end -= 1
    if len(WORD.findall(text, start, end)) < min_words or span_problems(text, start, end, "claim"):
        return None
    return start, end




def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _inside(m: dict, spans) -> bool:
    return any(_overlap((m["start"], m["end"]), s) for s in spans)


def _distance(m: dict, claims: list[tuple[int, int]]) -> int:
    return min((max(s - m["end"], m["start"] - e, 0) for s, e in claims), default=0)
