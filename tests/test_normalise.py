"""scripts/normalise_lite.py on hand-made lite files, and the validator rule it enforces."""
import json
import subprocess
import sys
from pathlib import Path

from newsattrib.corpus import parse_record

ROOT = Path(__file__).resolve().parents[1]


def lite(text, entities, attributions):
    return {"id": "en-x", "lang": "en", "source": "test", "text": text, "entities": entities,
            "attributions": attributions}


def run(tmp_path, record):
    path = tmp_path / "en-x.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "scripts/normalise_lite.py"), str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(path.read_text(encoding="utf-8")), out.stdout


def test_normaliser_applies_the_three_rules(tmp_path):
    text = ('"We hold the line," Ivan Petrenko said on Telegram. "Day one. Day two.\n\n"Day three."\n\n'
            "«Перше, — сказав Петренко. — Друге».")
    ents = [{"text": "Ivan Petrenko", "label": "SPEAKER", "occ": "all"},
            {"text": "Петренко", "label": "SPEAKER", "occ": "all"}]
    chain = [{"text": "Ivan Petrenko", "occ": 1}]
    atts = [{"claim": {"text": "We hold the line", "occ": 1}, "chain": chain, "label": "DIRECT"},
            {"claim": {"text": "Day one", "occ": 1}, "chain": chain, "label": "DIRECT"},
            {"claim": {"text": "Day two", "occ": 1}, "chain": chain, "label": "DIRECT"},
            {"claim": {"text": "Day three", "occ": 1}, "chain": chain, "label": "DIRECT"},
            {"claim": {"text": "Перше", "occ": 1}, "chain": [{"text": "Петренко", "occ": 1}], "label": "DIRECT"},
            {"claim": {"text": "Друге", "occ": 1}, "chain": [{"text": "Петренко", "occ": 1}], "label": "DIRECT"}]
    out, log = run(tmp_path, lite(text, ents, atts))
    assert [a["claim"]["text"] for a in out["attributions"]] == [
        "We hold the line,", 'Day one. Day two.\n\n"Day three.', "Перше,", "Друге"]
    assert {"text": "Telegram", "label": "ORG", "occ": "all"} in out["entities"]
    assert "3 claims in one quote merged" in log and "platform 'Telegram' tagged ORG" in log
    again, log = run(tmp_path, out)  # idempotent
    assert again == out and log.startswith("0 change(s)")


def test_validator_names_a_claim_that_stops_before_punctuation_inside_the_mark():
    text = '"We hold the line," he said.'
    rec = {"id": "en-1", "lang": "en", "text": text, "entities": [],
           "attributions": [{"id": "a1", "claim": {"start": 1, "end": 17}, "chain": [], "label": "UNATTRIBUTED"}]}
    _, problems = parse_record(rec)
    assert problems == ["attribution 'a1' claim stops before ',' inside its closing quotation mark; "
                        "the punctuation inside the marks belongs to the claim (end 18, not 17)"]
    rec["attributions"][0]["claim"]["end"] = 18
    assert parse_record(rec)[1] == []
