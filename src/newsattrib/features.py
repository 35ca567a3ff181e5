"""From character spans to word-level IOB2 labels and model windows, and back.

Scores are computed on *words* (``\\w+`` runs and single punctuation marks), not on
subword pieces, so checkpoints with different tokenizers are compared on the same units.
Each word is represented by its first subword token, and every word starts a token of its own
(``encode_article``). Windows of at most ``max_length`` tokens with ``stride`` tokens of overlap cover an article,
and every token is *owned* by the window in which it sits farthest from an edge, so no
token is dropped and each gets exactly one prediction.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .corpus import Article
from .linking import chain_roles
from .schema import NEWS, Schema
from .textunits import sentence_ids

# combining marks, variation selectors, joiners and emoji modifiers stay with the character before them
MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\u200d" \
        "\U0001f3fb-\U0001f3ff"
WORD_RE = re.compile(rf"[\w{MARKS}]+|[^\w\s][{MARKS}]*")


def words_of(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text)]


def spans_to_tags(words: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[str]:
    """IOB2 tags of words for non-overlapping character spans (a word overlapping a span is inside it)."""
    tags = ["O"] * len(words)
    spans = sorted(spans)
    w = 0
    for start, end, label in spans:
        while w < len(words) and words[w][1] <= start:
            w += 1
        first = True
        i = w
        while i < len(words) and words[i][0] < end:
            if tags[i] == "O":
                tags[i] = f"{'B' if first else 'I'}-{label}"
                first = False
            i += 1
    return tags


def tags_to_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Word spans ``(first, last_exclusive, type)``; an ``I-`` with no open span of its type starts one."""
    spans, cur = [], None
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, typ = tag.partition("-")
        if cur and not (prefix == "I" and typ == cur[2]):
            spans.append((cur[0], i, cur[2]))
            cur = None
        if prefix == "B" or (prefix == "I" and cur is None):
            cur = (i, None, typ)
    return spans


@dataclass
class EncodedArticle:
    """An article as the model sees it: all token ids, and for each word its first token."""
    input_ids: list[int]
    word_spans: list[tuple[int, int]]  # character spans of words
    word_token: list[int]  # index into input_ids of each word's first token


def encode_article(tokenizer, text: str, split_words: bool = True) -> EncodedArticle:
    """Token ids of a text and each word's first token.

    ``split_words``: every word starts a token of its own, so no two words share a state. (Tokenized as
    a whole, ``$37.6`` gives ``▁$3|7.6`` and ``"We`` gives ``▁"We``: a QUANTITY's ``$`` and its number, a
    quote's mark and its first word would get one prediction for two labels.) A word glued to the one
    before it (no space between) loses the tokenizer's word-start marker where the vocabulary has the
    piece without it, so ``$37.6`` reads ``▁$|37|.|6``, near what the encoder saw in pretraining.
    ``split_words=False`` is the whole-text encoding of models saved before this existed.
    """
    words = words_of(text)
    if not split_words:
        return _encode_whole(tokenizer, text, words)
    if not words:
        return EncodedArticle([], [], [])
    # verbose=False: the whole article is longer than one window by design, it is cut into windows later
    enc = tokenizer([text[s:e] for s, e in words], is_split_into_words=True, add_special_tokens=False, verbose=False)
    pieces = [[] for _ in words]
    for tid, w in zip(enc["input_ids"], enc.word_ids()):
        pieces[w].append(tid)
    marker = _word_start_marker(tokenizer)
    input_ids, word_token = [], []
    for i, ids in enumerate(pieces):
        if marker and i and words[i - 1][1] == words[i][0]:
            ids = _unmarked(tokenizer, ids, marker)
        word_token.append(len(input_ids))
        input_ids += ids or [tokenizer.unk_token_id]
    return EncodedArticle(input_ids, words, word_token)


@functools.lru_cache(maxsize=8)
def _word_start_marker(tokenizer) -> str:
    """What the tokenizer puts before a word's first piece: ``▁`` (SentencePiece), ``Ġ`` (byte BPE) or
    nothing (WordPiece, whose pieces inside a word carry ``##`` instead)."""
    pieces = "".join(tokenizer.convert_ids_to_tokens(tokenizer("a", add_special_tokens=False)["input_ids"]))
    return pieces[:-1] if pieces.endswith("a") else ""


