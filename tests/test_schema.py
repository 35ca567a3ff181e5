"""The label schema: its rule, its checks, and a corpus with other labels trained end to end without code changes."""
import json
import subprocess
import sys
from dataclasses import replace

import pytest

import newsattrib
from newsattrib.corpus import Article, CorpusError, Entity, parse_record, read_corpus, write_corpus
from newsattrib.errors import NewsAttribError
from newsattrib.schema import NEWS, Schema, read_schema
from newsattrib.train import train

from helpers import CONFIGS, ROOT, tiny_config

CONLL = read_schema(f"{CONFIGS}/schema/conll.yaml")


def test_news_schema_is_annotation_md():
    assert read_schema(f"{CONFIGS}/schema/news.yaml") == NEWS
    assert NEWS.chain_classes == ("DIRECT", "INDIRECT", "RELAYED", "UNATTRIBUTED")
    assert NEWS.entity_tags[:3] == ["O", "B-SPEAKER", "I-SPEAKER"]
    assert [NEWS.chain_class(n, q) for n, q in ((0, True), (1, True), (1, False), (2, False), (3, True))] == \
        ["UNATTRIBUTED", "DIRECT", "INDIRECT", "RELAYED", "RELAYED"]
    assert NEWS.agrees("RELAYED", 2) and not NEWS.agrees("RELAYED", 1) and not NEWS.agrees("DIRECT", 0)
    assert Schema.from_dict(NEWS.to_dict()) == NEWS


def test_renamed_chain_classes_keep_the_rule():
    s = replace(NEWS, quoted="QUOTE", reported="REPORTED")
    assert s.chain_class(1, True) == "QUOTE" and s.agrees("REPORTED", 1) and s.claim_tags[1] == "B-QUOTE"


@pytest.mark.parametrize("raw, problem", [
    ({"entities": []}, "schema.entities"),
    ({"entities": ["PER", "PER"]}, "schema.entities"),
    ({"entities": ["B-X"]}, "schema.entities"),
    ({"entities": ["PER"], "sources": ["ORG"], "person": None}, "schema.sources"),
    ({"entities": ["PER"], "sources": ["PER"], "person": "ORG"}, "schema.person"),
    ({"entities": ["PER"], "colour": "red"}, "unknown schema key"),
    ({"quoted": "RELAYED"}, "chain classes"),
])
def test_bad_schemas_are_refused(raw, problem):
    with pytest.raises(ValueError, match=problem):
        Schema.from_dict(raw)


def test_schema_file_errors_are_one_line(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("entities: [PER]\nsources: [ORG]\n")
    with pytest.raises(NewsAttribError, match=r"s\.yaml: not a label schema \(schema.sources"):
        read_schema(bad)
    with pytest.raises(NewsAttribError, match="cannot read"):
        read_schema(tmp_path / "missing.yaml")


def test_the_validator_reads_the_schema():
    rec = {"id": "x", "lang": "en", "text": "Anna Berg met ACME.",
           "entities": [{"id": "e1", "start": 0, "end": 9, "label": "PER"},
                        {"id": "e2", "start": 14, "end": 18, "label": "ORG"}]}
    assert parse_record(rec, CONLL)[1] == []
    problems = parse_record(rec)[1]  # ANNOTATION.md's labels: the mismatch is still an error
    assert problems == ["entity 'e1' has unknown label 'PER' (known: SPEAKER, ORG, PROGRAM, QUANTITY)"]


def conll_articles(articles) -> list[Article]:
    """The sample articles relabelled to PER/ORG/LOC/MISC, without attributions."""
    relabel = {"SPEAKER": "PER", "ORG": "ORG", "PROGRAM": "MISC", "QUANTITY": "LOC"}
    return [replace(a, entities=[Entity(e.id, e.start, e.end, relabel[e.label]) for e in a.entities],
                    attributions=[]) for a in articles]


def test_other_labels_train_end_to_end(tmp_path, tiny_model_dir, articles):
    cfg = tiny_config(tmp_path, tiny_model_dir, conll_articles(articles), "schema=conll", "task=entities")
    report = train(cfg)["test"]
    assert report["types"] == {"entities": ["PER", "ORG", "LOC", "MISC"]}
    assert set(report["entities"]["all"]) >= {"PER", "ORG", "LOC", "MISC", "micro"}
    folder = tmp_path / "run" / "model"
    saved = json.loads((folder / "newsattrib.json").read_text())
    assert saved["schema"]["entities"] == ["PER", "ORG", "LOC", "MISC"]
    assert saved["entity_tags"] == CONLL.entity_tags
    nlp = newsattrib.load(folder)
    assert nlp.schema == CONLL
    labels = {e["label"] for r in nlp.predict_articles(read_corpus(cfg.data.test[0], CONLL)) for e in r["entities"]}
    assert labels <= set(CONLL.entities)
    # the same corpus under ANNOTATION.md's labels names the first unknown label, file and line
    with pytest.raises(CorpusError, match=r"train\.jsonl:1: article en-0: entity 'e2' has unknown label 'PER'"):
        train(tiny_config(tmp_path / "news", tiny_model_dir, conll_articles(articles), "task=entities"))


def test_conll_files_train_with_the_experiment(tmp_path, tiny_model_dir, articles):
    """experiment=conll reads IOB2 files directly, drops types outside the schema and holds out validation."""
    lines = []
    for i in range(12):
        lines += ["Anna\tB-PERS", "Berg\tI-PERS", "visited\tO", "Kyiv\tB-LOC", "on\tO", "Monday\tB-DATE", ".\tO", ""]
    for name in ("train", "test"):
        (tmp_path / f"{name}.iob").write_text("\n".join(lines), encoding="utf-8")
    cfg = tiny_config(tmp_path, tiny_model_dir, articles, "experiment=conll", f"data.train=[{tmp_path / 'train.iob'}]",
                      f"data.test=[{tmp_path / 'test.iob'}]", "data.validation=[]", "data.conll.lang=en",
                      "data.conll.sentences_per_article=2", "schema.entities=[PERS,ORG,LOC,MISC]",
                      "trainer.num_train_epochs=1")
    report = train(cfg)["test"]
    assert report["types"]["entities"] == ["PERS", "ORG", "LOC", "MISC"]
    assert report["entities"]["all"]["PERS"]["support"] == 12 and report["entities"]["all"]["LOC"]["support"] == 12


def test_validate_script_takes_a_schema(tmp_path, articles):
    path = tmp_path / "c.jsonl"
    write_corpus(path, conll_articles(articles)[:2])
    run = [sys.executable, str(ROOT / "scripts/validate.py"), str(path)]
    assert subprocess.run(run + ["--schema", f"{CONFIGS}/schema/conll.yaml"], capture_output=True).returncode == 0
    bad = subprocess.run(run, capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown label 'PER'" in bad.stderr
