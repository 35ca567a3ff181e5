"""Comparing checkpoints (issue 14): the paired bootstrap, compare.py on tiny checkpoints and a Hydra sweep,
the HTML error report as headless Chromium renders it, and the training curves."""
import csv
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import numpy as np
import pytest

from newsattrib.compare import article_stats, metrics, paired_bootstrap
from newsattrib.schema import NEWS

TYPES = {"entities": list(NEWS.entities), "claims": list(NEWS.chain_classes)}
from newsattrib.corpus import Article, Attribution, Entity, parse_record
from newsattrib.curves import plot_training_curves
from newsattrib.evaluation import evaluate, headline
from newsattrib import report_html

from helpers import ROOT, tiny_overrides
from test_breakdown import GOLD, PRED, TEXT, chars

COMPARE, TRAIN = str(ROOT / "scripts/compare.py"), str(ROOT / "scripts/train.py")
PNG = b"\x89PNG\r\n\x1a\n"


def run(*args, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          timeout=timeout)


# ---- the paired bootstrap ----

def toy(n_articles: int, wrong: set[int]) -> tuple[list[Article], list[dict]]:
    """Articles with two entities each; in the ``wrong`` articles the prediction misses the second."""
    text = "Okhrimenko told ArmyInform about it."
    gold, pred = [], []
    for i in range(n_articles):
        ents = [Entity("e1", 0, 10, "SPEAKER"), Entity("e2", 16, 26, "ORG")]
        gold.append(Article(f"a{i}", "en", text, ents, []))
        kept = ents[:1] if i in wrong else ents
        pred.append({"id": f"a{i}", "lang": "en", "text": text, "attributions": [],
                     "entities": [{"id": e.id, "start": e.start, "end": e.end, "label": e.label} for e in kept]})
    return gold, pred


def counts(gold, pred) -> np.ndarray:
    return np.stack([article_stats(a, p, TYPES) for a, p in zip(gold, pred)])


def test_bootstrap_finds_a_real_difference():
    gold, perfect = toy(40, set())
    _, worse = toy(40, set(range(0, 40, 2)))  # the ORG of every second article missed
    res = paired_bootstrap([counts(gold, perfect), counts(gold, worse)], TYPES, resamples=1000, seed=1)[0]
    d = res["entity_f1"]
    assert d["diff"] == pytest.approx(headline(evaluate(gold, worse))["entity_f1"] - 1.0)
    assert d["diff"] < 0 and d["lo"] <= d["diff"] <= d["hi"] < 0 and d["excludes_zero"]
    assert res["entity_f1:ORG"]["excludes_zero"] and res["entity_f1:ORG"]["hi"] < 0
    assert res["entity_f1:SPEAKER"] == {**res["entity_f1:SPEAKER"], "diff": 0.0, "lo": 0.0, "hi": 0.0,
                                        "excludes_zero": False}
    # seeded: the same seed gives the same interval
    assert paired_bootstrap([counts(gold, perfect), counts(gold, worse)], TYPES, resamples=1000, seed=1)[0] == res


def test_bootstrap_finds_no_difference_where_there_is_none():
    gold, a = toy(40, set(range(0, 10)))  # as many errors, in other articles
    _, b = toy(40, set(range(20, 30)))
    d = paired_bootstrap([counts(gold, a), counts(gold, b)], TYPES, resamples=1000, seed=0)[0]["entity_f1"]
    assert d["diff"] == pytest.approx(0.0)
    assert d["lo"] < 0 < d["hi"] and not d["excludes_zero"]
    same = paired_bootstrap([counts(gold, a), counts(gold, a)], TYPES, resamples=200, seed=0)[0]["entity_f1"]
    assert (same["lo"], same["hi"], same["excludes_zero"]) == (0.0, 0.0, False)


