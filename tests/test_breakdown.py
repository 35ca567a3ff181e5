"""The error breakdown on a hand-made case with one error of each kind."""
import json

from newsattrib.breakdown import CATEGORIES, GOLD_CATEGORIES, categorise
from newsattrib.corpus import Article, Attribution, Entity
from newsattrib.evaluation import evaluate, format_table

WORDS = [f"w{i:02d}" for i in range(40)]
TEXT = " ".join(WORDS) + "."


def chars(first: int, last: int) -> tuple[int, int]:
    """Character span of words [first, last)."""
    return first * 4, last * 4 - 1


# (gold word spans, predicted word spans) giving one gold span in each category (two for merged)
GOLD = [(0, 2, "A"), (3, 5, "A"), (6, 8, "A"), (10, 12, "A"), (13, 17, "A"), (18, 19, "A"), (20, 21, "A"),
        (23, 26, "B"), (28, 30, "B")]
PRED = [(0, 2, "A"),              # exact
        (3, 5, "B"),              # class wrong
        (6, 9, "A"),              # ends late
        (11, 12, "A"),            # starts late
        (13, 15, "A"), (15, 17, "A"),  # one gold span split in two
        (18, 21, "A"),            # two gold spans merged into one
        (22, 25, "B"),            # other overlap (starts early, ends early)
        (32, 34, "B")]            # spurious; gold (28, 30) is missed
EXPECTED = {"exact": 1, "class_wrong": 1, "ends_early_late": 1, "starts_early_late": 1, "split": 1,
            "merged": 2, "other_overlap": 1, "missed": 1, "spurious": 1}


def test_categorise_word_spans():
    cats, spurious = categorise(GOLD, PRED)
    assert cats == ["exact", "class_wrong", "ends_early_late", "starts_early_late", "split", "merged", "merged",
                    "other_overlap", "missed"]
    assert spurious == [False] * 8 + [True]


def test_edge_cases():
    assert categorise([(0, 3, "A")], [(1, 2, "A")])[0] == ["other_overlap"]  # inside, both edges elsewhere
    assert categorise([(0, 3, "A")], [(0, 1, "A")])[0] == ["ends_early_late"]
    assert categorise([(0, 3, "A")], [(0, 1, "A"), (2, 3, "B")])[0] == ["split"]  # a gap between the pieces
    # a prediction that is split-overlapping one gold span and merged with another
    assert categorise([(0, 2, "A"), (2, 4, "A")], [(0, 1, "A"), (1, 4, "A")])[0] == ["split", "merged"]
    assert categorise([], [(0, 1, "A")]) == ([], [True])


def articles():
    ent_label = {"A": "ORG", "B": "SPEAKER"}
    cl_label = {"A": "UNATTRIBUTED", "B": "INDIRECT"}
    gold_en = Article("en-1", "en", TEXT, [Entity(f"e{i}", *chars(s, e), ent_label[t]) for i, (s, e, t) in
                                           enumerate(GOLD)],
                      [Attribution(f"a{i}", *chars(s, e), (), cl_label[t]) for i, (s, e, t) in enumerate(GOLD)])
    pred_en = {"id": "en-1", "lang": "en", "text": TEXT,
               "entities": [{"id": f"p{i}", "start": chars(s, e)[0], "end": chars(s, e)[1], "label": ent_label[t]}
                            for i, (s, e, t) in enumerate(PRED)],
               "attributions": [{"id": f"a{i}", "claim": dict(zip(("start", "end"), chars(s, e))), "chain": [],
                                 "label": cl_label[t]} for i, (s, e, t) in enumerate(PRED)]}
    # a second language, predicted perfectly: one exact entity and claim
    gold_uk = Article("uk-1", "uk", TEXT, [Entity("e1", *chars(0, 2), "QUANTITY")],
                      [Attribution("a1", *chars(3, 5), (), "UNATTRIBUTED")])
    pred_uk = {"id": "uk-1", "lang": "uk", "text": TEXT,
               "entities": [{"id": "p1", "start": chars(0, 2)[0], "end": chars(0, 2)[1], "label": "QUANTITY"}],
               "attributions": [{"id": "a1", "claim": dict(zip(("start", "end"), chars(3, 5))), "chain": [],
                                 "label": "UNATTRIBUTED"}]}
    return [gold_en, gold_uk], [pred_en, pred_uk]


def test_report_counts_each_category_per_language():
    gold, pred = articles()
    rep = evaluate(gold, pred)
    for kind in ("entities", "claims"):
        en = rep["breakdown"][kind]["en"]["all"]
        assert {k: en[k] for k in CATEGORIES} == EXPECTED, kind
        assert en["gold"] == len(GOLD) == sum(en[k] for k in GOLD_CATEGORIES)
        assert en["predicted"] == len(PRED)
        uk = rep["breakdown"][kind]["uk"]["all"]
        assert uk["exact"] == uk["gold"] == uk["predicted"] == 1 and sum(uk[k] for k in CATEGORIES) == 1
        everything = rep["breakdown"][kind]["all"]["all"]
        assert everything["exact"] == 2 and everything["gold"] == len(GOLD) + 1
        # exact is strict seqeval's true positives
        micro = rep[kind]["all"]["micro"]
        assert round(micro["recall"] * micro["support"]) == everything["exact"]
    # per type: gold categories by the gold type, spurious by the predicted type
    org = rep["breakdown"]["entities"]["en"]["ORG"]
    assert org["gold"] == 7 and org["class_wrong"] == 1 and org["merged"] == 2 and org["spurious"] == 0
    speaker = rep["breakdown"]["entities"]["en"]["SPEAKER"]
    assert speaker["other_overlap"] == speaker["missed"] == speaker["spurious"] == 1
    json.dumps(rep)  # the JSON report holds it as plain numbers


def test_table_prints_the_breakdown():
    gold, pred = articles()
    table = format_table(evaluate(gold, pred), "hand-made")
    assert "entities error breakdown" in table and "claims error breakdown" in table
    lines = table.splitlines()
    claims = lines[lines.index(next(l for l in lines if l.startswith("claims error breakdown"))):]
    assert claims[1].split() == ["category", "en", "uk", "all", "INDIRECT", "UNATTRIB"]
    merged = next(l for l in claims if l.split()[0] == "merged").split()
    assert merged[1:] == ["2", "0", "2", "0", "2"]


def test_entities_only_report_has_no_claim_breakdown():
    gold, pred = articles()
    rep = evaluate(gold, pred, with_claims=False)
    assert set(rep["breakdown"]) == {"entities"}
    assert "claims error breakdown" not in format_table(rep)
