"""The importers (issue 13): CoNLL, brat and Label Studio inputs to corpus records with exact offsets, and
each kind of bad input as one `error: FILE:LINE: ...` line and exit status 2 through the script."""
import json
import subprocess
import sys
from collections import Counter

import pytest

from newsattrib.errors import NewsAttribError
from newsattrib.importers.brat import read_brat
from newsattrib.importers.conll import ConllOptions, read_conll
from newsattrib.importers.labelstudio import read_labelstudio
from newsattrib.importers.spans import Options, Summary
from newsattrib.importers.tags import TagError, spans_of

from helpers import ROOT

SCRIPT = str(ROOT / "scripts/import_corpus.py")


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, SCRIPT, *map(str, args)], capture_output=True, text=True, timeout=60)


def spans(record) -> list[tuple[str, str]]:
    return [(e["label"], record["text"][e["start"]:e["end"]]) for e in record["entities"]]


def conll(tmp_path, body: str, name="news.conll", **kw) -> list[dict]:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return list(read_conll(path, Options(lang="en"), ConllOptions(**kw), Summary()))


# --- tag schemes -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("scheme, tags, expected", [
    ("iob2", "B-PER I-PER O B-ORG B-ORG I-ORG", [(0, 2, "PER"), (3, 4, "ORG"), (4, 6, "ORG")]),
    ("iob1", "I-PER I-PER B-PER O I-ORG", [(0, 2, "PER"), (2, 3, "PER"), (4, 5, "ORG")]),
    ("bioes", "B-PER E-PER S-ORG O B-LOC I-LOC E-LOC", [(0, 2, "PER"), (2, 3, "ORG"), (4, 7, "LOC")]),
])
def test_tag_schemes(scheme, tags, expected):
    assert spans_of(tags.split(), scheme) == (expected, 0)


@pytest.mark.parametrize("scheme, tags, index, repaired", [
    ("iob2", "O I-PER I-PER", 1, [(1, 3, "PER")]),
    ("iob2", "B-PER I-ORG", 1, [(0, 1, "PER"), (1, 2, "ORG")]),
    ("iob1", "O B-PER", 1, [(1, 2, "PER")]),
    ("bioes", "B-PER O", 1, [(0, 1, "PER")]),
    ("bioes", "O E-PER", 1, [(1, 2, "PER")]),
    ("bioes", "S-PER B-ORG", 1, [(0, 1, "PER"), (1, 2, "ORG")]),
])
def test_invalid_sequences_are_errors_or_repaired(scheme, tags, index, repaired):
    with pytest.raises(TagError) as exc:
        spans_of(tags.split(), scheme)
    assert exc.value.index == index
    assert spans_of(tags.split(), scheme, repair=True) == (repaired, 1)


def test_bioes_sentence_ending_inside_an_entity():
    with pytest.raises(TagError, match="ends inside a PER entity"):
        spans_of(["O", "B-PER", "I-PER"], "bioes")


# --- CoNLL ---------------------------------------------------------------------------------------------------

DOCS = """-DOCSTART- -X- O

Olena NNP B-PER
Kovalenko NNP I-PER
told VBD O
Reuters NNP B-ORG
. . O

It PRP O
ended VBD O
. . O

-DOCSTART- -X- O

Kyiv NNP B-LOC
"""


def test_conll_documents_sentences_and_offsets(tmp_path):
    recs = conll(tmp_path, DOCS)
    assert [r["id"] for r in recs] == ["news-1", "news-2"]
    assert recs[0]["text"] == "Olena Kovalenko told Reuters .\nIt ended ."
    assert spans(recs[0]) == [("PER", "Olena Kovalenko"), ("ORG", "Reuters")]
    assert recs[0]["lang"] == "en" and recs[0]["attributions"] == []
    assert spans(recs[1]) == [("LOC", "Kyiv")]