def test_counts_give_the_reports_numbers(articles):
    """The bootstrap's metrics on all articles are exactly evaluate()'s strict seqeval and chain scores."""
    preds = []
    for i, art in enumerate(articles):
        rec = art.to_record()
        if i % 3 == 0:
            rec["entities"][0]["label"] = "PROGRAM"
        if i % 4 == 1:
            rec["attributions"].pop()
        if i % 5 == 2 and len(rec["attributions"][0]["chain"]) > 1:
            rec["attributions"][0]["chain"].reverse()
        preds.append(rec)
    report = evaluate(articles, preds)
    m = metrics(counts(articles, preds).sum(0), TYPES)
    for key, value in headline(report).items():
        assert m[key] == pytest.approx(value), key
    for t in ("SPEAKER", "ORG", "PROGRAM", "QUANTITY"):
        assert m[f"entity_f1:{t}"] == pytest.approx(report["entities"]["all"][t]["f1"])
    for t in ("DIRECT", "INDIRECT", "RELAYED", "UNATTRIBUTED"):
        assert m[f"claim_f1:{t}"] == pytest.approx(report["claims"]["all"][t]["f1"])
    assert m["class_accuracy"] == pytest.approx(report["chains"]["all"]["class_accuracy"])


# ---- compare.py on tiny checkpoints ----

@pytest.fixture(scope="module")
def tiny_runs(tmp_path_factory, tiny_model_dir, articles):
    """Two tiny models trained for two steps with different seeds (one validated after each step)."""
    from hydra import compose, initialize_config_dir
    from newsattrib.train import train

    valid = [a for a in articles if not parse_record(a.to_record())[1]]
    runs = []
    for seed, evals in ((1, "steps"), (2, "no")):
        tmp = tmp_path_factory.mktemp(f"seed{seed}")
        overrides = tiny_overrides(tmp, tiny_model_dir, valid, "trainer.max_steps=2", f"trainer.eval_strategy={evals}",
                                   "trainer.eval_steps=1", "trainer.save_strategy=no",
                                   "trainer.load_best_model_at_end=false", f"seed={seed}")
        with initialize_config_dir(config_dir=str(ROOT / "configs"), version_base="1.3"):
            train(compose(config_name="train", overrides=overrides))
        runs.append(tmp / "run")
    return {"runs": runs, "test": runs[0].parent / "test.jsonl", "validation": runs[0].parent / "validation.jsonl"}


def test_training_writes_curves_and_tensorboard_logs(tiny_runs):
    run_dir = tiny_runs["runs"][0]
    assert (run_dir / "train_curves.png").read_bytes().startswith(PNG)
    assert list((run_dir / "checkpoints" / "runs").glob("*/events.out.tfevents.*"))
    history = json.loads((run_dir / "train_metrics.json").read_text())["log_history"]
    assert any("eval_entity_f1" in h for h in history) and any("loss" in h for h in history)


def test_training_curves_need_something_to_draw(tmp_path):
    assert plot_training_curves({"a": [{"train_runtime": 1.0}]}, tmp_path / "c.png") is None
    assert not (tmp_path / "c.png").exists()
    hist = [{"loss": 2.0, "epoch": 0.5}, {"loss": 1.0, "epoch": 1.0}, {"eval_entity_f1": 0.4, "epoch": 1.0}]
    assert plot_training_curves({"a": hist, "b": hist}, tmp_path / "c.png").read_bytes().startswith(PNG)


