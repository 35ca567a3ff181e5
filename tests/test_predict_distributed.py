"""`accelerate launch --num_processes 2 scripts/predict.py`: records in input order, the same as one
process, and an interrupted run resumes without duplicating records."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from newsattrib.modeling import build_model
from newsattrib.pipeline import load_tokenizer

from helpers import ROOT

PREDICT = str(ROOT / "scripts/predict.py")
TWO = [sys.executable, "-m", "accelerate.commands.launch", "--config_file", str(ROOT / "accelerate/cpu_2proc.yaml")]
ENV = {**os.environ, "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, tiny_model_dir):
    folder = tmp_path_factory.mktemp("predict-model")
    build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16).save(folder)
    load_tokenizer(tiny_model_dir).save_pretrained(folder)
    return folder


def texts(path, n):
    path.write_text("".join(json.dumps({"id": f"d{i}", "lang": "uk", "text": f"Коваль заявив, що {i} дронів збито. "
                                        * (1 + i % 5)}) + "\n" for i in range(n)), encoding="utf-8")
    return path


def spans(path):
    return [(r["id"], [(e["start"], e["end"], e["label"]) for e in r["entities"]])
            for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())]


def test_two_processes_write_what_one_writes_in_order(model_dir, tmp_path):
    src = texts(tmp_path / "in.jsonl", 23)  # not a multiple of the block: the last block is uneven
    for name, launcher in (("one", [sys.executable]), ("two", TWO)):
        done = subprocess.run([*launcher, PREDICT, str(model_dir), str(src), "-o", str(tmp_path / f"{name}.jsonl"),
                               "--batch-size", "2"], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("records written to") == 1  # only the main process writes and reports
    two = spans(tmp_path / "two.jsonl")
    assert [i for i, _ in two] == [f"d{i}" for i in range(23)]
    assert two == spans(tmp_path / "one.jsonl")


def test_two_processes_interrupted_then_resumed(model_dir, tmp_path):
    n = 600  # enough that the interrupt lands mid-run
    src = texts(tmp_path / "in.jsonl", n)
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    cmd = [*TWO, PREDICT, str(model_dir), str(src), "-o", str(out), "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
                            start_new_session=True)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 8:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches every process of the group
            break
        time.sleep(0.01)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0 and not out.exists(), err[-3000:]
    kept = partial.read_text(encoding="utf-8").splitlines()
    assert 8 <= len(kept) < n
    again = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    assert again.returncode == 0, again.stderr[-3000:]
    assert f"continuing: {len(kept)} of {n} articles are already in {partial}" in again.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"d{i}" for i in range(n)]  # in order, no duplicates
    assert lines[:len(kept)] == kept
