"""Prediction speed-ups keep results: length-bucketed windows give the states of one padded call; int8
dynamic quantization is an option of ``load`` on the CPU."""
import json
import shutil

import pytest
import torch

import newsattrib
from newsattrib import modeling
from newsattrib.corpus import Article
from newsattrib.errors import NewsAttribError
from newsattrib.data_collator import ArticleCollator
from newsattrib.linking import MAX_CANDIDATES
from newsattrib.modeling import WORD_INPUTS, build_model
from newsattrib.pipeline import load_tokenizer
from newsattrib.features import featurize


def test_bucketed_states_match_one_padded_call(tiny_model_dir, articles, monkeypatch):
    torch.manual_seed(0)
    model = build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16).eval()
    tok = load_tokenizer(tiny_model_dir)
    short = [Article("s1", "en", "Okhrimenko said."), Article("s2", "uk", "Коваль заявив, що дрони збито.")]
    feats = [featurize(a, tok, with_labels=False) for a in [short[0], *articles[:4], short[1]]]
    batch = ArticleCollator.for_model(model.spec, tok)(feats)
    assert len(set(batch["attention_mask"].sum(1).tolist())) > 1  # windows of several lengths
    inputs = {k: batch[k] for k in WORD_INPUTS}
    monkeypatch.setattr(modeling, "INFERENCE_TOKENS", 24 * 3)  # several chunks
    with torch.inference_mode():
        bucketed = model.word_states(**inputs, window_lengths=batch["attention_mask"].sum(1).tolist())
        hidden = model.encoder(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).last_hidden_state
        plain = hidden[inputs["token_window"], inputs["token_pos"]][inputs["word_token"]]
    torch.testing.assert_close(bucketed, plain, rtol=1e-5, atol=1e-5)


def test_int8_predicts_on_the_cpu_only(tiny_model_dir, articles, tmp_path):
    build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16).save(tmp_path)
    load_tokenizer(tiny_model_dir).save_pretrained(tmp_path)
    nlp = newsattrib.load(tmp_path, int8=True)
    quantized = {n for n, m in nlp.model.named_modules() if isinstance(m, torch.ao.nn.quantized.dynamic.Linear)}
    assert quantized and all(n.startswith("encoder.") and ".attention." in n for n in quantized)
    assert isinstance(nlp.model.entity_head, torch.nn.Linear)  # heads and feed-forward layers stay in fp32
    records = nlp.predict_articles(articles[:3])
    assert [r["id"] for r in records] == [a.id for a in articles[:3]]
    with pytest.raises(NewsAttribError, match="torch backend on the CPU"):
        newsattrib.load(tmp_path, int8=True, device="meta")


def test_windows_fit_the_encoders_positions(tiny_model_dir, tmp_path):
    """The tiny encoder has 128 positions: the default window shrinks to it, a longer one is one clear error
    (in ``build_model`` and in a saved folder), never a shape error inside the encoder."""
    model = build_model(tiny_model_dir, link_hidden=16)
    assert model.spec.max_length == 128
    long_text = " ".join(["Коваль заявив, що 12 дронів збито над Києвом."] * 40)
    records = newsattrib.Pipeline(model, load_tokenizer(tiny_model_dir)).predict_articles(
        [Article("long", "uk", long_text)])
    assert records[0]["id"] == "long"
    with pytest.raises(NewsAttribError, match="longer than the encoder's 128 positions"):
        build_model(tiny_model_dir, max_length=200)
    model.save(tmp_path)
    raw = json.loads((tmp_path / "newsattrib.json").read_text())
    (tmp_path / "newsattrib.json").write_text(json.dumps({**raw, "max_length": 300}))
    with pytest.raises(NewsAttribError, match="'max_length' 300 is longer than the encoder's 128 positions"):
        modeling.load_config(tmp_path)


def test_folder_without_linker_pair_keys_loads_with_the_old_values(tiny_model_dir, articles, tmp_path):
    """max_candidates, sentence_offsets and distance_edges came later: a folder saved without them gets the
    values every model had before, and predicts exactly as a folder that has them."""
    build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16).save(tmp_path / "new")
    load_tokenizer(tiny_model_dir).save_pretrained(tmp_path / "new")
    shutil.copytree(tmp_path / "new", tmp_path / "old")
    raw = json.loads((tmp_path / "old/newsattrib.json").read_text())
    keys = ("max_candidates", "sentence_offsets", "distance_edges")
    assert {k: raw[k] for k in keys} == {"max_candidates": 32, "sentence_offsets": [-3, 2],
                                         "distance_edges": [0, 1, 3, 6, 11, 21, 41, 81]}
    (tmp_path / "old/newsattrib.json").write_text(json.dumps({k: v for k, v in raw.items() if k not in keys}))
    old, new = newsattrib.load(tmp_path / "old"), newsattrib.load(tmp_path / "new")
    assert {k: getattr(old.model.spec, k) for k in keys} == {k: raw[k] for k in keys}
    assert old.collator == new.collator and old.collator.max_candidates == MAX_CANDIDATES
    assert old.model.linker.sentence.num_embeddings == 18 and old.model.linker.distance.num_embeddings == 8
    assert old.predict_articles(articles[:3]) == new.predict_articles(articles[:3])


def test_linker_pair_settings_are_the_models(tiny_model_dir, articles, tmp_path):
    model = build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16, max_candidates=2,
                        sentence_offsets=[-1, 1], distance_edges=[0, 5])
    assert model.linker.sentence.num_embeddings == 9 and model.linker.distance.num_embeddings == 2
    tok = load_tokenizer(tiny_model_dir)
    collator = ArticleCollator.for_model(model.spec, tok)
    batch = collator([featurize(a, tok) for a in articles[:4]])
    assert batch["pair_claim"].bincount().max() <= 2
    assert batch["pair_sentence"].max() < 9 and batch["pair_distance"].max() < 2
    model.save(tmp_path)
    raw = json.loads((tmp_path / "newsattrib.json").read_text())
    (tmp_path / "newsattrib.json").write_text(json.dumps({**raw, "sentence_offsets": [1, 2]}))
    with pytest.raises(NewsAttribError, match="'sentence_offsets' must be \\[low, high\\]"):
        newsattrib.load(tmp_path)
