"""The published model folder: the joint model for ``newsattrib.load``, its entity head as a standard
``AutoModelForTokenClassification`` for plain ``transformers``, the ONNX graph, and a model card.

Layout of ``DIR``::

    newsattrib.json, model.safetensors, tokenizer files   the joint model (newsattrib.load(DIR))
    model.onnx                                            encoder + heads (newsattrib.load(DIR, backend="onnx"))
    token-classification/                                 config.json (id2label), model.safetensors, tokenizer
    README.md                                             the model card (Hub YAML metadata)

The entity head is a Linear on each word's first-token state, so the same weights on every token make a
token classifier: the state of a word's first token is the state the head was trained on. Where
``transformers.pipeline`` and ``newsattrib`` differ is in what surrounds the head (words, windows,
decoding); see ``pipeline_settings`` and the README's "Publishing" section.
"""
from __future__ import annotations

import copy
import json
import os
import shutil
from pathlib import Path

from .errors import NewsAttribError
from .fileio import CONFIG_NAME
from .features import MARKS, _word_start_marker

TOKEN_CLASSIFICATION = "token-classification"  # the subfolder of the plain transformers checkpoint
ONNX_NAME = "model.onnx"
CARD_NAME = "README.md"


def pipeline_settings(spec) -> dict:
    """The ``transformers.pipeline`` arguments closest to newsattrib's entities (measured in the README):
    token labels grouped as they stand ("simple"; "first" would extend a label over the punctuation glued
    to a word), windows of the model's own length with its own overlap."""
    return {"aggregation_strategy": "simple", "stride": spec.stride}


def pipeline_entities(text: str, found: list[dict]) -> list[dict]:
    """``transformers.pipeline`` output as corpus-format entities: a SentencePiece token's span includes
    the space before it, which is trimmed."""
    out = []
    for e in found:
        start, end = int(e["start"]), int(e["end"])
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end -= len(text[start:end]) - len(text[start:end].rstrip())
        if start < end:
            out.append({"id": f"e{len(out) + 1}", "start": start, "end": end,
                        "label": e.get("entity_group", e.get("entity")), "score": round(float(e["score"]), 4)})
    return out


def token_classification_model(nlp):
    """``(model, tokenizer)``: an ``AutoModelForTokenClassification`` carrying the encoder and the entity
    head of a loaded newsattrib pipeline (torch backend), and its tokenizer set to the model's window
    length, so ``pipeline("token-classification", model=model, tokenizer=tokenizer, stride=...)`` runs it."""
    from transformers import AutoModelForTokenClassification

    from .modeling import encoder_config

    src = nlp.model
    if not hasattr(src, "encoder"):
        raise NewsAttribError("token_classification_model needs a pipeline loaded with backend='torch'")
    spec = src.spec
    config = encoder_config(spec.encoder)
    config.num_labels = len(spec.entity_tags)
    config.id2label = dict(enumerate(spec.entity_tags))
    config.label2id = {t: i for i, t in enumerate(spec.entity_tags)}
    config.architectures = None
    model = AutoModelForTokenClassification.from_config(config)
    base = getattr(model, model.base_model_prefix)
    missing, unexpected = base.load_state_dict(src.encoder.state_dict(), strict=False)
    if unexpected or [k for k in missing if "pooler" not in k]:
        raise NewsAttribError(f"the encoder does not fit {type(model).__name__} "
                              f"(missing {missing[:1]}, unexpected {unexpected[:1]})")
    model.classifier.load_state_dict(src.entity_head.state_dict())
    tokenizer = word_split_tokenizer(nlp.tokenizer)
    tokenizer.model_max_length = spec.max_length
    return model.to(src.device).eval(), tokenizer