def test_conll_natural_spacing_keeps_offsets_exact(tmp_path):
    body = "Uber\tB-ORG\n(\tO\nUS\tB-LOC\n)\tO\nfell\tO\n5\tB-PCT\n%\tI-PCT\n.\tO\n"
    rec, = conll(tmp_path, body, spacing="natural")
    assert rec["text"] == "Uber (US) fell 5%."
    assert spans(rec) == [("ORG", "Uber"), ("LOC", "US"), ("PCT", "5%")]


def test_conll_blank_lines_articles_or_sentences(tmp_path):
    body = "".join(f"W{i} B-X\n\n\n" for i in range(5))  # runs of blank lines count once
    assert len(conll(tmp_path, body)) == 5
    one, = conll(tmp_path, body, blank_line="sentence")
    assert one["text"] == "W0\nW1\nW2\nW3\nW4"
    grouped = conll(tmp_path, body, blank_line="sentence", sentences_per_article=2)
    assert [r["text"] for r in grouped] == ["W0\nW1", "W2\nW3", "W4"]
    assert [len(r["entities"]) for r in grouped] == [2, 2, 1]


def test_conll_tag_column_and_bom(tmp_path):
    rec, = conll(tmp_path, "\ufeffParis B-LOC NNP\nsank O VBD\n", tag_column=2)
    assert spans(rec) == [("LOC", "Paris")]


# --- brat ----------------------------------------------------------------------------------------------------

BRAT_TXT = 'According to Censor.NET, Okhrimenko told ArmyInform: "We hold, and we will."\r\nIt rains.\r\n'
BRAT_ANN = """T1\tORG 13 23\tCensor.NET
T2\tSPEAKER 25 35\tOkhrimenko
T3\tORG 41 51\tArmyInform
T4\tQuote 54 75\tWe hold, and we will.
R1\tSource Arg1:T4 Arg2:T1
R2\tSource Arg1:T4 Arg2:T3
R3\tSource Arg1:T2 Arg2:T4
A1\tConfidence T2 High
#1\tAnnotatorNotes T1\tan outlet
"""


def brat(tmp_path, txt=BRAT_TXT, ann=BRAT_ANN, discontinuous="error", **opts):
    (tmp_path / "doc.txt").write_bytes(txt.encode())
    (tmp_path / "doc.ann").write_text(ann, encoding="utf-8")
    return read_brat(tmp_path / "doc.ann", "doc", Options(lang="en", **opts), discontinuous, Summary())


def test_brat_entities_and_relations_to_a_chain(tmp_path):
    rec = brat(tmp_path)
    assert "\r" not in rec["text"]  # CRLF normalised, the offsets moved with it
    assert spans(rec) == [("ORG", "Censor.NET"), ("SPEAKER", "Okhrimenko"), ("ORG", "ArmyInform")]
    a, = rec["attributions"]
    assert rec["text"][a["claim"]["start"]:a["claim"]["end"]] == "We hold, and we will."
    assert a["chain"] == ["e1", "e3", "e2"] and a["label"] == "RELAYED"


def test_brat_event_names_the_sources_and_its_trigger_is_no_entity(tmp_path):
    txt = "Okhrimenko said that prices rose.\n"
    ann = "T1\tSPEAKER 0 10\tOkhrimenko\nT2\tSaid 11 15\tsaid\nT3\tClaim 21 32\tprices rose\n" \
          "E1\tSaid:T2 Content:T3 Speaker:T1\n"
    rec = brat(tmp_path, txt, ann)
    assert spans(rec) == [("SPEAKER", "Okhrimenko")]
    assert [(a["chain"], a["label"]) for a in rec["attributions"]] == [(["e1"], "INDIRECT")]


def test_brat_discontinuous_hull_and_overlaps_kept_longest(tmp_path):
    txt = "the Security Service of Ukraine said\n"
    ann = "T1\tORG 4 20;24 31\tSecurity Service Ukraine\nT2\tORG 4 20\tSecurity Service\n"
    rec = brat(tmp_path, txt, ann, discontinuous="hull", overlapping="keep-longest")
    assert spans(rec) == [("ORG", "Security Service of Ukraine")]


