"""Interrupted runs resume to the same result, runs are deterministic, and loading stays safe."""
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertModel

from newsattrib.errors import NewsAttribError
from newsattrib.modeling import build_model
from newsattrib.train import train

from helpers import tiny_config

TESTS = Path(__file__).resolve().parent
STEPS = ["trainer.max_steps=6", "trainer.save_strategy=steps", "trainer.save_steps=3", "trainer.eval_strategy=steps",
         "trainer.eval_steps=3", "trainer.save_total_limit=null"]


def scores(reports):
    return json.dumps({k: {m: r[m] for m in ("entities", "claims", "chains")} for k, r in reports.items()},
                      sort_keys=True)


def test_same_seed_same_metrics(tmp_path, tiny_model_dir, articles):
    a = train(tiny_config(tmp_path / "a", tiny_model_dir, articles, *STEPS))
    b = train(tiny_config(tmp_path / "b", tiny_model_dir, articles, *STEPS))
    assert scores(a) == scores(b)
    run = json.loads((tmp_path / "a/run/run.json").read_text())
    assert run["seed"] == 13 and run["packages"]["torch"] and len(run["corpus_sha256"]) == 3


def test_sigkill_then_resume_equals_uninterrupted(tmp_path, tiny_model_dir, articles):
    whole = train(tiny_config(tmp_path / "whole", tiny_model_dir, articles, *STEPS))
    killed = tmp_path / "killed"
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(TESTS)!r})
        from transformers import TrainerCallback
        from conftest import sample_articles
        from helpers import tiny_config
        from newsattrib.train import train

        class Kill(TrainerCallback):
            def on_step_end(self, args, state, control, **kw):
                if state.global_step == 4:  # after checkpoint-3 was written
                    os.kill(os.getpid(), signal.SIGKILL)

        train(tiny_config({str(killed)!r}, {tiny_model_dir!r}, sample_articles(), *{STEPS!r}), callbacks=[Kill()])
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr[-2000:]
    ckpt = killed / "run/checkpoints/checkpoint-3"
    assert (ckpt / "model.safetensors").is_file() and not (killed / "run/model").exists()
    resumed = train(tiny_config(killed, tiny_model_dir, articles, *STEPS, f"ckpt_path={ckpt}"))
    assert scores(resumed) == scores(whole)


def test_ctrl_c_saves_a_checkpoint_and_says_how_to_resume(tmp_path, tiny_model_dir, articles):
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(TESTS)!r})
        from transformers import TrainerCallback
        from conftest import sample_articles
        from helpers import tiny_config
        from newsattrib.train import train

        class CtrlC(TrainerCallback):
            def on_step_begin(self, args, state, control, **kw):
                if state.global_step == 2:
                    os.kill(os.getpid(), signal.SIGINT)

        train(tiny_config({str(tmp_path)!r}, {tiny_model_dir!r}, sample_articles(), "trainer.max_steps=50",
                          "trainer.save_strategy=no", "trainer.eval_strategy=no", "trainer.load_best_model_at_end=false"),
              callbacks=[CtrlC()])
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert run.returncode == 130, run.stderr[-2000:]
    assert "resume with ckpt_path=" in run.stdout and "Traceback" not in run.stderr
    assert (tmp_path / "run/checkpoints/checkpoint-3/model.safetensors").is_file()


def test_resume_refuses_a_checkpoint_with_other_labels(tmp_path, tiny_model_dir, articles):
    ckpt = tmp_path / "ckpt"
    ckpt.mkdir()
    model = build_model(tiny_model_dir, task="joint")
    model.spec.entity_tags = ["O", "B-PER", "I-PER"]
    model.save_config(ckpt)
    with pytest.raises(NewsAttribError, match="entity_tags"):
        train(tiny_config(tmp_path, tiny_model_dir, articles, f"ckpt_path={ckpt}"))


def test_pickle_weights_are_refused_unless_allowed(tmp_path):
    folder = tmp_path / "pickled"
    model = BertModel(BertConfig(vocab_size=50, hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
                                 intermediate_size=16))
    model.config.save_pretrained(folder)
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    assert (folder / "pytorch_model.bin").is_file() and not (folder / "model.safetensors").exists()
    with pytest.raises(OSError):
        build_model(str(folder))
    assert build_model(str(folder), allow_pickle=True).spec.task == "joint"


def test_evaluation_refuses_a_checkpoint_with_other_labels(tmp_path, tiny_model_dir, articles):
    from newsattrib.pipeline import Pipeline
    from newsattrib.train import score
    from transformers import AutoTokenizer

    model = build_model(tiny_model_dir, task="joint")
    model.spec.entity_tags = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    cfg = tiny_config(tmp_path, tiny_model_dir, articles)
    with pytest.raises(NewsAttribError, match="misaligned"):
        score(Pipeline(model, AutoTokenizer.from_pretrained(tiny_model_dir)), cfg, tmp_path)
