"""The published folder: plain transformers, ONNX and newsattrib read the same weights the same way."""
import json
import subprocess
import sys

import numpy as np
import pytest
import torch
import yaml
from transformers import AutoTokenizer, pipeline

import newsattrib
from newsattrib.export import (ONNX_NAME, TOKEN_CLASSIFICATION, pipeline_entities, token_classification_model,
                               write_folder)
from newsattrib.modeling import WORD_INPUTS, build_model
from newsattrib.onnx_backend import OnnxModel

from helpers import ROOT


def save_with_tokenizer(model, tiny_model_dir, folder):
    model.save(folder)
    AutoTokenizer.from_pretrained(tiny_model_dir).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tiny_model_dir):
    """A tiny joint model with short windows, exported with its ONNX graph."""
    src = save_with_tokenizer(build_model(tiny_model_dir, max_length=32, stride=8),
                              tiny_model_dir, tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("pub") / "pub"
    write_folder(newsattrib.load(src), out, source=src)
    return out


@pytest.fixture(scope="module")
def context_free(tmp_path_factory, tiny_model_dir):
    """An exported tiny model whose token states depend on the token alone (no attention output, no
    positions), whose entity head gives only O or B- tags: windows, overlap and Viterbi cannot change its
    entities, so what is left to compare is the export itself."""
    model = build_model(tiny_model_dir, task="entities", max_length=32, stride=8)
    with torch.no_grad():
        for layer in model.encoder.encoder.layer:
            layer.attention.output.dense.weight.zero_()
            layer.attention.output.dense.bias.zero_()
        model.encoder.embeddings.position_embeddings.weight.zero_()
        for i, tag in enumerate(model.spec.entity_tags):
            if tag.startswith("I-"):
                model.entity_head.bias[i] = -1e4
        model.entity_head.weight.mul_(20)
    src = save_with_tokenizer(model, tiny_model_dir, tmp_path_factory.mktemp("cf-src"))
    out = tmp_path_factory.mktemp("cf") / "pub"
    write_folder(newsattrib.load(src), out, source=src, onnx=False)
    return out


def one_piece_words(tokenizer, n: int) -> str:
    """A long text of words that are each one piece of the tokenizer, so whole-text and word-by-word
    tokenization agree."""
    vocab = sorted(t[1:] for t in tokenizer.get_vocab() if t.startswith("▁") and t[1:].isalpha())
    words = [w for w in vocab if tokenizer.tokenize(" " + w) == ["▁" + w]]
    return " ".join(words[i % len(words)] for i in range(n))


def test_plain_pipeline_gives_newsattribs_entities(context_free):
    nlp = newsattrib.load(context_free)
    text = one_piece_words(nlp.tokenizer, 150)  # several windows of 30 tokens
    ours = [(e["start"], e["end"], e["label"]) for e in nlp.predict(text, lang="uk")["entities"]]
    tagger = pipeline("token-classification", model=str(context_free / TOKEN_CLASSIFICATION),
                      aggregation_strategy="simple", stride=nlp.model.spec.stride)
    theirs = [(e["start"], e["end"], e["label"]) for e in pipeline_entities(text, tagger(text))]
    assert len(nlp.tokenizer(text)["input_ids"]) > 3 * nlp.model.spec.max_length
    assert ours and theirs == ours


def test_token_classification_model_in_memory(context_free):
    model, tokenizer = token_classification_model(newsattrib.load(context_free))
    assert model.config.id2label[0] == "O" and tokenizer.model_max_length == 32
    saved = pipeline("token-classification", model=str(context_free / TOKEN_CLASSIFICATION))
    text = one_piece_words(tokenizer, 20)
    assert pipeline("token-classification", model=model, tokenizer=tokenizer)(text) == saved(text)


def test_onnx_logits_match_torch(exported):
    torch_model = newsattrib.load(exported).model
    onnx_model = OnnxModel(exported)
    nlp = newsattrib.load(exported)
    from newsattrib.features import featurize
    from newsattrib.corpus import Article
    texts = ["Андрій Коваль заявив, що «сили оборони знищили 20 дронів». " * 6, "According to Censor.NET, ok."]
    batch = nlp.collator([featurize(Article(str(i), "uk", t), nlp.tokenizer, with_labels=False)
                          for i, t in enumerate(texts)])
    assert batch["input_ids"].shape[0] > 2  # several windows, padding included
    out = onnx_model.window_outputs(batch["input_ids"].numpy(), batch["attention_mask"].numpy())
    with torch.no_grad():
        states = torch_model.encoder(input_ids=batch["input_ids"],
                                     attention_mask=batch["attention_mask"]).last_hidden_state
        expected = {"states": states, "entity_logits": torch_model.entity_head(states),
                    "claim_logits": torch_model.claim_head(states)}
    mask = batch["attention_mask"].numpy().astype(bool)
    for name, value in expected.items():
        assert np.abs(out[name][mask] - value.numpy()[mask]).max() < 1e-4, name
    _, ent_t, claim_t = torch_model.head_probs({k: batch[k] for k in WORD_INPUTS})
    _, ent_o, claim_o = onnx_model.head_probs(batch)
    assert np.abs(ent_t - ent_o).max() < 1e-4 and np.abs(claim_t - claim_o).max() < 1e-4


def said(record: dict) -> list[tuple]:
    """A record's entities and attributions without their scores."""
    return [(e["start"], e["end"], e["label"]) for e in record["entities"]] + \
        [(a["claim"]["start"], a["claim"]["end"], a["label"], tuple(a["chain"])) for a in record["attributions"]]


def test_onnx_backend_predicts_what_torch_predicts(exported):
    text = "Як повідомляє Укрінформ, Андрій Коваль заявив, що «сили оборони знищили 20 дронів». " * 5
    assert said(newsattrib.load(exported, backend="onnx").predict(text)) == said(newsattrib.load(exported).predict(text))


def test_onnx_backend_without_graph_is_one_error(tmp_path, tiny_model_dir):
    src = save_with_tokenizer(build_model(tiny_model_dir, max_length=32, stride=8), tiny_model_dir, tmp_path)
    with pytest.raises(newsattrib.errors.NewsAttribError, match="model.onnx: missing"):
        newsattrib.load(src, backend="onnx")


@pytest.fixture(scope="module")
def run_with_reports(tmp_path_factory, tiny_model_dir, articles):
    """A training run's folder as train.py leaves it: model/, config.yaml and reports/test.json."""
    from newsattrib.corpus import write_corpus
    from newsattrib.evaluation import evaluate, write_report
    run = tmp_path_factory.mktemp("run")
    model = save_with_tokenizer(build_model(tiny_model_dir, max_length=32, stride=8), tiny_model_dir, run / "model")
    write_corpus(run / "train.jsonl", articles)
    (run / "config.yaml").write_text(yaml.safe_dump({"model": {"name_or_path": "embedded", "max_length": 32},
                                                     "data": {"train": [str(run / "train.jsonl")]}}))
    report = {"name": "test", "system": "model", "files": ["data/test.jsonl"],
              **evaluate(articles, newsattrib.load(model).predict_articles(articles))}
    write_report(report, run / "reports", "test")
    return run, report


def test_export_script_writes_card_with_measured_scores_and_push_fails_in_one_line(run_with_reports, tmp_path):
    run, report = run_with_reports
    out = tmp_path / "published"
    env = {**__import__("os").environ, "HF_HUB_OFFLINE": "1", "HF_TOKEN": "hf_x"}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/export.py"), f"ckpt_path={run / 'model'}",
                           f"out={out}", "push_to_hub=someone/newsattrib", "onnx=false",
                           f"hydra.run.dir={tmp_path / 'h'}"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 2, proc.stderr[-2000:]
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "push_to_hub=someone/newsattrib" in errors[0] and "Traceback" not in proc.stderr
    card = (out / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(card.split("---\n")[1])
    assert meta["language"] == ["en", "ru", "uk"] and meta["base_model"] == "intfloat/multilingual-e5-small"
    metrics = {m["name"]: m["value"] for m in meta["model-index"][0]["results"][0]["metrics"]}
    assert metrics["entities uk SPEAKER F1"] == round(report["entities"]["uk"]["SPEAKER"]["f1"], 4)
    assert metrics["claims all micro F1"] == round(report["claims"]["all"]["micro"]["f1"], 4)
    assert "en 4, ru 4, uk 4" in card
    assert not (out / ONNX_NAME).exists() and (out / TOKEN_CLASSIFICATION / "config.json").is_file()
    assert newsattrib.load(out).predict("Андрій Коваль заявив.")["text"]


def test_export_refuses_to_write_over_the_model(run_with_reports, tmp_path):
    run, _ = run_with_reports
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/export.py"), f"ckpt_path={run / 'model'}",
                           f"out={run}", f"hydra.run.dir={tmp_path / 'h'}"], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith(f"error: out={run}: is, holds or lies inside"), proc.stderr
    assert (run / "model" / "model.safetensors").is_file()


def test_predict_script_with_onnx_backend(exported, tmp_path):
    text = tmp_path / "a.txt"
    text.write_text("Як повідомляє Укрінформ, Андрій Коваль заявив, що «сили оборони знищили 20 дронів».")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/predict.py"), str(exported), str(text),
                           "-o", str(out), "--backend", "onnx", "--no-progress"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert said(json.loads(out.read_text())) == said(newsattrib.load(exported).predict(text.read_text()))


def test_plain_tokenizer_starts_every_word_with_a_token(tiny_model_dir, articles):
    from newsattrib.export import word_split_tokenizer
    from newsattrib.features import words_of
    tokenizer = word_split_tokenizer(AutoTokenizer.from_pretrained(tiny_model_dir))
    for text in [a.text for a in articles] + ["$37.6 «Хочу жити», — Censor.NET"]:
        offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
        starts = {s + len(text[s:e]) - len(text[s:e].lstrip()) for s, e in offsets}
        assert {s for s, _ in words_of(text)} <= starts, text


@pytest.mark.parametrize("args,message", [
    ([], "ckpt_path is required"), (["ckpt_path=/nonexistent/model"], "out is required"),
    (["ckpt_path=/nonexistent/model", "out=/tmp/na-x"], "/nonexistent/model: no such model folder"),
    (["nope=1"], "configs/export.yaml: Could not override 'nope'")])
def test_export_config_errors_are_one_line(args, message, tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "scripts/export.py"), *args, f"hydra.run.dir={tmp_path}"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and proc.stderr.startswith("error:") and message in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