@pytest.mark.parametrize("ann, line, message", [
    ("T1\tORG 13 23\tCensor.NET\nT2\tORG 4 9;13 23\trding Censor.NET\n", 2, "discontinuous span"),
    ("T1\tORG 13 23\tCensor.NETT\n", 1, "the line says 'Censor.NETT'"),
    ("T1\tORG 13 230\tCensor.NET\n", 1, "out of range"),
    ("T1\tORG 13 23\tCensor.NET\nT2\tORG 20 30\tNET, Okhri\n", 2, "overlaps the ORG span"),
    ("T1\tORG 13 23\tCensor.NET\nR1\tSource Arg1:T1 Arg2:T9\n", 2, "T9 is not a text-bound"),
    ("T1\tORG 13 23\tCensor.NET\nT1\tORG 25 35\tOkhrimenko\n", 2, "id T1 is used twice"),
    ("T1\tORG 13 twenty\tCensor.NET\n", 1, "are not START END"),
    ("X1 something\n", 1, "not a brat annotation line"),
])
def test_brat_errors_name_the_ann_line(tmp_path, ann, line, message):
    with pytest.raises(NewsAttribError) as exc:
        brat(tmp_path, ann=ann)
    assert str(exc.value).startswith(f"{tmp_path / 'doc.ann'}:{line}: ") and message in str(exc.value)


# --- Label Studio --------------------------------------------------------------------------------------------

def ls_task(task_id, text, *results, cancelled=False, **data):
    return {"id": task_id, "data": {"text": text, **data},
            "annotations": [{"id": 1, "was_cancelled": cancelled, "result": list(results)}]}


def ls_span(rid, start, end, label, text):
    return {"id": rid, "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": start, "end": end, "text": text, "labels": [label]}}


def ls_file(tmp_path, tasks):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def test_labelstudio_spans_relations_emoji_and_metadata(tmp_path):
    text = "🇺🇦 Zelensky: «We stand » "
    # the browser counts the flag as 4 UTF-16 units, Python as 2 code points; the selection kept a space
    tasks = [ls_task(7, text, ls_span("a", 5, 13, "SPEAKER", "Zelensky"), ls_span("b", 16, 25, "Quote", "We stand "),
                     {"type": "relation", "from_id": "b", "to_id": "a", "direction": "right", "labels": []},
                     {"type": "choices", "value": {"choices": ["news"]}}, url="https://x"),
             ls_task(8, "Nothing.", cancelled=True)]
    summary = Summary()
    rec, = read_labelstudio(ls_file(tmp_path, tasks), Options(lang="uk"), summary)
    assert rec["id"] == "7" and rec["url"] == "https://x" and rec["lang"] == "uk"
    assert spans(rec) == [("SPEAKER", "Zelensky")]
    a, = rec["attributions"]
    assert rec["text"][a["claim"]["start"]:a["claim"]["end"]] == "We stand"
    assert (a["chain"], a["label"]) == (["e1"], "DIRECT")
    assert summary.notes == Counter({"tasks without annotation skipped": 1})


@pytest.mark.parametrize("result, message", [
    ({"id": "r", "type": "labels", "value": {"start": 0, "end": 4, "labels": ["ORG", "PER"]}}, "one label"),
    ({"id": "r", "type": "labels", "value": {"start": 0, "end": 4, "text": "Kyivx", "labels": ["ORG"]}},
     "value.text says 'Kyivx'"),
    ({"id": "r", "type": "relation", "from_id": "r", "to_id": "q"}, "no labelled span"),
])
def test_labelstudio_errors_name_the_task(tmp_path, result, message):
    tasks = [ls_task(1, "Kyiv."), ls_task(42, "Kyiv.", result)]
    with pytest.raises(NewsAttribError) as exc:
        list(read_labelstudio(ls_file(tmp_path, tasks), Options(lang="uk"), Summary()))
    assert str(exc.value).startswith(f"{tmp_path / 'export.json'}: task #2 (id 42) result r: ")
    assert message in str(exc.value)


# --- the script ----------------------------------------------------------------------------------------------