def test_compare_two_checkpoints_writes_tables_plots_and_reports(tiny_runs, tmp_path):
    first, second = tiny_runs["runs"]
    out = tmp_path / "cmp"
    sets = [tiny_runs["test"], tiny_runs["validation"]]
    before = {p: p.read_bytes() for p in sets}
    r = run(COMPARE, first / "model", "--on", *sets, "-o", out, "--bootstrap", "200", "--device", "cpu")
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stderr.count(": predicting ") == 2
    # one more checkpoint (a run folder this time): only it is predicted
    r = run(COMPARE, first / "model", second, "--on", *sets, "-o", out, "--bootstrap", "200", "--device", "cpu")
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stderr.count(": cached predictions ") == 2 and r.stderr.count(": predicting ") == 2
    assert all(f"{second.name} on {s}: predicting" in r.stderr for s in ("test", "validation"))
    assert {p: p.read_bytes() for p in sets} == before

    md = (out / "comparison.md").read_text()
    assert r.stdout.strip() == md.strip()
    labels = [f"{first.parent.name}/run", f"{second.parent.name}/run"]  # both run folders are called run
    for text in ("## test:", "## validation:", f"| `{labels[0]}` |", f"| `{labels[1]}` |", "entities F1",
                 "link F1", "SPEAKER", "RELAYED", "| entities micro | en |", "paired bootstrap"):
        assert text in md, text
    assert md.count(" [") >= 5  # intervals of the second checkpoint
    rows = list(csv.DictReader((out / "comparison.csv").open()))
    assert {(r["set"], r["lang"]) for r in rows} >= {("test", "all"), ("test", "en"), ("validation", "all")}
    assert {r["group"] for r in rows} >= {"entities", "claims", "chains", "entities_errors", "claims_errors"}
    assert len({r["checkpoint"] for r in rows}) == 2
    boot = list(csv.DictReader((out / "bootstrap.csv").open()))
    heads = [b for b in boot if b["set"] == "test" and b["lang"] == "all" and b["metric"] == "entity_f1"]
    assert len(heads) == 1 and float(heads[0]["lo"]) <= float(heads[0]["diff"]) <= float(heads[0]["hi"])
    assert heads[0]["resamples"] == "200"
    for name in ("test_types", "test_langs", "validation_types", "validation_langs", "training_curves"):
        assert (out / "plots" / f"{name}.png").read_bytes().startswith(PNG), name
    for set_name in ("test", "validation"):
        for label in labels:
            page = (out / "reports" / set_name / f"{label.replace('/', '_')}.html").read_text()
            assert page.startswith("<!doctype html>") and f"{label} on {set_name}" in page
    assert len(list((out / "predictions").glob("*.jsonl"))) == 4  # 2 checkpoints x 2 sets, none twice


