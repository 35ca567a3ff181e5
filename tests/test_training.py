"""Tiny-model training of both tasks through the Hydra configs, and loading what it publishes."""
import json

import pytest

import newsattrib
from newsattrib.corpus import read_corpus
from newsattrib.train import train

from helpers import tiny_config


@pytest.mark.parametrize("task", ["joint", "entities"])
def test_train_writes_a_loadable_model_and_reports(tmp_path, tiny_model_dir, articles, task):
    cfg = tiny_config(tmp_path, tiny_model_dir, articles, f"task={task}")
    reports = train(cfg)
    run = tmp_path / "run"
    model_dir = run / "model"
    for name in ("model.safetensors", "newsattrib.json", "tokenizer.json"):
        assert (model_dir / name).is_file(), name
    assert json.loads((run / "run.json").read_text())["seed"] == cfg.seed
    report = reports["test"]
    assert set(report["entities"]) == {"en", "uk", "ru", "all"}
    assert ("claims" in report) == (task == "joint")
    assert (run / "reports" / "test.json").is_file() and (run / "reports" / "test_f1.png").is_file()
    pipe = newsattrib.load(model_dir)
    rec = pipe.predict(read_corpus(cfg.data.test[0])[0].text, lang="en")
    assert set(rec) >= {"id", "lang", "text", "entities", "attributions"}
