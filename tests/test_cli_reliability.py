"""The command-line tools under bad input and interruption (issue 16; README "Reliability"): every case runs
the script in a subprocess and checks its exact exit status and the first line of its standard error.

No traceback for a user error (exit 2, one `error:` line naming the file), Ctrl-C is exit 130 and one line
with finished work kept, and nothing a user gave is modified.
"""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest

from newsattrib.corpus import parse_record, write_corpus
from newsattrib.errors import NewsAttribError
from newsattrib.fileio import ResumableJsonl, read_jsonl
from newsattrib.modeling import ModelConfig

from helpers import ROOT, tiny_overrides

PREDICT, EVALUATE, TRAIN = (str(ROOT / f"scripts/{s}.py") for s in ("predict", "evaluate", "train"))


def run(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT,
                          timeout=timeout)


def first_error(r: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    return r.stderr.splitlines()[0] if r.stderr else ""


@pytest.fixture(scope="session")
def trained(tmp_path_factory, tiny_model_dir, articles):
    """One tiny model trained for two steps, shared by every case here, and its corpus files."""
    from hydra import compose, initialize_config_dir
    from newsattrib.train import train

    tmp = tmp_path_factory.mktemp("trained")
    valid = [a for a in articles if not parse_record(a.to_record())[1]]  # whatever the validator of the day
    overrides = tiny_overrides(tmp, tiny_model_dir, valid, "trainer.max_steps=2", "trainer.eval_strategy=no",
                               "trainer.save_strategy=no", "trainer.load_best_model_at_end=false")
    with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
        train(compose(config_name="train", overrides=overrides))
    langs = sorted({a.lang for a in valid})
    return {"model": tmp / "run/model", "test": tmp / "test.jsonl", "validation": tmp / "validation.jsonl",
            "langs": langs}


@pytest.fixture
def inputs(tmp_path):
    f = tmp_path / "t.jsonl"
    f.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Okhrimenko said {i} drones fell."}) + "\n"
                         for i in range(3)), encoding="utf-8")
    return f


def copy_model(trained, tmp_path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(trained["model"], folder)
    return folder


# ---- 1. the output is never an input, and a link is written through ----

def test_output_that_is_the_input_is_refused(trained, inputs):
    before = inputs.read_bytes()
    r = run(PREDICT, trained["model"], inputs, "-o", inputs)
    assert r.returncode == 2
    assert first_error(r) == f"error: {inputs}: the output is the input file {inputs}; it would be overwritten, " \
                             "give another output path"
    assert inputs.read_bytes() == before


def test_output_that_links_to_the_input_is_refused(trained, inputs, tmp_path):
    link = tmp_path / "link.jsonl"
    link.symlink_to(inputs)
    before = inputs.read_bytes()
    r = run(PREDICT, trained["model"], inputs, "-o", link)
    assert r.returncode == 2
    assert first_error(r) == f"error: {link}: the output is the input file {inputs} (through a link to " \
                             f"{inputs.resolve()}); it would be overwritten, give another output path"
    assert inputs.read_bytes() == before and link.is_symlink()


def test_output_symlink_is_written_through(trained, inputs, tmp_path):
    target = tmp_path / "results/out.jsonl"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "out.jsonl"
    link.symlink_to(target)
    r = run(PREDICT, trained["model"], inputs, "-o", link)
    assert r.returncode == 0, r.stderr[-3000:]
    assert first_error(r) == f"3 records written to {link}"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert [json.loads(l)["id"] for l in target.read_text().splitlines()] == ["n0", "n1", "n2"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.jsonl"]  # no partial file left


def test_output_inside_the_model_folder_is_refused(trained, inputs, tmp_path):
    model = copy_model(trained, tmp_path)
    r = run(PREDICT, model, inputs, "-o", model / "newsattrib.json")
    assert r.returncode == 2
    assert first_error(r) == f"error: {model / 'newsattrib.json'}: the output would be written inside the model " \
                             f"folder {model}; give a path outside it"


# ---- 2. Ctrl-C keeps what was predicted; the same command continues ----

def test_ctrl_c_keeps_records_and_the_rerun_continues(trained, tmp_path):
    n = 600  # enough that the interrupt lands mid-run however fast the tiny model is
    src = tmp_path / "many.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Коваль заявив, що {i} дронів збито."})
                           + "\n" for i in range(n)), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    cmd = [sys.executable, PREDICT, str(trained["model"]), str(src), "-o", str(out), "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_bytes().count(b"\n") >= 2:
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.01)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err[-3000:]
    kept = partial.read_text(encoding="utf-8").splitlines()
    assert 2 <= len(kept) < n and "Traceback" not in err
    assert err.splitlines()[0] == f"interrupted after {len(kept)} of {n} articles; run the same command again to continue"
    assert not out.exists()

    again = run(*cmd[1:], "--progress")  # the same command, with the progress bar a terminal would show
    assert again.returncode == 0, again.stderr[-3000:]
    assert first_error(again) == f"continuing: {len(kept)} of {n} articles are already in {partial}"
    assert "article/s" in again.stderr and again.stderr.splitlines()[-1] == f"{n} records written to {out}"
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(l)["id"] for l in lines] == [f"d{i}" for i in range(n)]  # in order, no duplicates
    assert lines[:len(kept)] == kept
    assert not partial.exists() and not (tmp_path / "out.jsonl.partial.key").exists()