def _unmarked(tokenizer, ids: list[int], marker: str) -> list[int]:
    """The pieces of a word without its word-start marker, where the vocabulary allows."""
    if not ids:
        return ids
    head = tokenizer.convert_ids_to_tokens(ids[0])
    if head == marker:
        return ids[1:] or ids
    if head.startswith(marker):
        bare = tokenizer.convert_tokens_to_ids(head[len(marker):])
        if bare is not None and bare != tokenizer.unk_token_id:
            return [bare] + ids[1:]
    return ids


def _encode_whole(tokenizer, text: str, words: list[tuple[int, int]]) -> EncodedArticle:
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    offsets = [(s, e) for s, e in enc["offset_mapping"]]
    word_token, t = [], 0
    for start, _ in words:
        # the first token whose span reaches past the word's start holds the word's first character
        while t < len(offsets) - 1 and offsets[t][1] <= start:
            t += 1
        # a bare "▁" piece shares the span of the character after it: prefer the real piece
        while t < len(offsets) - 1 and offsets[t + 1][0] <= start < offsets[t + 1][1]:
            t += 1
        word_token.append(t)
    if words and not offsets:  # text the tokenizer maps to nothing at all
        raise ValueError("tokenizer produced no tokens for a non-empty text")
    return EncodedArticle(list(enc["input_ids"]), words, word_token)


def windows(n_tokens: int, max_tokens: int, stride: int) -> list[tuple[int, int]]:
    """Token ranges ``[a, b)`` of at most ``max_tokens`` covering ``n_tokens`` with ``stride`` overlap."""
    if stride >= max_tokens:
        raise ValueError(f"stride ({stride}) must be smaller than the window ({max_tokens} tokens)")
    if n_tokens <= max_tokens:
        return [(0, max(n_tokens, 1))]
    out, a = [], 0
    while True:
        b = min(a + max_tokens, n_tokens)
        out.append((b - max_tokens, b) if b - a < max_tokens else (a, b))
        if b == n_tokens:
            return out
        a = b - stride


def owners(n_tokens: int, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """For each token, ``(window, position)`` of the window where it is farthest from an edge."""
    best = [(-1, -1, -1)] * n_tokens
    for w, (a, b) in enumerate(spans):
        for t in range(a, min(b, n_tokens)):
            margin = min(t - a, b - 1 - t)
            if margin > best[t][0]:
                best[t] = (margin, w, t - a)
    return [(w, p) for _, w, p in best]


def article_tags(article: Article, words: list[tuple[int, int]]) -> tuple[list[str], list[str]]:
    """Gold entity and claim tags of an article's words."""
    ents = spans_to_tags(words, [(e.start, e.end, e.label) for e in article.entities])
    claims = spans_to_tags(words, [(a.start, a.end, a.label) for a in article.attributions])
    return ents, claims


def word_span_of(words: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """Word range ``[first, last)`` covering a character span, or None if no word falls inside."""
    idx = [i for i, (s, e) in enumerate(words) if s < end and e > start]
    return (idx[0], idx[-1] + 1) if idx else None


def featurize(article: Article, tokenizer, with_labels: bool = True, split_words: bool = True,
              schema: Schema = NEWS) -> dict:
    """Model features of one article (all lists, ready for ``datasets``): tokens, words, tags (ids in
    ``schema``'s tag lists), links (between claims and mentions of the schema's source types)."""
    enc = encode_article(tokenizer, article.text, split_words)
    feats = {
        "id": article.id, "input_ids": enc.input_ids, "word_token": enc.word_token,
        "word_sentence": sentence_ids(article.text, enc.word_spans),
    }
    if not with_labels:
        return feats
    ent_tags, claim_tags = article_tags(article, enc.word_spans)
    entity_ids = {t: i for i, t in enumerate(schema.entity_tags)}
    claim_ids = {t: i for i, t in enumerate(schema.claim_tags)}
    feats["entity_tags"] = [entity_ids[t] for t in ent_tags]
    feats["claim_tags"] = [claim_ids[t] for t in claim_tags]
    mentions = [e for e in article.entities if e.label in schema.sources]
    mention_words = [word_span_of(enc.word_spans, e.start, e.end) for e in mentions]
    index = {e.id: i for i, e in enumerate(mentions)}
    claims, roles = [], []
    for att in article.attributions:
        span = word_span_of(enc.word_spans, att.start, att.end)
        if span is not None:
            claims.append(list(span))
            roles.append(chain_roles([index[m] for m in att.chain], len(mentions)))
    feats["mention_spans"] = [list(s) for s in mention_words]
    feats["claim_spans"] = claims
    feats["link_roles"] = roles  # [claim][mention]
    return feats
