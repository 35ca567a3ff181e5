"""Metric functions on hand-made cases with known answers."""
from newsattrib.corpus import Article, Attribution, Entity
from newsattrib.evaluation import evaluate, seqeval_scores

TEXT = "According to Censor.NET, the army held the line, Okhrimenko told ArmyInform. Kyiv was calm."
#       0         1         2         3         4         5         6         7         8
CENSOR, OKH, ARMY = (13, 23), (49, 59), (65, 75)
CLAIM = (25, 47)


def gold() -> Article:
    ents = [Entity("e1", *CENSOR, "ORG"), Entity("e2", *OKH, "SPEAKER"), Entity("e3", *ARMY, "ORG")]
    return Article("g", "en", TEXT, ents, [Attribution("a1", *CLAIM, ("e1", "e3", "e2"), "RELAYED")])


def pred(chain_spans, label="RELAYED", claim=CLAIM, ents=(CENSOR, OKH, ARMY)) -> dict:
    entities = [{"id": f"p{i}", "start": s, "end": e, "label": "ORG"} for i, (s, e) in enumerate(ents)]
    ids = {(e["start"], e["end"]): e["id"] for e in entities}
    return {"id": "g", "lang": "en", "text": TEXT, "entities": entities,
            "attributions": [{"id": "a1", "claim": {"start": claim[0], "end": claim[1]},
                              "chain": [ids[s] for s in chain_spans], "label": label}]}


def test_seqeval_is_strict():
    # an I- without B- is not an entity in strict IOB2 (lenient mode would count it)
    s = seqeval_scores([["B-ORG", "I-ORG", "O"]], [["I-ORG", "I-ORG", "O"]], ("ORG",))
    assert s["ORG"]["f1"] == 0.0
    s = seqeval_scores([["B-ORG", "I-ORG", "O"]], [["B-ORG", "I-ORG", "O"]], ("ORG",))
    assert s["ORG"]["f1"] == 1.0


def test_perfect_chain():
    ch = evaluate([gold()], [pred([CENSOR, ARMY, OKH])])["chains"]["all"]
    assert ch["exact_match"] == 1.0 and ch["class_accuracy"] == 1.0 and ch["links"]["f1"] == 1.0


def test_wrong_order_is_not_an_exact_match():
    ch = evaluate([gold()], [pred([ARMY, CENSOR, OKH])])["chains"]["all"]
    assert ch["exact_match"] == 0.0
    assert ch["links"]["precision"] == ch["links"]["recall"] == 1 / 3  # only the origin keeps its position


def test_missing_hop():
    ch = evaluate([gold()], [pred([CENSOR, OKH])])["chains"]["all"]
    assert ch["exact_match"] == 0.0 and ch["class_accuracy"] == 1.0
    assert ch["links"]["precision"] == 0.5 and abs(ch["links"]["recall"] - 1 / 3) < 1e-9


def test_chain_metrics_only_on_exactly_matching_claims():
    rep = evaluate([gold()], [pred([CENSOR, ARMY, OKH], claim=(25, 40))])
    assert rep["chains"]["all"]["matched_claims"] == 0
    assert rep["claims"]["all"]["RELAYED"]["f1"] == 0.0


def test_entity_scores_and_confusion():
    rep = evaluate([gold()], [pred([CENSOR, ARMY, OKH])])
    ents = rep["entities"]["all"]
    assert ents["ORG"]["precision"] == 2 / 3 and ents["ORG"]["recall"] == 1.0
    assert ents["SPEAKER"]["recall"] == 0.0
    labels = rep["entity_word_confusion"]["labels"]
    m = rep["entity_word_confusion"]["matrix"]
    assert m[labels.index("SPEAKER")][labels.index("ORG")] == 1


def test_chain_error_categories():
    """Each inexact chain of a matched claim falls in one category, judged on the origin first."""
    text = "Okhrimenko spoke. According to Censor.NET, the army held the line, Okhrimenko told ArmyInform."
    okh1, censor, okh2, army = (0, 10), (31, 41), (67, 77), (83, 93)
    claim = (43, 65)
    ents = [Entity("e1", *okh1, "SPEAKER"), Entity("e2", *censor, "ORG"), Entity("e3", *okh2, "SPEAKER"),
            Entity("e4", *army, "ORG")]

    def category(chain_spans, gold_chain=("e2", "e4", "e3")):
        g = Article("g", "en", text, ents, [Attribution("a1", *claim, gold_chain, "RELAYED" if len(gold_chain) > 1
                                                        else "INDIRECT" if gold_chain else "UNATTRIBUTED")])
        p_ents = [{"id": e.id, "start": e.start, "end": e.end, "label": e.label} for e in ents]
        ids = {(e.start, e.end): e.id for e in ents}
        p = {"id": "g", "lang": "en", "text": text, "entities": p_ents,
             "attributions": [{"id": "a1", "claim": {"start": claim[0], "end": claim[1]},
                               "chain": [ids[s] for s in chain_spans], "label": "RELAYED"}]}
        errors = evaluate([g], [p])["chains"]["all"]["errors"]
        return [k for k, n in errors.items() if n] or None

    assert category([censor, army, okh2]) is None
    assert category([censor, army, okh1]) == ["same name, other mention"]
    assert category([okh2, army]) == ["other source"]
    assert category([army, okh2]) == ["relays differ"]
    assert category([]) == ["no chain"]
    assert category([okh2], gold_chain=()) == ["chain where none"]