def test_ctrl_c_while_printing_to_standard_output(trained, tmp_path):
    src = tmp_path / "many.jsonl"
    n = 2000  # enough that the interrupt lands mid-run however fast the tiny model is
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"Коваль заявив, що {i} дронів збито."}) + "\n"
                           for i in range(n)), encoding="utf-8")
    # unbuffered bytes: a buffered readline could read ahead a second record that communicate() never sees
    proc = subprocess.Popen([sys.executable, PREDICT, str(trained["model"]), str(src), "--batch-size", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    first = proc.stdout.readline().decode()  # one record is out: interrupt
    proc.send_signal(signal.SIGINT)
    rest, err = (b.decode() for b in proc.communicate(timeout=120))
    assert proc.returncode == 130, err[-3000:]
    printed = [first] + rest.splitlines(keepends=True)
    assert "Traceback" not in err and all(json.loads(l)["id"] for l in printed)
    assert len(printed) < n
    assert err.splitlines()[0] == f"interrupted after {len(printed)} of {n} articles (written to standard output; " \
                                  "give -o FILE to be able to continue)"


def test_a_partial_file_cut_by_a_crash_resumes_after_its_last_whole_record(tmp_path):
    out = tmp_path / "out.jsonl"
    w = ResumableJsonl(out, "key")
    for i in range(3):
        w.append({"id": f"d{i}"})
    w.close()
    with open(w.partial, "ab") as f:
        f.write(b'{"id": "d3", "te')  # SIGKILL or power loss in the middle of a line
    again = ResumableJsonl(out, "key")
    assert again.done == 3
    again.append({"id": "d3"})
    again.commit()
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["d0", "d1", "d2", "d3"]
    other = ResumableJsonl(tmp_path / "o.jsonl", "key")
    other.append({"id": "x"})
    other.close()
    assert ResumableJsonl(tmp_path / "o.jsonl", "other inputs").done == 0  # another command starts again


# ---- 3. every file of a model folder: missing or corrupt is one line naming it ----

def _truncate_half(folder):
    p = folder / "model.safetensors"
    data = p.read_bytes()
    p.write_bytes(data[:len(data) // 2])
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    need = 8 + n + max(t["data_offsets"][1] for k, t in header.items() if k != "__metadata__")
    return f"{p}: corrupt or truncated weights ({len(data) // 2} bytes, the tensors need {need})"


def _edit_config(**changes):
    def edit(folder):
        p = folder / "newsattrib.json"
        d = json.loads(p.read_text())
        for k, v in changes.items():
            if v is None:
                d.pop(k)
            else:
                d[k] = v
        p.write_text(json.dumps(d))
    return edit


def _write(name, text):
    def edit(folder):
        (folder / name).write_text(text)
    return edit


def _unlink(name):
    def edit(folder):
        (folder / name).unlink()
    return edit


def _hidden_size(folder):
    p = folder / "newsattrib.json"
    d = json.loads(p.read_text())
    d["encoder"]["hidden_size"] = 33
    p.write_text(json.dumps(d))


MODEL_FILES = {
    "weights truncated": (_truncate_half, None),
    "weights empty": (_write("model.safetensors", ""), "{w}: corrupt or truncated weights (0 bytes, no header)"),
    "weights missing": (_unlink("model.safetensors"),
                        "{w}: missing; a model folder holds its weights in model.safetensors"),
    "weights of another model": (_edit_config(link_hidden=17), "{w}: the weights do not fit {c} "
                                 "(linker.sentence.weight is (18, 16), not (18, 17))"),
    "config not JSON": (_write("newsattrib.json", '{"encoder": '),
                        "{c}: corrupt: not valid JSON (Expecting value at line 1 column 13)"),
    "config not an object": (_write("newsattrib.json", "[1, 2]"), "{c}: corrupt: a JSON object is needed, not list"),
    "config missing": (_unlink("newsattrib.json"), "{m}: not a newsattrib model folder (newsattrib.json missing)"),
    "config with a wrong key": (_edit_config(entity_tags=None, entity_tagz=["O"]), "{c}: unknown key(s) "
                                "'entity_tagz'; known: " + ", ".join(f.name for f in fields(ModelConfig))),
    "config with a wrong value": (_edit_config(task="everything"),
                                  "{c}: 'task' must be one of entities, joint, got \"everything\""),
    "config the encoder refuses": (_hidden_size, "{c}: cannot build the model it describes (ValueError: The hidden "
                                   "size (33) is not a multiple of the number of attention heads (2))"),
    "tokenizer.json truncated": (lambda f: (f / "tokenizer.json").write_bytes((f / "tokenizer.json").read_bytes()[:300]),
                                 None),
    "tokenizer.json not a tokenizer": (_write("tokenizer.json", '{"model": {"type": "Nope"}}'),
                                       "{t}: not a usable tokenizer file (KeyError: 'added_tokens')"),
    "tokenizer.json missing": (_unlink("tokenizer.json"),
                               "{t}: missing; newsattrib needs the model's fast tokenizer"),
    "tokenizer_config.json not JSON": (_write("tokenizer_config.json", "[1,2"),
                                       "{m}/tokenizer_config.json: corrupt: not valid JSON (Expecting ',' delimiter "
                                       "at line 1 column 5)"),
    "tokenizer_config.json missing": (_unlink("tokenizer_config.json"), "{m}/tokenizer_config.json: the tokenizer "
                                      "has no cls/sep/pad token; the model's tokenizer_config.json is missing or "
                                      "not its own"),
}


def _expected(name, folder):
    edit, message = MODEL_FILES[name]
    got = edit(folder)
    if name == "tokenizer.json truncated":
        try:
            json.loads((folder / "tokenizer.json").read_text())
        except json.JSONDecodeError as exc:
            msg = exc.msg[:-3] if exc.msg.endswith(" at") else exc.msg
            got = f"{folder / 'tokenizer.json'}: corrupt: not valid JSON ({msg} at line {exc.lineno} column {exc.colno})"
    return "error: " + (got or message).format(m=folder, w=folder / "model.safetensors", c=folder / "newsattrib.json",
                                               t=folder / "tokenizer.json")


@pytest.mark.parametrize("name", list(MODEL_FILES))
def test_broken_model_file_in_predict(trained, inputs, tmp_path, name):
    folder = copy_model(trained, tmp_path)
    expected = _expected(name, folder)
    r = run(PREDICT, folder, inputs, "-o", tmp_path / "out.jsonl")
    assert r.returncode == 2
    assert first_error(r) == expected
    assert not (tmp_path / "out.jsonl").exists() and not (tmp_path / "out.jsonl.partial").exists()


@pytest.mark.parametrize("name", ["weights truncated", "config not JSON", "tokenizer.json not a tokenizer"])
def test_broken_model_file_in_evaluate(trained, tmp_path, name):
    folder = copy_model(trained, tmp_path)
    expected = _expected(name, folder)
    r = run(EVALUATE, f"ckpt_path={folder}", f"data.test=[{trained['test']}]", f"hydra.run.dir={tmp_path / 'ev'}")
    assert r.returncode == 2
    assert first_error(r) == expected
    assert not (tmp_path / "ev").exists()


def test_missing_model_folder(inputs, tmp_path):
    r = run(PREDICT, tmp_path / "nope", inputs)
    assert r.returncode == 2
    assert first_error(r) == f"error: {tmp_path / 'nope'}: no such model folder"


# ---- 4. every corpus is scored under its own name, and its report says which file ----

def test_evaluation_sets_with_the_same_file_name_are_all_scored(trained, tmp_path):
    other, a, b = tmp_path / "other/test.jsonl", tmp_path / "a/dev.jsonl", tmp_path / "b/dev.jsonl"
    for f, src in ((other, "validation"), (a, "test"), (b, "validation")):
        f.parent.mkdir()
        shutil.copy(trained[src], f)
    other.write_text(other.read_text().splitlines()[0] + "\n")  # one article: not the test split
    out = tmp_path / "ev"
    r = run(EVALUATE, f"ckpt_path={trained['model']}", f"data.test=[{trained['test']}]",
            f"data.extra_eval=[{other},{a},{b}]", "rule_baseline=false", f"hydra.run.dir={out}")
    assert r.returncode == 0, r.stderr[-3000:]
    titles = [l for l in r.stdout.splitlines() if l.startswith("== ")]
    assert titles == [f"== test: {trained['test']} ==", f"== other-test: {other} ==", f"== dev: {a} ==",
                      f"== b-dev: {b} =="]
    reports = {p.stem: json.loads(p.read_text()) for p in (out / "reports").glob("*.json")}
    assert {k: v["files"] for k, v in reports.items()} == {"test": [str(trained["test"])], "other-test": [str(other)],
                                                           "dev": [str(a)], "b-dev": [str(b)]}
    assert reports["test"]["articles"]["all"] == 3 and reports["other-test"]["articles"]["all"] == 1


# ---- 5. and smaller ones: arguments and paths, checked before any work ----

@pytest.mark.parametrize("value,message", [
    ("0", "must be 1 or more, got 0"), ("-1", "must be 1 or more, got -1"), ("x", "'x' is not a whole number")])
def test_batch_size_below_one_is_refused(inputs, tmp_path, value, message):
    r = run(PREDICT, tmp_path / "no-model", inputs, "--batch-size", value)
    assert r.returncode == 2
    assert first_error(r) == f"error: argument --batch-size: {message} (see predict.py --help)"


def test_evaluate_batch_size_below_one_is_refused(trained, tmp_path):
    r = run(EVALUATE, f"ckpt_path={trained['model']}", "batch_size=0", f"hydra.run.dir={tmp_path / 'ev'}")
    assert r.returncode == 2
    assert first_error(r) == "error: batch_size must be a whole number of 1 or more, got 0"


def test_output_under_a_file_is_refused(trained, inputs, tmp_path):
    (tmp_path / "afile").write_text("")
    r = run(PREDICT, trained["model"], inputs, "-o", "afile/out.jsonl", cwd=tmp_path)
    assert r.returncode == 2
    assert first_error(r) == f"error: afile/out.jsonl: cannot be created: {tmp_path / 'afile'} is a file, not a folder"


def test_output_that_is_a_folder_is_refused(trained, inputs, tmp_path):
    (tmp_path / "adir").mkdir()
    r = run(PREDICT, trained["model"], inputs, "-o", "adir", cwd=tmp_path)
    assert r.returncode == 2
    assert first_error(r) == "error: adir: is a folder; give a file name for the output (e.g. adir/out.jsonl)"


def test_non_utf8_text_names_line_and_column(trained, tmp_path):
    f = tmp_path / "story.txt"
    f.write_bytes("Перший рядок.\nKov".encode() + b"\xe1l said.\n")
    r = run(PREDICT, trained["model"], f)
    assert r.returncode == 2
    assert first_error(r) == f"error: {f}:2:4: article -: not valid UTF-8 (byte 0xe1); save it as UTF-8"


def test_bad_jsonl_lines_are_named_together(trained, tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_bytes(b'{"text": "fine"}\n{"text": "Kov\xc3\xa1l \xe1"}\n{"text": "abc\n{"id": "x", "text": "t", "lang": 5}\n'
                  b'{"id": null, "text": "no id is fine"}\n[1]\n')
    r = run(PREDICT, trained["model"], f)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [
        f"error: {f}:2:17: article -: not valid UTF-8 (byte 0xe1); save it as UTF-8",
        f"{f}:3: article -: broken JSON: Unterminated string starting at column 10",  # once "at at column"
        f"{f}:4: article x: 'lang' must be a string such as \"en\", not 5",
        f"{f}:6: article -: needs a JSON object with a string 'text'"]


def test_untrained_language_is_one_warning(trained, tmp_path):
    f = tmp_path / "de.jsonl"
    f.write_text(json.dumps({"id": "d1", "lang": "de", "text": "Er sagte, alles sei gut."}) + "\n"
                 + json.dumps({"id": "d2", "lang": trained["langs"][0], "text": "Known language."}) + "\n")
    r = run(PREDICT, trained["model"], f, "-o", tmp_path / "out.jsonl")
    assert r.returncode == 0, r.stderr[-3000:]
    assert first_error(r) == f"warning: the model was not trained on de (1 article, first in {f}); it was trained " \
                             f"on {', '.join(trained['langs'])}, so expect poorer predictions"
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 2


@pytest.mark.parametrize("script,args,message", [
    (EVALUATE, ["-m", "batch_sizee=1,2"], "error: configs/evaluate.yaml: Could not override 'batch_sizee'."),
    (TRAIN, ["--multirun", "seed=1,2", "trainer.learning_rate=1e-4,oops", "trainer.nope=1"],
     "error: configs/train.yaml: Could not override 'trainer.nope'."),
    (TRAIN, ["-m", "model=embedded,nope"], "error: configs/train.yaml: In 'train': Could not find 'model/nope'"),
])
def test_multirun_config_typo_is_one_line(tmp_path, script, args, message):
    r = run(script, *args, f"hydra.sweep.dir={tmp_path / 'sweep'}")
    assert r.returncode == 2
    assert first_error(r) == message and len(r.stderr.splitlines()) == 1
    assert not (tmp_path / "sweep").exists()


def test_failed_evaluation_leaves_no_run_folder(tmp_path):
    r = run(EVALUATE, f"ckpt_path={tmp_path / 'nope'}", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert first_error(r) == f"error: {tmp_path / 'nope'}: no such model folder"
    assert not (tmp_path / "run").exists()


def test_failed_training_leaves_no_run_folder(tmp_path):
    missing = tmp_path / "missing.jsonl"
    r = run(TRAIN, f"data.train=[{missing}]", f"hydra.run.dir={tmp_path / 'run'}")
    assert r.returncode == 2
    assert first_error(r).startswith(f"error: {missing}")
    assert not (tmp_path / "run").exists()


def test_failed_sweep_job_leaves_no_folders(tmp_path):
    r = run(EVALUATE, "-m", f"ckpt_path={tmp_path / 'nope'}", "batch_size=1,2", f"hydra.sweep.dir={tmp_path / 'sweep'}")
    assert r.returncode == 2
    assert first_error(r) == f"error: {tmp_path / 'nope'}: no such model folder"
    assert not (tmp_path / "sweep").exists()


def test_an_existing_folder_is_never_removed(tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / ".hydra").mkdir(parents=True)
    (run_dir / "evaluate.log").write_text("an earlier run\n")
    old = time.time() - 3600
    for p in (run_dir / ".hydra", run_dir / "evaluate.log"):
        os.utime(p, (old, old))
    r = run(EVALUATE, f"ckpt_path={tmp_path / 'nope'}", f"hydra.run.dir={run_dir}")
    assert r.returncode == 2
    assert (run_dir / "evaluate.log").read_text().startswith("an earlier run")


def test_write_corpus_through_a_symlink_keeps_the_link(tmp_path, articles):
    target = tmp_path / "real.jsonl"
    target.write_text("")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    write_corpus(link, articles[:2])
    assert link.is_symlink() and len(target.read_text().splitlines()) == 2


def test_read_jsonl_numbers_lines_and_names_the_broken_one(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "text": "x\u2028y"}\n\n{"id": "b"}\n{oops\n', encoding="utf-8")
    rows = read_jsonl(path)
    assert next(rows) == (1, {"id": "a", "text": "x\u2028y"})  # U+2028 inside a text does not end the line
    assert next(rows) == (3, {"id": "b"})
    with pytest.raises(NewsAttribError, match=r"r\.jsonl:4: broken JSON: Expecting property name"):
        next(rows)
    path.write_text("[1]\n", encoding="utf-8")
    with pytest.raises(NewsAttribError, match=r"r\.jsonl:1: not a JSON object"):
        list(read_jsonl(path))
