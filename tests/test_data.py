"""The project's corpus: valid, big and varied enough, and split without near-duplicates."""
from pathlib import Path

import pytest

from newsattrib.corpus import read_corpus
from newsattrib.splits import near_duplicates
from newsattrib.stats import corpus_stats

DATA = Path(__file__).resolve().parents[1] / "data"
SPLITS = ("train", "validation", "test")


@pytest.fixture(scope="module")
def splits():
    return {s: read_corpus(DATA / f"{s}.jsonl") for s in SPLITS}


def test_every_file_validates_and_ids_are_unique(splits):
    ids = [a.id for arts in splits.values() for a in arts]
    assert len(ids) == len(set(ids))


def test_no_held_out_article_near_duplicates_a_train_article(splits):
    assert near_duplicates(splits["validation"] + splits["test"], splits["train"]) == []


def test_split_sizes_by_language(splits):
    for lang in ("en", "uk", "ru"):
        n = {s: sum(a.lang == lang for a in arts) for s, arts in splits.items()}
        total = sum(n.values())
        assert total >= 80
        assert abs(n["train"] / total - 0.7) < 0.05 and abs(n["test"] / total - 0.15) < 0.05


def test_counts_of_the_data_card(splits):
    """The corpus in the form of real news (issue 11): size, long and multi-paragraph quotes, length."""
    stats = corpus_stats([a for arts in splits.values() for a in arts])
    every = stats["all"]
    assert every["articles"] >= 550 and every["words_median"] >= 220
    assert every["claims_60_words"] >= 60 and every["claims_over_paragraphs"] >= 15
    assert every["distinct"]["SPEAKER"] >= 300 and every["distinct"]["ORG"] >= 300
    assert every["distinct"]["PROGRAM"] >= 60
    for lang in ("en", "uk", "ru"):
        s = stats[lang]
        assert s["articles"] >= 180 and 80 <= s["words_min"] and s["words_max"] <= 700
        assert min(s["class_share"].values()) >= 0.12, s["class_share"]
        assert all(s["forms"][form] >= 5 for form in ("capitals", "markdown", "tokenised", "interview")), s["forms"]


def test_check_splits_script_passes():
    import subprocess
    import sys
    run = subprocess.run([sys.executable, str(DATA.parent / "scripts/check_splits.py")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "no near-duplicates" in run.stdout
