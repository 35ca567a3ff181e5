"""Text units every part of newsattrib agrees on: words, sentences, paragraphs and quotation regions.

Scores are computed on *words* (``\\w+`` runs and single punctuation marks) so tokenizers compare
on equal units. A *quotation region* runs from an opening mark to the mark that closes it, over
paragraph breaks when the quote continues (the continuing paragraph repeats the opening mark, or
the closing mark comes later without it): ANNOTATION.md makes such a region one direct claim.
"""
from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from .resources import abbreviations

# combining marks, variation selectors, joiners and emoji modifiers stay with the character before them
MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u200d" \
        "\U0001f3fb-\U0001f3ff"
WORD_RE = re.compile(rf"[\w{MARKS}]+|[^\w\s][{MARKS}]*")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

# opening mark -> the marks that close it (all the styles of ANNOTATION.md, and their common variants)
QUOTE_PAIRS = {'"': '"', "“": "”", "„": "“”", "«": "»", "‘": "’", "‚": "‘’", "‹": "›", "'": "'"}
QUOTE_OPENERS = "".join(QUOTE_PAIRS)
QUOTE_CLOSERS = "".join(sorted(set("".join(QUOTE_PAIRS.values()))))
QUOTE_MARKS = "".join(sorted(set(QUOTE_OPENERS + QUOTE_CLOSERS)))
_ALWAYS_OPEN = "«„‹‚"  # marks that never close a quote
_ALWAYS_CLOSE = "»›”"  # marks that never open one


class Quote(NamedTuple):
    """A quotation region: ``start``/``end`` of the interior (between the outer marks)."""
    start: int
    end: int
    opener: str


def words_of(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text)]


def _role(text: str, i: int, stack: list[tuple[str, int]]) -> str:
    """``close``, ``open`` or ``none`` for the mark at ``i``, given the quotes open so far."""
    ch = text[i]
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in "’'" and before.isalnum() and after.isalnum():
        return "none"  # an apostrophe: don't, п’ять
    closes = any(ch in QUOTE_PAIRS[o] for o, _ in stack)
    if closes and ch not in _ALWAYS_OPEN and (not before.isspace() or after.isspace() or ch in _ALWAYS_CLOSE):
        return "close"
    if ch in QUOTE_PAIRS and ch not in _ALWAYS_CLOSE and (not after.isspace() or before.isspace()
                                                           or ch in _ALWAYS_OPEN):
        return "open"
    return "none"


def quotation_regions(text: str) -> list[Quote]:
    """Outermost quotation regions of a text, in order; inner quotes belong to the outer one.

    A quote left open at a paragraph break continues when the next paragraph opens with the same
    mark (the repeat convention) or the quote closes, there or in a later paragraph, before any new
    quote with its mark opens (the omit convention);
    otherwise it was not a quote (a stray mark) and is dropped, so a typo never swallows an article.
    """
    out: list[Quote] = []
    stack: list[tuple[str, int]] = []  # (opening mark, interior start), outermost first
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n" and stack and (brk := PARAGRAPH_BREAK.match(text, i)):
            nxt = brk.end()
            stack = stack[:1] if _continues(text, nxt, stack[0][0]) else []
            i = nxt + 1 if stack and nxt < n and text[nxt] == stack[0][0] else nxt
            continue
        if ch in QUOTE_MARKS:
            role = _role(text, i, stack)
            if role == "close":
                depth = max(k for k, (o, _) in enumerate(stack) if ch in QUOTE_PAIRS[o])
                opener, start = stack[depth]
                del stack[depth:]
                if not stack:
                    out.append(Quote(start, i, opener))
            elif role == "open":
                stack.append((ch, i + 1))
        i += 1
    return out


def _continues(text: str, start: int, opener: str) -> bool:
    """Whether a quote opened by ``opener`` and still open at a paragraph break goes on in the
    paragraph at ``start``: it repeats the mark, or the quote closes, in this paragraph or a later
    one (paragraphs without marks in between), before a new quote with the same mark opens."""
    if start < len(text) and text[start] == opener:
        return True
    stack = [(opener, 0)]
    for i in range(start, len(text)):
        if text[i] in QUOTE_MARKS:
            role = _role(text, i, stack)
            if role == "close":
                return True
            if role == "open" and text[i] == opener:
                return False
    return False


# a cue set off by dashes inside the marks: «Q1, — сказал он. — Q2» (the quote goes on after it);
# the comma before it stands inside the marks, so it stays with Q1
DASH_CUE = re.compile(r"\s+[—–]\s.*?\w.*?\s[—–]\s*", re.S)


def _has_alnum(s: str) -> bool:
    return any(c.isalnum() for c in s)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


INNER_PUNCTUATION = ".,!?…;:"


