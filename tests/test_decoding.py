"""Decoding random head outputs always gives a well-formed record in the corpus format."""
import numpy as np
import pytest

from newsattrib.corpus import parse_record
from newsattrib.decoding import choose_chain, decode_article
from newsattrib.tokenizer import CLAIM_TAGS, ENTITY_TAGS, ROLES, words_of

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


def test_viterbi_keeps_iob2_valid_where_argmax_would_not():
    from newsattrib.decoding import viterbi
    tags = ["O", "B-ORG", "I-ORG"]
    # argmax gives O I-ORG I-ORG: an invalid start; the best valid path opens the span with B-ORG
    probs = np.array([[0.9, 0.05, 0.05], [0.2, 0.35, 0.45], [0.1, 0.1, 0.8]])
    assert list(viterbi(probs, tags)) == [0, 1, 2]
    assert list(viterbi(np.array([[0.1, 0.2, 0.7]]), tags)) == [1]
