"""Decoding random head outputs always gives a well-formed record in the corpus format."""
import numpy as np
import pytest

from newsattrib.corpus import parse_record
from newsattrib.decoding import decode_article
from newsattrib.schema import NEWS
from newsattrib.features import words_of
from newsattrib.linking import ROLES, choose_chain

ENTITY_TAGS, CLAIM_TAGS = NEWS.entity_tags, NEWS.claim_tags

TEXT = ("«Ми тримаємо позиції», — сказав Андрій Коваль. According to Censor.NET, the brigade held, "
        "Okhrimenko told ArmyInform. По словам Ивана Петрова, переговоры продолжатся. \"Q1,\" he said.")


@pytest.mark.parametrize("seed", range(200))
def test_random_logits_give_well_formed_records(seed):
    rng = np.random.default_rng(seed)
    words = words_of(TEXT)
    sharp = rng.uniform(0.2, 5)

    def probs(n, k):
        x = np.exp(rng.normal(size=(n, k)) * sharp)
        return x / x.sum(-1, keepdims=True)

    def scored(n_mentions):  # a random subset of mentions, as the linker scores only the nearest ones
        idx = rng.permutation(n_mentions)[:rng.integers(0, n_mentions + 1)]
        return idx, probs(len(idx), len(ROLES))

    rec = decode_article(TEXT, words, probs(len(words), len(ENTITY_TAGS)), ENTITY_TAGS,
                         probs(len(words), len(CLAIM_TAGS)), CLAIM_TAGS,
                         lambda c, m: [scored(len(m)) for _ in c], list(ROLES))
    article, problems = parse_record({"id": "x", "lang": "uk", **rec})
    assert problems == []
    assert len(article.attributions) == len(rec["attributions"])


def test_class_decides_length_and_steps_down_when_mentions_are_missing():
    roles = list(ROLES)
    p = np.array([[0.1, 0.8, 0.05, 0.05, 0.0], [0.1, 0.1, 0.7, 0.1, 0.0], [0.1, 0.1, 0.1, 0.6, 0.1]])
    assert choose_chain("RELAYED", p, roles, quoted=False) == ("RELAYED", [1, 2, 0])
    assert choose_chain("INDIRECT", p, roles, quoted=False) == ("INDIRECT", [0])
    assert choose_chain("UNATTRIBUTED", p, roles, quoted=True) == ("UNATTRIBUTED", [])
    assert choose_chain("RELAYED", p[:1], roles, quoted=True) == ("DIRECT", [0])
    assert choose_chain("DIRECT", p[:0], roles, quoted=True) == ("UNATTRIBUTED", [])


def test_pooled_mentions_choose_the_source_then_its_likeliest_mention():
    roles = list(ROLES)
    # origin probabilities 0.4 (Censor.NET) against 0.35 + 0.3 for two mentions of Okhrimenko
    p = np.array([[0.5, 0.4, 0.1, 0.0, 0.0], [0.6, 0.35, 0.05, 0.0, 0.0], [0.6, 0.3, 0.1, 0.0, 0.0]])
    sources = ["censor.net", "okhri", "okhri"]
    assert choose_chain("INDIRECT", p, roles, quoted=False) == ("INDIRECT", [0])
    assert choose_chain("INDIRECT", p, roles, quoted=False, sources=sources) == ("INDIRECT", [1])
    # the origin's other mention is never its relay
    assert choose_chain("RELAYED", p, roles, quoted=False, sources=sources) == ("RELAYED", [0, 1])