def punctuation_inside_marks(text: str, end: int) -> int:
    """Where a quote's claim ending at ``end`` really ends: past the punctuation that stands before a
    closing mark (``"We will hold the line," he said`` keeps the comma). ``end`` if there is none."""
    stop = end
    while stop < len(text) and text[stop] in INNER_PUNCTUATION:
        stop += 1
    return stop if end < stop < len(text) and text[stop] in QUOTE_CLOSERS else end


def opens_quote(text: str, start: int) -> bool:
    """Whether a span starting at ``start`` stands right after an opening quotation mark."""
    before = text[:start].rstrip()
    return bool(before) and before[-1] in QUOTE_OPENERS


def is_quoted(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` stands between an opening and a closing mark (a direct quote's claim)."""
    after = text[end:].lstrip(" ,.")
    return opens_quote(text, start) and bool(after) and after[0] in QUOTE_CLOSERS


def quote_claim_span(text: str, quote: Quote) -> tuple[int, int]:
    """The interior of a quotation region, whitespace trimmed (inner punctuation kept)."""
    return _trim(text, quote.start, quote.end)


def quote_claims(text: str, quote: Quote, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Whole claims of a quotation region from the pieces of it that were found as claims.

    The region is one claim except where a dash-delimited cue stands between two pieces
    (``«Q1, — сказал он. — Q2»``); gaps without such a cue (a sentence the tagger left out)
    are filled, and the first and last claims reach the region's edges.
    """
    start, end = quote_claim_span(text, quote)
    pieces = sorted(pieces)
    if not pieces:
        return []
    out, cur = [], start
    for (_, a_end), (b_start, _) in zip(pieces, pieces[1:]):
        cue = DASH_CUE.search(text, a_end, b_start)
        if cue and not _has_alnum(text[a_end:cue.start()]) and not _has_alnum(text[cue.end():b_start]):
            out.append(_trim(text, cur, cue.start()))
            cur = cue.end()
    tail = DASH_CUE.search(text, pieces[-1][1], end)
    out.append(_trim(text, cur, tail.start() if tail else end))
    return [(s, e) for s, e in out if s < e]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans of paragraphs (separated by blank lines), whitespace trimmed."""
    cuts = [0] + [x for m in PARAGRAPH_BREAK.finditer(text) for x in (m.start(), m.end())] + [len(text)]
    return [span for span in (_trim(text, a, b) for a, b in zip(cuts[::2], cuts[1::2])) if span[0] < span[1]]


# --- sentences ------------------------------------------------------------------------------
SENTENCE_END = frozenset(".!?…")  # marks that end a sentence (a word of their own, see WORD_RE)
_SENTENCE_BREAK = re.compile("\\n|[" + re.escape("".join(sorted(SENTENCE_END))) + "]+["
                           + re.escape(QUOTE_CLOSERS) + "]*(?=\\s)")
_NEXT_CHAR = re.compile(r"\s*(\S)")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, whitespace trimmed: a line break ends one, and so do . ! ? … (with the closing
    marks after them) before a capital, a digit or an opening mark, unless they follow an initial
    (``J. Smith``) or an abbreviation of ``resources`` (``Mr.``, ``вул.``)."""
    cuts = [0]
    for m in _SENTENCE_BREAK.finditer(text):
        if m.group() != "\n":
            nxt = _NEXT_CHAR.match(text, m.end())
            before = _WORD_BEFORE.search(text[max(0, m.start() - 20):m.start() + 1])
            if nxt and not (nxt.group(1).isupper() or nxt.group(1).isdigit() or nxt.group(1) in QUOTE_OPENERS):
                continue
            if before and (len(before.group(1)) == 1 and before.group(1).isupper()
                           or before.group(1).lower() in abbreviations()):
                continue
        cuts.append(m.end())
    cuts.append(len(text))
    return [span for span in (_trim(text, a, b) for a, b in zip(cuts, cuts[1:])) if span[0] < span[1]]


def word_sentences(text: str, words: list[tuple[int, int]]) -> list[int]:
    """The index in ``sentences(text)`` of each word (by its start)."""
    starts = [s for s, _ in sentences(text)]
    return [max(0, bisect.bisect_right(starts, start) - 1) for start, _ in words]


def sentence_ids(text: str, words: list[tuple[int, int]]) -> list[int]:
    """Sentence index of each word for the model's link features: a new sentence after a word that is a
    sentence-final mark, or at a line break. Coarser than ``sentences`` (``1.5``, ``Mr.`` and a mark
    before a closing quote end one too), and kept so: checkpoints were trained on these ids, and
    ``augment.reflow`` moves paragraph breaks only where they do not change them."""
    out, sent = [], 0
    for i, (start, _) in enumerate(words):
        if i and (text[words[i - 1][0]:words[i - 1][1]] in SENTENCE_END or "\n" in text[words[i - 1][1]:start]):
            sent += 1
        out.append(sent)
    return out
