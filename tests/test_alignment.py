"""Character spans to word tags and back, and windows that drop no token of a long article."""
import pytest
from transformers import AutoTokenizer

from newsattrib.data_collator import ArticleCollator
from newsattrib.evaluation import evaluate
from newsattrib.pipeline import Pipeline
from newsattrib.modeling import build_model
from newsattrib.features import (encode_article, featurize, owners, spans_to_tags, tags_to_spans, windows, word_span_of,
                                  words_of)

from conftest import make_article


def test_words_and_tags_round_trip():
    text = "Bohdan Okhrimenko told ArmyInform: 300 servicemen, $5 billion (15%)."
    words = words_of(text)
    spans = [(0, 17, "SPEAKER"), (23, 33, "ORG"), (35, 49, "QUANTITY"), (51, 61, "QUANTITY")]
    tags = spans_to_tags(words, spans)
    assert tags[:4] == ["B-SPEAKER", "I-SPEAKER", "O", "B-ORG"]
    back = [(words[s][0], words[e - 1][1], t) for s, e, t in tags_to_spans(tags)]
    assert back == spans


def test_tags_to_spans_repairs_orphan_inside_tags():
    assert tags_to_spans(["I-ORG", "I-ORG", "O", "B-SPEAKER", "I-ORG"]) == [(0, 2, "ORG"), (3, 4, "SPEAKER"),
                                                                             (4, 5, "ORG")]


@pytest.mark.parametrize("n,size,stride", [(1, 10, 2), (10, 10, 2), (11, 10, 2), (95, 10, 3), (1000, 510, 64)])
def test_windows_cover_every_token_once_as_owner(n, size, stride):
    spans = windows(n, size, stride)
    assert all(b - a <= size for a, b in spans)
    assert spans[0][0] == 0 and spans[-1][1] == n
    own = owners(n, spans)
    for t, (w, p) in enumerate(own):
        a, b = spans[w]
        assert a + p == t and a <= t < b


def test_windows_reject_stride_not_smaller_than_window():
    with pytest.raises(ValueError):
        windows(100, 8, 8)


def test_long_article_every_gold_entity_is_scored(tiny_model_dir):
    """An article many windows long: every word gets a prediction, every gold entity is in the support."""
    parts = []
    for i in range(40):
        parts += [("ENT", "SPEAKER", f"Petro Shevchuk{i}"), " said that ", ("ENT", "QUANTITY", f"{i + 2} drones"),
                  " were lost near ", ("ENT", "ORG", f"Brigade{i}"), ". "]
    art = make_article("long", "en", parts)
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    feats = featurize(art, tok)
    model = build_model(tiny_model_dir, task="entities", max_length=32, stride=8)
    n_windows = len(windows(len(feats["input_ids"]), 30, 8))
    assert n_windows >= 8
    batch = ArticleCollator.for_model(model.spec, tok)([feats])
    assert batch["input_ids"].shape[0] == n_windows
    assert batch["word_token"].shape[0] == len(words_of(art.text))
    pipe = Pipeline(model, tok)
    report = evaluate([art], pipe.predict_articles([art]), with_claims=False)
    assert report["entities"]["all"]["micro"]["support"] == len(art.entities) == 120


def test_word_span_of():
    words = words_of("a bb ccc")
    assert word_span_of(words, 2, 8) == (1, 3)
    assert word_span_of(words, 1, 2) is None


@pytest.mark.parametrize("text", ["Revenue rose to $37.6 billion, up 18% (Censor.NET).",
                                  "«Ми тримаємо позиції», — сказав він.", '"We will hold the line," he said.',
                                  "ЗСУ:150 тис . грн!!!", "", "  \n "])
def test_every_word_starts_a_token_of_its_own(tiny_model_dir, text):
    """Two words never share a state: ``$`` and ``37`` (or a quote's mark and its first word) need two labels."""
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    enc = encode_article(tok, text)
    assert len(enc.word_token) == len(words_of(text))
    assert all(a < b for a, b in zip(enc.word_token, enc.word_token[1:]))
    assert all(0 <= t < len(enc.input_ids) for t in enc.word_token)
    pieces = tok.convert_ids_to_tokens(enc.input_ids)
    for i, (start, _) in enumerate(enc.word_spans):  # only a word after a space begins with the marker
        glued = i and enc.word_spans[i - 1][1] == start
        assert not (glued and pieces[enc.word_token[i]].startswith("▁") and
                    tok.convert_tokens_to_ids(pieces[enc.word_token[i]][1:]) != tok.unk_token_id)
    if text.strip():  # the whole-text encoding of older models merges some of these words
        old = encode_article(tok, text, split_words=False)
        assert len(old.word_token) == len(enc.word_token)