def test_relays_by_linker_decide_the_class():
    roles = list(ROLES)
    likely = np.array([[0.1, 0.8, 0.05, 0.05, 0.0], [0.2, 0.1, 0.6, 0.1, 0.0]])   # a likely first relay
    unlikely = np.array([[0.1, 0.8, 0.05, 0.05, 0.0], [0.7, 0.1, 0.1, 0.1, 0.0]])
    assert choose_chain("INDIRECT", likely, roles, False) == ("INDIRECT", [0])
    assert choose_chain("INDIRECT", likely, roles, False, relays_by_linker=True) == ("RELAYED", [1, 0])
    assert choose_chain("RELAYED", unlikely, roles, True) == ("RELAYED", [1, 0])
    assert choose_chain("RELAYED", unlikely, roles, True, relays_by_linker=True) == ("DIRECT", [0])
    assert choose_chain("DIRECT", unlikely, roles, True, relays_by_linker=True) == ("DIRECT", [0])
    assert choose_chain("UNATTRIBUTED", likely, roles, False, relays_by_linker=True) == ("UNATTRIBUTED", [])


def test_viterbi_keeps_iob2_valid_where_argmax_would_not():
    from newsattrib.decoding import viterbi
    tags = ["O", "B-ORG", "I-ORG"]
    # argmax gives O I-ORG I-ORG: an invalid start; the best valid path opens the span with B-ORG
    probs = np.array([[0.9, 0.05, 0.05], [0.2, 0.35, 0.45], [0.1, 0.1, 0.8]])
    assert list(viterbi(probs, tags)) == [0, 1, 2]
    assert list(viterbi(np.array([[0.1, 0.2, 0.7]]), tags)) == [1]


def one_hot_claims(words, text, pieces, label="DIRECT"):
    """Claim-head probabilities that mark the given character pieces (B then I), the rest O."""
    p = np.full((len(words), len(CLAIM_TAGS)), 0.01)
    p[:, 0] = 0.9
    for a, b in pieces:
        inside = [i for i, (s, e) in enumerate(words) if s >= a and e <= b]
        for k, i in enumerate(inside):
            p[i] = 0.01
            p[i, CLAIM_TAGS.index(("B-" if k == 0 else "I-") + label)] = 0.9
    return p / p.sum(-1, keepdims=True)


def decode_claims(text, pieces, label="DIRECT", **decoding):
    words = words_of(text)
    ent = np.zeros((len(words), len(ENTITY_TAGS)))
    ent[:, 0] = 1.0
    rec = decode_article(text, words, ent, ENTITY_TAGS, one_hot_claims(words, text, pieces, label), CLAIM_TAGS,
                         lambda c, m: [], list(ROLES), decoding)
    return [text[a["claim"]["start"]:a["claim"]["end"]] for a in rec["attributions"]]


SENTENCE = {"en": "We have held this line for many weeks and we will keep holding it whatever comes next.",
            "uk": "Ми тримаємо цю лінію вже багато тижнів і триматимемо її надалі, що б не сталося.",
            "ru": "Мы держим эту линию уже много недель и будем держать ее дальше, что бы ни случилось."}


@pytest.mark.parametrize("lang, opening, closing, cue", [
    ("en", '"', '"', ' he said.'), ("en", "“", "”", " she said."), ("en", "‘", "’", " he said."),
    ("uk", "«", "»", ", — сказав він."), ("uk", "„", "“", ", — сказала вона."), ("ru", "«", "»", ", — заявил он.")])
def test_long_multi_paragraph_quote_decodes_to_one_claim(lang, opening, closing, cue):
    """A 160-word quote over three paragraphs, of which the head marks only scattered sentences."""
    paragraph = " ".join([SENTENCE[lang]] * 3)
    body = f"{paragraph}\n\n{opening}{paragraph}\n\n{opening}{paragraph}"  # continuing paragraphs repeat the mark
    text = f"Intro line.\n\n{opening}{body}{closing}{cue} Narration follows here."
    start = text.index(body)
    sentences = [(m, m + len(SENTENCE[lang])) for m in range(start, start + len(body)) if text.startswith(SENTENCE[lang], m)]
    claims = decode_claims(text, sentences[::3])  # 3 of 9 sentences marked
    assert claims == [body] and len(words_of(body)) >= 150
    assert len(decode_claims(text, sentences[::3], quote_regions=False)) == 3


def test_dashed_cue_inside_the_marks_keeps_two_claims():
    text = "«Перше речення тут. Друге речення тут, — сказав Іван Коваль. — Третє речення тут»."
    pieces = [(text.index("Перше"), text.index(", — сказав")), (text.index("Третє"), text.index("»"))]
    assert decode_claims(text, pieces) == ["Перше речення тут. Друге речення тут,", "Третє речення тут"]


