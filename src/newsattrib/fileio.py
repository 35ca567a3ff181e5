"""Writes that never leave a half-written file that looks complete: a temporary name, then rename.

Everything here is plain Python (no torch), so the command-line tools can check paths and files
before the slow imports.
"""
from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path

from .errors import NewsAttribError

# the files of a model folder (see newsattrib.modeling), here so that checks run before torch is imported
CONFIG_NAME = "newsattrib.json"
WEIGHTS_NAME = "model.safetensors"


def resolve_output(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` lands in: a symlink is followed (written through, not replaced)."""
    return Path(os.path.realpath(path))


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside the real target and a rename onto it,
    so a reader sees the old file or the new one, never half of one; a symlink stays a symlink."""
    target = resolve_output(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _keep_mode(target: Path, new: Path) -> None:
    try:
        os.chmod(new, target.stat().st_mode & 0o7777)
    except FileNotFoundError:
        pass


def check_output_path(output: str | os.PathLike, inputs: list[str | os.PathLike] = (),
                      protected_dirs: list[str | os.PathLike] = ()) -> Path:
    """Refuse an output path before any work: one that is (or links to) an input, lies inside a folder
    that must not change (the model), is a folder, or sits under a file. Returns the resolved target."""
    shown = str(output)
    if not shown:
        raise NewsAttribError("the output path is empty")
    target = resolve_output(output)
    for f in inputs:
        if target.exists() and os.path.exists(f) and os.path.samefile(target, f):
            link = f" (through a link to {target})" if Path(output).is_symlink() else ""
            raise NewsAttribError(f"{shown}: the output is the input file {f}{link}; it would be overwritten, "
                                  "give another output path")
    for d in protected_dirs:
        if os.path.isdir(d) and target.parent.exists() and os.path.samefile(target.parent, d):
            raise NewsAttribError(f"{shown}: the output would be written inside the model folder {d}; "
                                  "give a path outside it")
    if target.is_dir():
        raise NewsAttribError(f"{shown}: is a folder; give a file name for the output (e.g. {Path(shown) / 'out.jsonl'})")
    parent = target.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise NewsAttribError(f"{shown}: cannot be created: {parent} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise NewsAttribError(f"{shown}: cannot be written: permission denied in {parent}")
    return target


class ResumableJsonl:
    """A JSONL output that survives interruption: records go to ``OUT.partial``, one flushed line each, in
    input order; ``OUT.partial.key`` says which inputs and model they are for. Opened again with the same
    key, the complete lines already there are kept (``done``) and writing continues after them; with another
    key it starts again. ``commit()`` renames the finished file onto ``OUT`` (through a symlink), so ``OUT``
    is never half-written.

    One writer per output: a multi-process run keeps this in the main process and hands it the records of
    the other processes in input order (``split_between_processes`` over ``articles[done:]``, then gather).
    """

    def __init__(self, path: str | os.PathLike, key: str, check=None):
        """``check(i, record)`` may refuse a kept record (returns False): it and all after it are dropped."""
        self.path = Path(path)
        self.target = resolve_output(path)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.partial = self.target.with_name(self.target.name + ".partial")
        self.keyfile = self.target.with_name(self.target.name + ".partial.key")
        self.restarted = False  # a partial file of other inputs or another model was dropped
        self.done = 0
        kept = 0
        if self.partial.is_file() and self.keyfile.is_file() and self.keyfile.read_text(encoding="utf-8") == key:
            self.done, kept = _complete_lines(self.partial, check)
        elif self.partial.exists() or self.keyfile.exists():
            self.restarted = True
        self._file = open(self.partial, "r+b" if self.partial.is_file() else "wb")
        self._file.truncate(kept)  # drops a line cut off by a crash, and refused records
        self._file.seek(kept)
        self._good = kept
        if not self.keyfile.is_file() or self.keyfile.read_text(encoding="utf-8") != key:
            atomic_write_text(self.keyfile, key)

    def append(self, record: dict) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        self._file.write(line)
        self._file.flush()
        self._good += len(line)
        self.done += 1

    def commit(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        _keep_mode(self.target, self.partial)
        os.replace(self.partial, self.target)
        self.keyfile.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop without committing: what was written stays in ``OUT.partial``, cut at the last whole record."""
        if not self._file.closed:
            try:
                self._file.flush()
            finally:
                self._file.truncate(self._good)
                self._file.close()


def _complete_lines(path: Path, check) -> tuple[int, int]:
    """(number of records, bytes) of the whole, valid lines at the start of a partial file."""
    n, size = 0, 0
    with open(path, "rb") as f:  # not read_jsonl: it stops quietly at the first incomplete or broken line
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                rec = json.loads(line)
            except ValueError:
                break
            if check is not None and not check(n, rec):
                break
            n += 1
            size += len(line)
    return n, size


def read_jsonl(path: str | os.PathLike) -> Iterator[tuple[int, dict]]:
    """(line number, record) of each non-blank line of a JSON-lines file of objects, read as it goes.

    Lines end at ``\n`` only (a text may hold U+2028); a line that is not UTF-8, not JSON or not an object
    is a NewsAttribError ``FILE:LINE: ...``. Unreadable files raise OSError. The corpus and prediction
    readers have their own loops: they report every problem of a file at once.
    """
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise NewsAttribError(f"{path}:{lineno}: not valid UTF-8 (byte {exc.start})") from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise NewsAttribError(f"{path}:{lineno}: broken JSON: {_json_msg(exc)} at column {exc.colno}") \
                    from None
            if not isinstance(rec, dict):
                raise NewsAttribError(f"{path}:{lineno}: not a JSON object")
            yield lineno, rec


def read_json_file(path: Path) -> object:
    """A JSON file of a model folder, or a NewsAttribError saying what is wrong with it."""
    if not path.is_file():
        raise NewsAttribError(f"{path}: missing")
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NewsAttribError(f"{path}: corrupt: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise NewsAttribError(f"{path}: corrupt: not valid JSON ({_json_msg(exc)} at line {exc.lineno} "
                              f"column {exc.colno})") from None


def _json_msg(exc: json.JSONDecodeError) -> str:
    """``json``'s message without a dangling "at" ("Unterminated string starting at")."""
    return exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg


def check_safetensors(path: Path) -> None:
    """The header of a safetensors file is whole and its tensors fit in the file (a truncated copy fails)."""
    if not path.is_file():
        raise NewsAttribError(f"{path}: missing; a model folder holds its weights in model.safetensors")
    size = path.stat().st_size
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if len(head) < 8:
                raise ValueError(f"{size} bytes, no header")
            (n,) = struct.unpack("<Q", head)
            if n > size - 8:
                raise ValueError(f"header of {n} bytes in a file of {size}")
            header = json.loads(f.read(n))
        if not isinstance(header, dict):
            raise ValueError("header is not a JSON object")
        end = max([t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"] or [0])
        if 8 + n + end > size:
            raise ValueError(f"{size} bytes, the tensors need {8 + n + end}")
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise NewsAttribError(f"{path}: corrupt or truncated weights ({exc})") from None


TOKENIZER_JSON = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json")


def check_tokenizer_files(folder: Path) -> None:
    """The JSON files a tokenizer is read from are whole JSON objects (a truncated copy is named)."""
    for name in TOKENIZER_JSON:
        path = folder / name
        if path.exists() and not isinstance(read_json_file(path), dict):
            raise NewsAttribError(f"{path}: corrupt: a JSON object is needed")


def read_model_folder(folder: str | os.PathLike) -> dict:
    """Check the files of a model folder without loading anything heavy: the folder, the config file (a JSON
    object, returned), the safetensors header against the file's size, the tokenizer's JSON files."""
    folder = Path(folder)
    raw = read_model_config(folder)
    check_safetensors(folder / WEIGHTS_NAME)
    if not (folder / "tokenizer.json").is_file():
        raise NewsAttribError(f"{folder / 'tokenizer.json'}: missing; newsattrib needs the model's fast tokenizer")
    check_tokenizer_files(folder)
    return raw


def read_model_config(folder: str | os.PathLike) -> dict:
    """The config file of a model folder as a JSON object, or a NewsAttribError naming what is wrong."""
    folder = Path(folder)
    if not folder.exists():
        raise NewsAttribError(f"{folder}: no such model folder")
    if not folder.is_dir():
        raise NewsAttribError(f"{folder}: is a file, not a model folder")
    path = folder / CONFIG_NAME
    if not path.is_file():
        raise NewsAttribError(f"{folder}: not a newsattrib model folder ({CONFIG_NAME} missing)")
    raw = read_json_file(path)
    if not isinstance(raw, dict):
        raise NewsAttribError(f"{path}: corrupt: a JSON object is needed, not {type(raw).__name__}")
    return raw