def test_compare_input_errors_are_one_line(tiny_runs, tmp_path):
    model = tiny_runs["runs"][0] / "model"
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "x", "lang": "en", "text": "Hi", "entities": [{"id": "e1", "start": 0, "end": 9, '
                      '"label": "ORG"}], "attributions": []}\n')
    cases = [((tmp_path / "nope", "--on", tiny_runs["test"]), f"error: {tmp_path / 'nope'}: no such model"),
             ((tmp_path, "--on", tiny_runs["test"]), f"error: {tmp_path}: not a model folder"),
             ((model, "--on", broken), f"error: {broken}:1: article x: "),
             ((model, "--on", tiny_runs["test"], "-o", model / "cmp"), f"error: {model / 'cmp'}: the output would "
                                                                      "be written inside the model folder"),
             ((model, "--on", tiny_runs["test"], "--bootstrap", "0"), "error: argument --bootstrap: must be 1")]
    for args, first_line in cases:
        r = run(COMPARE, *args, "-o", tmp_path / "out") if "-o" not in args else run(COMPARE, *args)
        assert r.returncode == 2, (args, r.stderr[-2000:])
        assert "Traceback" not in r.stderr
        assert r.stderr.splitlines()[0].startswith(first_line), r.stderr
    assert not (model / "cmp").exists()


def test_sweep_folder_is_one_table(tiny_model_dir, articles, tmp_path):
    """The README's sweep: a Hydra multirun over learning rate, then compare.py on the sweep folder."""
    valid = [a for a in articles if not parse_record(a.to_record())[1]]
    overrides = [o for o in tiny_overrides(tmp_path, tiny_model_dir, valid)
                 if not o.startswith(("output_dir=", "trainer.learning_rate="))]
    r = run(TRAIN, "-m", *overrides, "trainer.max_steps=1", "trainer.eval_strategy=no", "trainer.save_strategy=no",
            "trainer.load_best_model_at_end=false", "trainer.report_to=none", "trainer.learning_rate=0.001,0.002",
            f"hydra.sweep.dir={tmp_path / 'sweep'}")
    assert r.returncode == 0, r.stderr[-3000:]
    r = run(COMPARE, tmp_path / "sweep", "--on", tmp_path / "test.jsonl", "-o", tmp_path / "cmp", "--bootstrap", "100",
            "--no-html", "--device", "cpu")
    assert r.returncode == 0, r.stderr[-3000:]
    md = (tmp_path / "cmp/comparison.md").read_text()
    assert "| `learning_rate=0.001` |" in md and "| `learning_rate=0.002` |" in md and " [" in md
    assert not (tmp_path / "cmp/reports").exists()


# ---- the HTML error report, rendered by headless Chromium ----

@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium, installed where missing (we run as root); skipped only where it cannot be."""
    exe = shutil.which("chromium")
    if exe is None and shutil.which("apt-get") and os.geteuid() == 0:
        r = subprocess.run("apt-get update -qq && apt-get install -y -qq chromium", shell=True,
                           capture_output=True, text=True, timeout=1800)
        exe = shutil.which("chromium")
        if exe is None:
            pytest.skip(f"chromium could not be installed: {(r.stderr or r.stdout).strip()[-300:]}")
    if exe is None:
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get)")
    return exe


def dump_dom(chromium: str, url: str) -> str:
    r = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0 and "<html" in r.stdout, r.stderr[-2000:]
    return r.stdout


class Dom(HTMLParser):
    """The rendered elements that matter: entity marks (side, kind, text), claim rows, summary rows, articles."""

    def __init__(self, page: str):
        super().__init__()
        self.marks, self.rows, self.summary, self.articles, self.shown = [], [], {}, {}, ""
        self.side = self.mark = self.row = self.article = self.cat = None
        self.spans = []  # classes (or ids) of the open <span>s
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "span":
            self.spans.append(a.get("id") or a.get("class") or "")
        if tag == "article":
            self.article = a["id"]
            self.articles[a["id"]] = {"hidden": "hidden" in a, "kinds": a["data-kinds"].split()}
        elif tag == "div" and "data-side" in a:
            self.side = a["data-side"]
        elif tag == "mark" and self.article:
            self.mark = {"side": self.side, "kind": a["data-kind"], "label": a["class"].split()[1][2:], "text": ""}
        elif tag == "tr" and "data-kind" in a and self.article:
            self.rows.append((self.article, a["data-kind"].split()))
        elif tag == "tr" and "data-cat" in a:
            self.cat = a["data-cat"]
            self.summary[self.cat] = []
        elif tag == "small" and self.mark:
            self.marks.append(self.mark)
            self.mark = None

    def handle_endtag(self, tag):
        if tag == "tr":
            self.cat = None
        elif tag == "span" and self.spans:
            self.spans.pop()

    def handle_data(self, data):
        if self.mark and "cid" not in self.spans:
            self.mark["text"] += data
        if self.cat and data.strip():
            self.summary[self.cat].append(data.strip())
        if "shown" in self.spans:
            self.shown += data


def hand_made() -> tuple[list[Article], list[dict]]:
    """test_breakdown's entities (one of each error category), claims with an exact chain, a chain in the wrong
    order, a wrong class, a missed and a spurious claim; and a perfectly predicted Ukrainian article."""
    ent_label = {"A": "ORG", "B": "SPEAKER"}
    g_ents = [Entity(f"g{i}", *chars(s, e), ent_label[t]) for i, (s, e, t) in enumerate(GOLD)]
    p_ents = [{"id": f"p{i}", "start": chars(s, e)[0], "end": chars(s, e)[1], "label": ent_label[t]}
              for i, (s, e, t) in enumerate(PRED)]
    gold_claims = [((0, 3), ("g0",), "INDIRECT"), ((4, 8), ("g0", "g1"), "RELAYED"), ((9, 12), ("g0",), "DIRECT"),
                   ((13, 16), (), "UNATTRIBUTED")]
    pred_claims = [((0, 3), ["p0"], "INDIRECT"), ((4, 8), ["p1", "p0"], "RELAYED"), ((9, 12), ["p0"], "INDIRECT"),
                   ((30, 33), [], "UNATTRIBUTED")]
    gold = Article("en-1", "en", TEXT, g_ents, [Attribution(f"a{i}", *chars(*span), chain, label)
                                                 for i, (span, chain, label) in enumerate(gold_claims)])
    pred = {"id": "en-1", "lang": "en", "text": TEXT, "entities": p_ents,
            "attributions": [{"id": f"b{i}", "claim": dict(zip(("start", "end"), chars(*span))), "chain": chain,
                              "label": label} for i, (span, chain, label) in enumerate(pred_claims)]}
    uk_text = "Андрій Коваль заявив, що все гаразд."
    uk = Article("uk-1", "uk", uk_text, [Entity("e1", 0, 13, "SPEAKER")],
                 [Attribution("a1", 25, 35, ("e1",), "INDIRECT")])
    return [gold, uk], [pred, uk.to_record()]


def test_html_report_shows_every_error_in_a_browser(chromium, tmp_path):
    gold, pred = hand_made()
    path = report_html.write(tmp_path / "report.html", gold, pred, evaluate(gold, pred), "hand-made", "hand.jsonl")
    page = path.read_text()
    assert "<script src" not in page and "<link" not in page and "http://" not in page and "https://" not in page

    dom = Dom(dump_dom(chromium, path.as_uri()))
    en = [m for m in dom.marks if m["side"] in ("gold", "predicted") and m["text"].startswith("w")]
    gold_kinds = sorted(m["kind"] for m in en if m["side"] == "gold")
    pred_kinds = sorted(m["kind"] for m in en if m["side"] == "predicted")
    assert gold_kinds == sorted(f"ent:{c}" for c in ("exact", "class_wrong", "ends_early_late", "starts_early_late",
                                                     "split", "merged", "merged", "other_overlap", "missed"))
    assert pred_kinds == sorted(f"ent:{c}" for c in ("exact", "class_wrong", "ends_early_late", "starts_early_late",
                                                     "split", "split", "merged", "other_overlap", "spurious"))
    missed = next(m for m in en if m["kind"] == "ent:missed")
    assert missed["text"] == "w28 w29" and missed["label"] == "SPEAKER"
    spurious = next(m for m in en if m["kind"] == "ent:spurious")
    assert spurious["text"] == "w32 w33"
    wrong = {m["side"]: m["label"] for m in en if m["kind"] == "ent:class_wrong"}
    assert wrong == {"gold": "ORG", "predicted": "SPEAKER"}

    claim_rows = sorted(sorted(kinds) for art, kinds in dom.rows if art == "doc-en-1")
    assert claim_rows == sorted([["chain:exact", "claim:exact"], ["chain:wrong", "claim:exact"],
                                 ["chain:exact", "claim:class_wrong"], ["claim:missed"], ["claim:spurious"]])
    # the summary at the top: evaluation's breakdown counts
    assert dom.summary["ent:missed"][:4] == ["missed (FN)", "(1 art.)", "1", "0"]  # en, then uk
    assert dom.summary["ent:merged"][2] == "2" and dom.summary["claim:spurious"][2] == "1"

    # the filters ran: everything shown, then by error kind and by language (set through the address)
    assert dom.shown == "showing 2 of 2 articles"
    assert dom.articles["doc-en-1"]["kinds"] == sorted(
        ["ent:class_wrong", "ent:ends_early_late", "ent:starts_early_late", "ent:split", "ent:merged",
         "ent:other_overlap", "ent:missed", "ent:spurious", "claim:class_wrong", "claim:missed", "claim:spurious",
         "chain:wrong"])
    assert dom.articles["doc-uk-1"]["kinds"] == []
    for query, shown, hidden in (("kind=ent:missed", "showing 1 of 2 articles with entities: missed (FN)", "doc-uk-1"),
                                 ("kind=chain:wrong", "showing 1 of 2 articles with chains: differ", "doc-uk-1"),
                                 ("lang=uk", "showing 1 of 2 articles", "doc-en-1"),
                                 ("lang=uk&kind=any", "showing 0 of 2 articles", "doc-en-1")):
        filtered = Dom(dump_dom(chromium, f"{path.as_uri()}#{query}"))
        assert filtered.shown == shown, query
        assert filtered.articles[hidden]["hidden"], query