def test_quoted_phrase_inside_reported_speech_stays_in_its_claim():
    text = 'He said the strike was "a war crime" and would be answered. Then nothing.'
    claim = 'the strike was "a war crime" and would be answered'
    assert decode_claims(text, [(text.index(claim), text.index(claim) + len(claim))], "INDIRECT") == [claim]


def test_touching_pieces_of_one_type_are_one_claim():
    text = "Officials said the bridge was closed and traffic was diverted."
    a, b = text.index("the bridge"), text.index("traffic")
    assert decode_claims(text, [(a, b - 5), (b - 4, text.index("."))], "UNATTRIBUTED") == \
        ["the bridge was closed and traffic was diverted"]


def test_a_person_in_no_chain_is_not_a_speaker():
    text = "Olena Kovalenko met Ivan Petrenko. Kovalenko said the talks went well. Petrenko smiled."
    words = words_of(text)
    ent = np.zeros((len(words), len(ENTITY_TAGS)))
    ent[:, 0] = 1.0
    for name in ("Olena Kovalenko", "Ivan Petrenko", "Kovalenko said", "Petrenko smiled"):
        s = text.index(name)
        span = [i for i, (a, b) in enumerate(words) if a >= s and b <= s + len(name.split(" said")[0].split(" smiled")[0])]
        for k, i in enumerate(span):
            ent[i] = 0.0
            ent[i, ENTITY_TAGS.index(("B-" if k == 0 else "I-") + "SPEAKER")] = 1.0
    claim = (text.index("the talks"), text.index(" went well") + 10)
    cl = one_hot_claims(words, text, [claim], "INDIRECT")

    def link(claims, mentions):  # the second mention of Kovalenko is the origin
        return [(np.arange(len(mentions)), np.array([[0.9, 0.1, 0, 0, 0]] * 2 + [[0.1, 0.9, 0, 0, 0]]
                                                      + [[0.9, 0.1, 0, 0, 0]] * (len(mentions) - 3)))]

    def speakers(**decoding):
        rec = decode_article(text, words, ent, ENTITY_TAGS, cl, CLAIM_TAGS, link, list(ROLES), decoding)
        assert parse_record({"id": "x", "lang": "en", **rec})[1] == []
        return [text[e["start"]:e["end"]] for e in rec["entities"]]

    assert speakers() == ["Olena Kovalenko", "Kovalenko"]
    assert speakers(speakers_need_chain=False) == ["Olena Kovalenko", "Ivan Petrenko", "Kovalenko", "Petrenko"]


def test_claim_that_took_the_marks_is_fitted_inside_them():
    text = 'Then: "We are ready, and we will stay," he said.'
    assert decode_claims(text, [(text.index('"'), text.index(" he"))]) == ["We are ready, and we will stay,"]


def test_reported_speech_ends_at_a_paragraph_break():
    """A headline's claim and the first paragraph's claim, which the tagger ran together, are two claims;
    the rule leaves a quote over paragraphs whole (test above)."""
    first, second = "most of 112 drones were shot down", "Russia attacked Ukraine overnight with drones"
    text = f"Air Force says {first}\n\n{second}, the Air Force said."
    run_together = [(text.index(first), text.index(second) + len(second))]
    assert decode_claims(text, run_together, "INDIRECT") == [first, second]
    assert decode_claims(text, run_together, "INDIRECT", paragraph_bound=False) == [f"{first}\n\n{second}"]
    touching = [(text.index(first), text.index(first) + len(first)), (text.index(second), text.index(second) + len(second))]
    assert decode_claims(text, touching, "INDIRECT") == [first, second]


