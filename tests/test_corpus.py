"""The corpus reader and validator: good files load, each kind of bad input gives one clear line."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsattrib.corpus import CorpusError, read_corpus, write_corpus

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Bohdan Okhrimenko told ArmyInform that 300 servicemen left."
GOOD = {"id": "en-1", "lang": "en", "text": TEXT,
        "entities": [{"id": "e1", "start": 0, "end": 17, "label": "SPEAKER"},
                     {"id": "e2", "start": 23, "end": 33, "label": "ORG"},
                     {"id": "e3", "start": 39, "end": 53, "label": "QUANTITY"}],
        "attributions": [{"id": "a1", "claim": {"start": 39, "end": 58}, "chain": ["e2", "e1"],
                          "label": "RELAYED"}]}


def variant(**changes):
    rec = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        *keys, last = path.split("__")
        obj = rec
        for k in keys:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        if value is DELETE:
            del obj[last]
        elif isinstance(obj, list) and int(last) == len(obj):
            obj.append(value)
        else:
            obj[int(last) if last.isdigit() else last] = value
    return (json.dumps(rec, ensure_ascii=False) + "\n").encode()


DELETE = object()
ENT2 = {"id": "e4", "start": 5, "end": 20, "label": "ORG"}

# (name, file bytes, a piece of the expected message)
CASES = [
    ("broken json", b'{"id": "en-1", "lang": \n', "broken JSON"),
    ("not an object", b"[1, 2]\n", "must be a JSON object"),
    ("missing id", variant(id=DELETE), "missing required key 'id'"),
    ("missing text", variant(text=DELETE), "missing required key 'text'"),
    ("text not a string", variant(text=5), "'text' must be str"),
    ("entities not a list", variant(entities={}), "'entities' must be list"),
    ("attributions not a list", variant(attributions="a1"), "'attributions' must be list"),
    ("entity missing keys", variant(entities__0={"id": "e1", "start": 0}), "must be an object with id"),
    ("offsets not integers", variant(entities__0__start="0"), "offsets must be integers"),
    ("offsets booleans", variant(entities__0__start=True), "offsets must be integers"),
    ("empty span", variant(entities__0__end=0), "out of range"),
    ("end out of range", variant(entities__2__end=999), "out of range"),
    ("negative start", variant(entities__0__start=-1), "out of range"),
    ("whitespace span", variant(entities__0__start=17, entities__0__end=18), "only whitespace"),
    ("inside a combining character",
     variant(text="Йо\u0306сип said it.", entities=[{"id": "e1", "start": 0, "end": 2, "label": "SPEAKER"}],
             attributions=[]), "multi-code-point character"),
    ("overlapping entities", variant(entities__2=ENT2), "overlap"),
    ("unknown entity label", variant(entities__1__label="PERSON"), "unknown label 'PERSON'"),
    ("duplicate entity id", variant(entities__2__id="e1"), "duplicate entity id"),
    ("unknown chain label", variant(attributions__0__label="QUOTED"), "unknown label 'QUOTED'"),
    ("chain id missing", variant(attributions__0__chain=["e2", "e9"]), "'e9' is not an entity id"),
    ("chain member is a quantity", variant(attributions__0__chain=["e2", "e3"]), "is QUANTITY"),
    ("label disagrees with chain", variant(attributions__0__label="DIRECT"), "disagrees with its chain of 2"),
    ("unattributed with chain", variant(attributions__0__label="UNATTRIBUTED"), "disagrees"),
    ("chain repeats member", variant(attributions__0__chain=["e1", "e1"]), "repeats a member"),
    ("claim out of range", variant(attributions__0__claim={"start": 50, "end": 500}), "out of range"),
    ("overlapping claims", variant(attributions__1={"id": "a2", "claim": {"start": 40, "end": 45}, "chain": [],
                                                    "label": "UNATTRIBUTED"}), "claims"),
    ("duplicate attribution id", variant(attributions__1={"id": "a1", "claim": {"start": 0, "end": 6},
                                                          "chain": [], "label": "UNATTRIBUTED"}),
     "duplicate attribution id"),
    ("empty text", variant(text="  ", entities=[], attributions=[]), "text is empty"),
    ("duplicate article ids", variant() + variant(), "duplicate article id"),
    ("byte-order mark", b"\xef\xbb\xbf" + variant(), "byte-order mark"),
    ("BOM inside text", variant(text="\ufeff" + TEXT, entities=[], attributions=[]), "byte-order mark"),
    ("CRLF line ends", variant().replace(b"\n", b"\r\n"), "CRLF"),
    ("CR inside text", variant(text=TEXT.replace(" told", "\r\ntold")), "carriage return"),
    ("not UTF-8", variant().replace("Bohdan".encode(), b"Bo\xffdan"), "not valid UTF-8"),
    ("empty file", b"\n\n", "holds no articles"),
]


def test_good_record_round_trips(tmp_path):
    f = tmp_path / "good.jsonl"
    f.write_bytes(variant())
    [art] = read_corpus(f)
    assert art.attributions[0].chain == ("e2", "e1") and art.entity("e1").label == "SPEAKER"
    write_corpus(tmp_path / "again.jsonl", [art])
    assert json.loads((tmp_path / "again.jsonl").read_text()) == GOOD


@pytest.mark.parametrize("name,data,message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_names_file_line_article_and_problem(tmp_path, name, data, message):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(data)
    with pytest.raises(CorpusError) as err:
        read_corpus(f)
    assert any(message in p for p in err.value.problems), err.value.problems
    for p in err.value.problems:
        assert p.startswith(f"{f}:") and ": article " in p


def test_validate_script_exits_2_without_traceback(tmp_path):
    bad, good = tmp_path / "bad.jsonl", tmp_path / "good.jsonl"
    bad.write_bytes(variant(attributions__0__chain=["e2", "e9"]) + b"{oops\n")
    good.write_bytes(variant())
    run = subprocess.run([sys.executable, str(ROOT / "scripts/validate.py"), str(good), str(bad)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines == [f"{bad}:1: article en-1: attribution 'a1' chain member 'e9' is not an entity id of this article",
                     f"{bad}:2: article -: broken JSON: Expecting property name enclosed in double quotes at column 2"]
    ok = subprocess.run([sys.executable, str(ROOT / "scripts/validate.py"), str(good)], capture_output=True, text=True)
    assert ok.returncode == 0