def test_script_converts_and_sums_up(tmp_path):
    src = tmp_path / "news.conll"
    src.write_text(DOCS, encoding="utf-8")
    r = run("conll", src, "-o", tmp_path / "out/news.jsonl", "--lang", "en", "--drop-labels", "LOC",
            "--rename", "PER=SPEAKER")
    assert r.returncode == 0, r.stderr
    assert "2 articles; 9 tokens; 2 entities (ORG 1, SPEAKER 1); 0 attributions (none); 1 entities dropped by label" in r.stdout
    recs = [json.loads(line) for line in (tmp_path / "out/news.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [spans(x) for x in recs] == [[("SPEAKER", "Olena Kovalenko"), ("ORG", "Reuters")], []]


@pytest.mark.parametrize("body, args, line, message", [
    ("Kyiv B-LOC\nsank O\nfast I-LOC\n", [], 3, "'I-LOC' after 'O' continues no LOC entity"),
    ("Kyiv B-LOC\nsank\n", [], 2, "'sank' has no tag"),
    ("Kyiv S-LOC\n", [], 1, "--scheme bioes"),
    ("Kyiv B-LOC\n\nfell E-LOC\n", ["--scheme", "bioes", "--blank-line", "sentence"], 1, "ends inside a LOC"),
    ("Kyiv B-LOC\n", ["--tag-column", "3"], 1, "the line has 2 columns"),
])
def test_script_bad_conll_is_one_line_and_exit_2(tmp_path, body, args, line, message):
    src = tmp_path / "bad.iob"
    src.write_text(body, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("conll", src, "-o", out, "--lang", "uk", *args)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"error: {src}:{line}: ") and message in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) == 1 and not out.exists()


def test_script_repairs_tags_on_request_and_never_overwrites_an_input(tmp_path):
    src = tmp_path / "bad.iob"
    body = "Kyiv B-LOC\nsank O\nfast I-LOC\n"
    src.write_text(body, encoding="utf-8")
    r = run("conll", src, "-o", tmp_path / "ok.jsonl", "--lang", "uk", "--repair-tags")
    assert r.returncode == 0 and "1 tags repaired" in r.stdout
    r = run("conll", src, "-o", src, "--lang", "uk")
    assert r.returncode == 2 and "would be overwritten" in r.stderr and src.read_text(encoding="utf-8") == body
    r = run("conll", src, "-o", tmp_path / "x.jsonl", "--lang", "uk", "--blank-line", "article",
            "--sentences-per-article", "3")
    assert r.returncode == 2 and r.stderr.startswith("error: --sentences-per-article")


def test_script_brat_folder_and_labelstudio(tmp_path):
    (tmp_path / "b/sub").mkdir(parents=True)
    for name in ("x", "sub/y"):
        (tmp_path / f"b/{name}.txt").write_text("Kyiv is here.\n", encoding="utf-8")
        (tmp_path / f"b/{name}.ann").write_text("T1\tLOC 0 4\tKyiv\n", encoding="utf-8")
    r = run("brat", tmp_path / "b", "-o", tmp_path / "b.jsonl", "--lang", "uk")
    assert r.returncode == 0, r.stderr
    assert [json.loads(x)["id"] for x in (tmp_path / "b.jsonl").read_text().splitlines()] == ["sub/y", "x"]
    (tmp_path / "b/x.ann").write_text("T1\tLOC 0 4\tKyiv\nT2\tLOC 0 4;8 12\tKyiv here\n", encoding="utf-8")
    r = run("brat", tmp_path / "b", "-o", tmp_path / "b.jsonl", "--lang", "uk")
    assert r.returncode == 2 and r.stderr.startswith(f"error: {tmp_path / 'b/x.ann'}:2: discontinuous")
    export = ls_file(tmp_path, [{"id": 3, "data": {"body": "Kyiv."}, "annotations": []}])
    r = run("labelstudio", export, "-o", tmp_path / "ls.jsonl", "--lang", "uk")
    assert r.returncode == 2 and "data.text is not a text (the data keys are body; --text-key" in r.stderr
