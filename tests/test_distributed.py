"""Two CPU processes through `accelerate launch` match one process with the same effective batch."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from accelerate.commands.config.config_args import load_config_from_file

from helpers import ROOT, tiny_overrides

TOLERANCE = 0.05  # relative difference of the mean training loss (data order differs across ranks)


def run_train(launcher: list[str], tmp: Path, model_dir: str, articles) -> subprocess.CompletedProcess:
    overrides = tiny_overrides(tmp, model_dir, articles, "articles_per_step=2", "trainer.per_device_train_batch_size=1",
                               "trainer.max_steps=6", "trainer.num_train_epochs=100", "trainer.eval_strategy=no",
                               "trainer.save_strategy=no", "trainer.load_best_model_at_end=false",
                               "task.heads.dropout=0.0", f"hydra.run.dir={tmp / 'run'}")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run([*launcher, str(ROOT / "scripts/train.py"), *overrides], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


def test_two_processes_match_one(tmp_path, tiny_model_dir, articles):
    one = run_train([sys.executable], tmp_path / "one", tiny_model_dir, articles)
    assert one.returncode == 0, one.stderr[-3000:]
    two = run_train([sys.executable, "-m", "accelerate.commands.launch", "--config_file",
                     str(ROOT / "accelerate/cpu_2proc.yaml")], tmp_path / "two", tiny_model_dir, articles)
    assert two.returncode == 0, two.stderr[-3000:]
    m1 = json.loads((tmp_path / "one/run/train_metrics.json").read_text())
    m2 = json.loads((tmp_path / "two/run/train_metrics.json").read_text())
    assert m1["train"]["train_loss"] == pytest.approx(m2["train"]["train_loss"], rel=TOLERANCE)
    # one optimizer step sees 2 articles in both runs: 1 process x 1 x 2 accumulation, or 2 processes x 1
    assert m1["log_history"][-1]["step"] == m2["log_history"][-1]["step"] == 6
    # only the main process writes the report and prints the table
    assert two.stdout.count("entities (strict IOB2 seqeval, F1)") == 1
    assert sorted(p.name for p in (tmp_path / "two/run/reports").iterdir()) == \
        ["test.json", "test_confusion.png", "test_f1.png"]


@pytest.mark.parametrize("name", ["cpu_2proc", "single_gpu", "multi_gpu_ddp", "fsdp", "deepspeed_zero2"])
def test_accelerate_configs_load(name):
    cfg = load_config_from_file(str(ROOT / f"accelerate/{name}.yaml"))
    assert cfg.num_processes >= 1 and (cfg.mixed_precision == "bf16") == (not cfg.use_cpu)