def word_split_tokenizer(tokenizer):
    """A copy of a SentencePiece-style tokenizer that also splits where newsattrib's words meet
    (``tokenizer.words_of``), so that each word starts a token of its own, as in training: ``$37.6``
    reads ``▁$|37|.|6``, not ``▁$3|7.6``. A word glued to the one before gets no ``▁``, as newsattrib
    strips it. On the test split 99.2% of words then start with newsattrib's token (95.9% without).
    Other tokenizers (WordPiece, byte-level BPE) are returned as copies, unchanged."""
    from tokenizers import Tokenizer

    tokenizer = copy.deepcopy(tokenizer)
    if _word_start_marker(tokenizer) != "▁":
        return tokenizer
    marks = "".join(f"\\x{{{ord(c):X}}}" if ord(c) > 127 else c for c in MARKS)  # oniguruma's escapes
    split = {"type": "Split", "pattern": {"Regex": rf"▁?(?:[\w{marks}]+|[^\w\s▁{marks}][{marks}]*)|▁"},
             "behavior": "Isolated", "invert": False}
    state = json.loads(tokenizer.backend_tokenizer.to_str())
    state["pre_tokenizer"] = {"type": "Sequence", "pretokenizers": [p for p in (state["pre_tokenizer"], split) if p]}
    tokenizer._tokenizer = Tokenizer.from_str(json.dumps(state))
    return tokenizer


def write_folder(nlp, out: str | Path, source: str | Path, onnx: bool = True, card: str | None = None) -> Path:
    """Write the joint model, the token classifier, (``onnx``) the ONNX graph and the ``card`` text under
    ``out``, all at once: a half-written export is never left under its name."""
    out = Path(out)
    check_out(out, Path(source))
    staging = out.with_name(f".{out.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        nlp.model.save(staging)
        nlp.tokenizer.save_pretrained(staging)  # newsattrib's own, as trained
        model, tokenizer = token_classification_model(nlp)
        model.save_pretrained(staging / TOKEN_CLASSIFICATION)
        tokenizer.save_pretrained(staging / TOKEN_CLASSIFICATION)
        if onnx:
            from .onnx_backend import export_onnx
            export_onnx(nlp.model, staging / ONNX_NAME)
        if card is not None:
            (staging / CARD_NAME).write_text(card, encoding="utf-8")
        _readable(staging)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _readable(folder: Path) -> None:
    """Files as the umask allows for new files (safetensors writes its files for the owner alone)."""
    umask = os.umask(0)
    os.umask(umask)
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o666 & ~umask)


def check_out(out: Path, source: Path) -> None:
    """Refuse an ``out`` that is, holds or lies inside the model being exported, is a file, or is a folder
    with anything but an earlier export in it (it is replaced as a whole)."""
    real_out, real_src = Path(os.path.realpath(out)), Path(os.path.realpath(source))
    if real_out == real_src or real_src.is_relative_to(real_out) or real_out.is_relative_to(real_src):
        raise NewsAttribError(f"out={out}: is, holds or lies inside the model folder {source}; "
                              "give a folder apart from it")
    if out.is_file():
        raise NewsAttribError(f"{out}: is a file; give a folder for the exported model")
    if out.is_dir() and any(out.iterdir()) and not (out / CONFIG_NAME).is_file() \
            and not (out / TOKEN_CLASSIFICATION).is_dir():
        raise NewsAttribError(f"{out}: a folder that is not an earlier export and not empty; give a new folder")


def push_to_hub(folder: Path, repo_id: str, private: bool = False) -> str:
    """Upload the folder to a model repository; any failure to reach the hub is one NewsAttribError."""
    try:
        from huggingface_hub import HfApi
        api = HfApi()
        api.create_repo(repo_id, repo_type="model", private=private, exist_ok=True)
        info = api.upload_folder(folder_path=str(folder), repo_id=repo_id, repo_type="model",
                                 commit_message="newsattrib export")
    except Exception as exc:  # noqa: BLE001 - connection, offline mode, auth, HTTP: all the same to the user
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise NewsAttribError(f"push_to_hub={repo_id}: the hub cannot be reached or refused the upload "
                              f"({type(exc).__name__}: {first}); the folder is written at {folder}") from None
    return str(getattr(info, "commit_url", info))
