"""The published model as downstream code uses it: ``newsattrib.load(path).predict(text)``."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Iterator

import torch
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from .corpus import Article
from .data_collator import ArticleCollator
from .errors import NewsAttribError
from .fileio import check_tokenizer_files
from .decoding import decode_article
from .modeling import NewsAttribModel, int8_dynamic
from .features import featurize, words_of
from .linking import scored_mentions

MAX_CHARS = 100_000  # longer texts are read in pieces of this size, so memory stays bounded


class Pipeline:
    def __init__(self, model: NewsAttribModel, tokenizer: PreTrainedTokenizerFast, batch_size: int = 4,
                 decoding: dict | None = None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.decoding = {**model.spec.decoding, **(decoding or {})}  # the saved rules, overridden if asked
        self.schema = model.spec.label_schema
        self.collator = ArticleCollator.for_model(model.spec, tokenizer)

    @torch.inference_mode()
    def predict_articles(self, articles: Iterable[Article], progress: bool = False) -> list[dict]:
        """Records in the corpus format (with scores) for articles; their gold spans are ignored."""
        articles = list(articles)
        out = []
        steps = range(0, len(articles), self.batch_size)
        if progress:
            from tqdm.auto import tqdm
            steps = tqdm(steps, desc="predict", unit="batch")
        for i in steps:
            out += self._predict_batch(articles[i:i + self.batch_size])
        return out

    def predict(self, text: str, lang: str | None = None, id: str = "doc") -> dict:
        """One record for one plain text; very long texts are read in pieces and joined back."""
        text = text if isinstance(text, str) else str(text)
        pieces = _pieces(text)
        records = self.predict_articles([Article(f"{id}#{k}", lang or "", p) for k, p in enumerate(pieces)])
        return _join(records, pieces, id, lang)

    def predict_stream(self, articles: Iterable[Article]) -> Iterator[dict]:
        """``predict``'s record for each article's text, in input order, each given as soon as its batch is
        done, so a caller can write records while the rest are predicted (``scripts/predict.py``).

        Articles (their pieces, when long) share batches of ``batch_size``; only one batch's articles
        are held. A multi-process run gives each process its share of the articles and merges in order.
        """
        held, units = [], []  # articles of the batch being filled, and their pieces
        for art in articles:
            pieces = _pieces(art.text if isinstance(art.text, str) else str(art.text))
            held.append((art, pieces))
            units += [Article(f"{art.id}#{k}", art.lang or "", p) for k, p in enumerate(pieces)]
            if len(units) >= self.batch_size:
                yield from self._joined(held, units)
                held, units = [], []
        if held:
            yield from self._joined(held, units)

    def _joined(self, held: list[tuple[Article, list[str]]], units: list[Article]) -> Iterator[dict]:
        records = self.predict_articles(units)
        at = 0
        for art, pieces in held:
            yield _join(records[at:at + len(pieces)], pieces, art.id, art.lang)
            at += len(pieces)

    def _predict_batch(self, articles: list[Article]) -> list[dict]:
        feats = [featurize(a, self.tokenizer, with_labels=False, split_words=self.model.spec.split_words)
                 for a in articles]
        nonempty = [i for i, f in enumerate(feats) if f["word_token"]]
        results = {}  # by position in the batch: ids need not be unique in user input
        if nonempty:
            words, ent, claim = self.model.head_probs(self.collator([feats[i] for i in nonempty]))
            start = 0
            for i in nonempty:
                n = len(feats[i]["word_token"])
                results[i] = (words[start:start + n], ent[start:start + n],
                              None if claim is None else claim[start:start + n], feats[i])
                start += n
        out = []
        cfg = self.model.spec
        for i, art in enumerate(articles):
            words = words_of(art.text)
            if i not in results:
                rec = {"text": art.text, "entities": [], "attributions": []}
            else:
                states, ent, claim, f = results[i]
                rec = decode_article(art.text, words, ent, cfg.entity_tags, claim, cfg.claim_tags,
                                     lambda c, m, s=states, f=f: scored_mentions(self.model, self.collator, s, f, c, m), cfg.roles,
                                     self.decoding, self.schema)
            out.append({"id": art.id, "lang": art.lang, **rec})
        return out


def _pieces(text: str) -> list[str]:
    return [text[i:i + MAX_CHARS] for i in range(0, len(text), MAX_CHARS)] or [""]


def _join(records: list[dict], pieces: list[str], id: str, lang: str | None) -> dict:
    """One record from the records of consecutive pieces of a text, with offsets and ids shifted."""
    out = {"id": id, "lang": lang or "", "text": "".join(pieces), "entities": [], "attributions": []}
    offset = 0
    for rec, piece in zip(records, pieces):
        ids = {}
        for e in rec["entities"]:
            ids[e["id"]] = f"e{len(out['entities']) + 1}"
            out["entities"].append({**e, "id": ids[e["id"]], "start": e["start"] + offset,
                                    "end": e["end"] + offset})
        for a in rec["attributions"]:
            out["attributions"].append({**a, "id": f"a{len(out['attributions']) + 1}",
                                        "claim": {"start": a["claim"]["start"] + offset,
                                                  "end": a["claim"]["end"] + offset},
                                        "chain": [ids[m] for m in a["chain"]]})
        offset += len(piece)
    return out


def load_tokenizer(path: str | os.PathLike) -> PreTrainedTokenizerFast:
    """The tokenizer of a local folder or hub id; a local folder's broken tokenizer files raise
    NewsAttribError naming the file."""
    local = Path(path).is_dir()
    if local:
        check_tokenizer_files(Path(path))
    try:
        tok = AutoTokenizer.from_pretrained(str(path), use_fast=True, trust_remote_code=False)
    except Exception as exc:  # noqa: BLE001 - tokenizers' and transformers' many error types
        if not local:
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        culprit = Path(path) / "tokenizer.json"
        try:
            from tokenizers import Tokenizer
            Tokenizer.from_file(str(culprit))
            culprit = Path(path) / "tokenizer_config.json"  # tokenizer.json itself is fine
        except Exception:  # noqa: BLE001
            pass
        raise NewsAttribError(f"{culprit}: not a usable tokenizer file ({type(exc).__name__}: {first})") from None
    if not tok.is_fast:
        raise NewsAttribError(f"{path}: newsattrib needs a fast tokenizer (tokenizer.json) for character offsets")
    lacking = [t for t in ("cls", "sep", "pad") if getattr(tok, f"{t}_token_id") is None]
    if lacking:
        where = Path(path) / "tokenizer_config.json" if local else path
        raise NewsAttribError(f"{where}: the tokenizer has no {'/'.join(lacking)} token; "
                              "the model's tokenizer_config.json is missing or not its own")
    return tok


def resolve_device(name: str | torch.device | None = "auto") -> torch.device:
    """``auto`` (or None): the GPU where there is one, else the CPU; otherwise a torch device name."""
    if name is None or name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
        torch.empty(0, device=device)
    except (RuntimeError, AssertionError) as exc:
        raise NewsAttribError(f"device {str(name)!r} cannot be used here ({str(exc).splitlines()[0][:120]}); "
                              "give cpu, cuda, cuda:N or auto") from None
    return device


BACKENDS = ("torch", "onnx")


def load(path: str | os.PathLike, batch_size: int = 4, decoding: dict | None = None,
         device: str | torch.device | None = "cpu", backend: str = "torch", int8: bool = False) -> Pipeline:
    """Load a published model folder (``newsattrib.json``, ``model.safetensors``, tokenizer files) onto
    ``device`` (``auto``: the GPU where there is one); ``decoding`` overrides the saved article-level
    decoding rules (e.g. ``{"speakers_need_chain": False}``). ``backend="onnx"`` runs the folder's
    ``model.onnx`` (written by ``scripts/export.py``) in onnxruntime on the CPU; ``int8``: the torch
    model with dynamic int8 quantization (CPU only)."""
    path = Path(path)
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise NewsAttribError(f"batch_size must be a whole number of 1 or more, got {batch_size!r}")
    if backend not in BACKENDS:
        raise NewsAttribError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    device = resolve_device(device)
    if backend == "onnx":
        from .onnx_backend import OnnxModel
        model = OnnxModel(path)
        rows = model.spec.encoder.get("vocab_size", 0)
    else:
        model = NewsAttribModel.load(path).to(device)
        rows = model.encoder.get_input_embeddings().num_embeddings
    tokenizer = load_tokenizer(path)
    top = max(tokenizer.get_vocab().values(), default=0)
    if top >= rows:
        raise NewsAttribError(f"{path / 'tokenizer.json'}: token ids go up to {top}, the model has {rows} "
                              "embeddings; the tokenizer is not this model's")
    if int8:
        if backend != "torch" or device.type != "cpu":
            raise NewsAttribError(f"int8 quantization is for the torch backend on the CPU, not {backend} on {device}")
        model = int8_dynamic(model)
    return Pipeline(model, tokenizer, batch_size, decoding)


def read_texts(path: str | os.PathLike, lang: str | None = None) -> list[Article]:
    """Prediction input: a ``.jsonl`` file of records with ``text`` (``id``, ``lang`` optional), or a plain
    text file read as one article. Problems are reported as ``FILE:LINE: article ID: ...`` (bytes that are
    not UTF-8 as ``FILE:LINE:COLUMN: ...``), all of a file at once."""
    path = Path(path)
    raw = path.read_bytes()
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if path.suffix != ".jsonl":
        lines = raw.split(b"\n")
        for lineno, line in enumerate(lines, start=1):
            problem = _not_utf8(path, lineno, line)
            if problem:
                raise NewsAttribError(problem)
        return [Article(path.stem, lang or "", raw.decode("utf-8").replace("\r\n", "\n"))]
    out, problems = [], []
    # not fileio.read_jsonl: every problem of the file is reported at once, not the first one
    for lineno, bline in enumerate(raw.split(b"\n"), start=1):
        problem = _not_utf8(path, lineno, bline)
        if problem:
            problems.append(problem)
            continue
        line = bline.decode("utf-8")
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            msg = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg  # "Unterminated string starting at"
            problems.append(f"{path}:{lineno}: article -: broken JSON: {msg} at column {exc.colno}")
            continue
        if not isinstance(rec, dict):
            problems.append(f"{path}:{lineno}: article -: needs a JSON object with a string 'text'")
            continue
        art_id, problem = rec.get("id"), None
        if art_id is None:
            art_id = f"{path.stem}-{lineno}"
        elif isinstance(art_id, bool) or not isinstance(art_id, (str, int)):
            problem, art_id = f"'id' must be a string, not {json.dumps(art_id)[:40]}", "-"
        rec_lang = rec.get("lang")
        if not isinstance(rec.get("text"), str):
            problem = problem or "needs a string 'text'"
        elif rec_lang is not None and not isinstance(rec_lang, str):
            problem = f"'lang' must be a string such as \"en\", not {json.dumps(rec_lang)[:40]}"
        if problem:
            problems.append(f"{path}:{lineno}: article {art_id}: {problem}")
            continue
        out.append(Article(str(art_id), rec_lang or lang or "", rec["text"]))
    if problems:
        raise NewsAttribError("\n".join(problems))
    return out


def _not_utf8(path: Path, lineno: int, line: bytes) -> str | None:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        column = len(line[:exc.start].decode("utf-8")) + 1
        return f"{path}:{lineno}:{column}: article -: not valid UTF-8 (byte 0x{line[exc.start]:02x}); save it as UTF-8"
    return None