def _contract(text: str, names: list[tuple[str, int]], claims: list[str]):
    """A ChainContract over ``text``: mentions given as (name, occurrence), claims by their text."""
    from newsattrib.decoding import ChainContract, source_key
    from newsattrib.features import word_span_of

    def span(sub, k=0):
        at = -1
        for _ in range(k + 1):
            at = text.index(sub, at + 1)
        return word_span_of(words_of(text), at, at + len(sub))

    mentions = [span(n, k) for n, k in names]
    keys = [source_key(n, True) for n, _ in names]
    return ChainContract(text, words_of(text), mentions, keys, [span(c) for c in claims]), span


def test_a_role_noun_resolves_to_the_nearest_earlier_mention_of_the_name():
    text = ("Olena Bondar met Ivan Petrenko. Bondar said the grain would come. Petrenko nodded. "
            "\"Prices will fall,\" the minister said. Bondar later left for Odesa.")
    contract, span = _contract(text, [("Olena Bondar", 0), ("Bondar", 1), ("Bondar", 2), ("Ivan Petrenko", 0)],
                               ["Prices will fall,"])
    claim = span("Prices will fall,")
    # the linker's favourite was the mention after the claim: the member is the one before it
    assert contract.member(2, claim) == 1
    assert contract.member(0, claim) == 1


def test_a_name_in_the_claims_own_sentence_beats_other_mentions():
    text = "Socioloh Maryna Koltsova: «Contracts lift the poor regions»\n\nMaryna Koltsova leads a research group."
    contract, span = _contract(text, [("Maryna Koltsova", 0), ("Maryna Koltsova", 1)],
                               ["Contracts lift the poor regions"])
    assert contract.member(1, span("Contracts lift the poor regions")) == 0


def test_the_next_sentence_counts_only_when_it_reports_the_claim():
    text = ("Marta Hnativ runs the plant. The lines moved west. This was stated by Hnativ. "
            "Prices rose, Hnativ added.")
    contract, span = _contract(text, [("Marta Hnativ", 0), ("Hnativ", 1), ("Hnativ", 2)],
                               ["The lines moved west", "Prices rose"])
    lines = span("The lines moved west")
    # both the next sentence and an earlier mention qualify: the linker's likelier wins
    assert contract.member(0, lines, score=lambda k: {1: 0.9}.get(k, 0.1)) == 1
    assert contract.member(1, lines, score=lambda k: {0: 0.9}.get(k, 0.1)) == 0
    # "This was stated by Hnativ" is the next sentence of "The lines moved west" only; for the claim
    # before a sentence that holds another claim, the earlier mention stands
    text2 = "Marta Hnativ runs the plant. The lines moved west. Prices rose, Hnativ added."
    contract2, span2 = _contract(text2, [("Marta Hnativ", 0), ("Hnativ", 1)], ["The lines moved west", "Prices rose"])
    assert contract2.member(1, span2("The lines moved west"), score=lambda k: 1.0 if k == 1 else 0.0) == 0


def test_a_source_named_only_further_on_is_no_member():
    text = "The bridge will reopen in May. Traffic is light. Mayor Ihor Terekhov visited the site."
    contract, span = _contract(text, [("Ihor Terekhov", 0)], ["The bridge will reopen in May"])
    assert contract.member(0, span("The bridge will reopen in May")) is None


def test_a_relay_that_is_the_origins_source_again_is_dropped_and_the_class_follows():
    from newsattrib.decoding import contract_chain

    text = "Ivan Petrenko said on Monday that the bridge will reopen, Petrenko told reporters."
    contract, span = _contract(text, [("Ivan Petrenko", 0), ("Petrenko", 1)], ["the bridge will reopen"])
    probs = np.array([[0.1, 0.8, 0.1, 0.0, 0.0], [0.1, 0.1, 0.8, 0.0, 0.0]])
    label, chain = contract_chain("RELAYED", probs, np.array([0, 1]), span("the bridge will reopen"), contract,
                                  lambda lab, p: choose_chain(lab, p, list(ROLES), False),
                                  lambda n: NEWS.chain_class(n, False))
    # both members name Petrenko: the chain keeps one mention of him (the one nearest the claim in its
    # sentence), and a chain of one source is not RELAYED
    assert (label, chain) == ("INDIRECT", [1])
