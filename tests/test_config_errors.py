"""Config mistakes on the command line: one `error:` line naming the config and the problem, exit 2."""
import subprocess
import sys

import pytest

from helpers import ROOT

CASES = [
    ("train", ["model=nope"], "configs/train.yaml: In 'train': Could not find 'model/nope'"),
    ("train", ["trainer.nope=3"], "configs/train.yaml: Could not override 'trainer.nope'."),
    ("train", ["data.train=[/nonexistent.jsonl]"], "error: /nonexistent.jsonl"),
    ("evaluate", [], "ckpt_path is required"),
    ("evaluate", ["ckpt_path=/nonexistent/model"], "/nonexistent/model"),
]


@pytest.mark.parametrize("script,args,message", CASES)
def test_config_errors_are_one_line_exit_2(script, args, message):
    run = subprocess.run([sys.executable, str(ROOT / f"scripts/{script}.py"), *args, "hydra.run.dir=/tmp/na-err"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert message in run.stderr
    assert run.stderr.strip().startswith("error:")
