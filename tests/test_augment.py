"""Augmentation keeps every span's text, the validator accepts its articles, and off means off."""
import random

import pytest
from transformers import AutoTokenizer, TrainerState

from newsattrib.augment import (FUNCTIONS, STYLES, AugmentEpoch, AugmentedArticles, apply_edits, augment,
                                settings, training_dataset)
from newsattrib.corpus import parse_record
from newsattrib.errors import NewsAttribError
from newsattrib.textunits import QUOTE_MARKS, QUOTE_PAIRS, quotation_regions, quote_claim_span
from newsattrib.features import encode_article, sentence_ids, words_of
from newsattrib.trainer import to_dataset

from conftest import make_article, sample_articles
from helpers import tiny_config

OKH = ("ENT", "SPEAKER", "Bohdan Okhrimenko", "Okhrimenko")
CENSOR = ("ENT", "ORG", "Censor.NET")


def quote(open_, close, claim, chain, label="DIRECT"):
    return [open_, ("CLAIM", label, claim, chain), close]


def hand_made():
    """Articles in three languages with quotes of every style of the mark table."""
    en = ["RUSSIA LOSES MORE THAN A BATTALION A DAY, ", ("ENT", "ORG", "ArmyInform", "ArmyInform"), " SAYS\n\n",
          "According to ", CENSOR, ", ", OKH, " told ", ("ENT", "ORG", "ArmyInform", "ArmyInform2"), ": ",
          *quote('"', '"', "We are holding the line,", ["Censor.NET", "ArmyInform2", "Okhrimenko"], "RELAYED"),
          " he said. ", *quote("“", "”", "They don't pass.", ["Okhrimenko"]), " The ",
          ("ENT", "PROGRAM", "Army of Drones"), " got ", ("ENT", "QUANTITY", "$5 million"), " (about 1.5%).\n\n",
          *quote("‘", "’", "It works", ["Okhrimenko"]), ", the authorities' \"housing office\" said ",
          ("ENT", "SPEAKER", "Okhrimenko", "Okh2"), ". Mr. ", ("ENT", "SPEAKER", "John Smith", "Smith"),
          " said ", *quote("'", "'", "no comment", ["Smith"]), ".\n\n",
          "\u201cThe first paragraph of a long quote goes on.\n\n\u201cThe second repeats the mark,\u201d ",
          ("ENT", "SPEAKER", "Smith", "Smith2"), " said. \U0001F468\u200d\U0001F469 \u0301!"]
    # the multi-paragraph quote is one DIRECT claim (repeat convention)
    art_en = make_article("en-aug", "en", en)
    text = art_en.text
    start = text.index("The first paragraph")
    end = text.index("mark,") + len("mark,")
    from newsattrib.corpus import Attribution
    art_en.attributions.append(Attribution("a-long", start, end, (art_en.entities[-1].id,), "DIRECT"))
    uk = [("ENT", "SPEAKER", "Андрій Коваль", "Коваль"), " заявив: ",
          *quote("«", "»", "Ми тримаємо позиції, а «Азов» теж", ["Коваль"]), ", — сказав він. Компанія ",
          ("ENT", "ORG", "ТОВ «Зелена долина»"), " отримала ", ("ENT", "QUANTITY", "150 тис. грн"), ".\n\n",
          "Програма «", ("ENT", "PROGRAM", "Хочу жити"), "» працює. ",
          *quote("„", "“", "Це п’ять років роботи", ["Коваль"]), ", — додав він.\n\n",
          "«Перший абзац цитати.\n\nДругий абзац без знака»,  — сказав ", ("ENT", "SPEAKER", "Коваль", "К2"), "."]
    art_uk = make_article("uk-aug", "uk", uk)
    s = art_uk.text.index("Перший абзац")
    e = art_uk.text.index("без знака") + len("без знака")
    art_uk.attributions.append(Attribution("a-long", s, e, (art_uk.entities[-1].id,), "DIRECT"))
    ru = [("ENT", "SPEAKER", "Иван Петров", "Петров"), " сообщил, что ",
          ("CLAIM", "INDIRECT", "в регионе работают 5 бригад", ["Петров"]), ". По данным ",
          ("ENT", "ORG", "ТАСС"), ", ", *quote("‚", "‘", "переговоры продолжатся", ["ТАСС"]), ". ",
          *quote("‹", "›", "Мы выстоим", ["Петров"]), ", — сказал ", ("ENT", "SPEAKER", "Петров", "П2"),
          ". Ранее сообщалось, что ", ("CLAIM", "UNATTRIBUTED", "мост закрыт", []), "."]
    return [art_en, art_uk, make_article("ru-aug", "ru", ru)]


ARTICLES = hand_made() + sample_articles()[:3]


def test_hand_made_articles_are_valid_and_use_every_style():
    for art in ARTICLES:
        assert parse_record(art.to_record())[1] == []
    openers = {q.opener for art in ARTICLES for q in quotation_regions(art.text)}
    assert openers == set(QUOTE_PAIRS)


def spans(art):
    return [(x.start, x.end) for x in (*art.entities, *art.attributions)]


def check_spans(name, old, new):
    assert parse_record(new.to_record())[1] == [], (name, old.id)
    assert [e.label for e in new.entities] == [e.label for e in old.entities]
    assert [(a.label, a.chain) for a in new.attributions] == [(a.label, a.chain) for a in old.attributions]
    for (s0, e0), (s1, e1) in zip(spans(old), spans(new)):
        t0, t1 = old.text[s0:e0], new.text[s1:e1]
        if name == "quotes":  # the same text up to the marks
            assert len(t0) == len(t1) and all(a == b or {a, b} <= set(QUOTE_MARKS) for a, b in zip(t0, t1)), (t0, t1)
        elif name == "capitals":
            assert all(l1 in (l0, l0.upper()) for l0, l1 in zip(t0.split("\n"), t1.split("\n"))), (t0, t1)
        elif name == "spacing":  # the same words
            assert [t0[s:e] for s, e in words_of(t0)] == [t1[s:e] for s, e in words_of(t1)], (t0, t1)
            assert t1.replace(" ", "") == t0.replace(" ", "")
        else:
            assert t1 == t0, (name, t0, t1)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_each_transform_keeps_every_span(name):
    for art in ARTICLES:
        changed = 0
        for seed in range(12):
            new = FUNCTIONS[name](art, random.Random(seed))
            changed += new.text != art.text
            check_spans(name, art, new)
            # quotation regions are the old ones moved: a DIRECT claim is still a whole region
            regions = [quote_claim_span(new.text, q) for q in quotation_regions(new.text)]
            assert len(regions) == len(quotation_regions(art.text))
            for a in new.attributions:
                if a.label == "DIRECT":
                    assert (a.start, a.end) in regions, (name, art.id, new.text[a.start:a.end])
            if name == "reflow":  # no word changes sentence
                assert sentence_ids(new.text, words_of(new.text)) == sentence_ids(art.text, words_of(art.text))
        assert changed or (name == "quotes" and not quotation_regions(art.text)), (name, art.id)


def test_examples():
    uk = ARTICLES[1]
    spaced = FUNCTIONS["spacing"](uk, random.Random(0))
    assert "150 тис . грн" in spaced.text and "ТОВ « Зелена долина »" in spaced.text
    assert "« Хочу жити »" in spaced.text and "п’ять" in spaced.text  # an apostrophe inside a word stays
    en = FUNCTIONS["spacing"](ARTICLES[0], random.Random(0))
    assert "Censor.NET" in en.text and "1.5 %" in en.text and "$ 5 million" in en.text
    assert "authorities' \" housing office \"" in en.text  # the apostrophe is not a quote
    assert "\U0001F468\u200d\U0001F469" in en.text  # a joined emoji is not cut
    caps = {FUNCTIONS["capitals"](uk, random.Random(s)).text.split("\n")[0] for s in range(12)}
    assert uk.text.split("\n")[0].upper() in caps
    for seed in range(8):
        new = FUNCTIONS["quotes"](ARTICLES[0], random.Random(seed))
        styles = {new.text[q.start - 1] for q in quotation_regions(new.text)}
        assert len(styles) == 1 and styles <= {o for o, _ in STYLES}
        assert new.text.count("\n\n" + next(iter(styles)) + "The second") == 1  # the repeated mark follows


def test_apply_edits_position_map():
    text, pos = apply_edits("ab.cd", [(2, 2, " "), (3, 3, " "), (4, 5, "DD")])
    assert text == "ab . cDD"
    assert pos.end(2) == 2 and pos.start(2) == 3  # a span ending at an insertion ends before it
    assert pos.start(3) == 5 and pos.end(3) == 4
    assert pos.start(4) == 6 and pos.end(5) == 8 and pos.start(0) == 0
    with pytest.raises(ValueError):
        apply_edits("abc", [(0, 2, "x"), (1, 3, "y")])
    _, pos = apply_edits("abcdef", [(1, 4, "X")])
    with pytest.raises(ValueError):
        pos.start(2)


def test_augment_probabilities():
    art = ARTICLES[0]
    none = {"p": 1.0, "reflow": 0.0, "quotes": 0.0, "capitals": 0.0, "spacing": 0.0}
    assert augment(art, random.Random(0), none) is art
    assert augment(art, random.Random(0), {**none, "p": 0.0, "spacing": 1.0}) is art
    assert augment(art, random.Random(0), {**none, "spacing": 1.0}).text != art.text


def test_settings():
    assert settings({"p": 0.0, "quotes": 1.0}) is None and settings(None) is None
    assert settings({"p": 0.5, "quotes": 1})["quotes"] == 1.0
    for bad in ({"p": 1.5}, {"p": 0.5, "quotes": "often"}, {"p": 0.5, "capital": 0.3}):
        with pytest.raises(NewsAttribError):
            settings(bad)


def test_config_switch(tmp_path, tiny_model_dir):
    cfg = tiny_config(tmp_path, tiny_model_dir, sample_articles())
    assert settings(cfg.data.augment)["p"] > 0 and cfg.data.augment.seed == cfg.seed
    assert settings(tiny_config(tmp_path, tiny_model_dir, sample_articles(), "data.augment.p=0").data.augment) is None


def rows(dataset):
    return [dict(dataset[i]) for i in range(len(dataset))]


def test_off_gives_identical_datasets(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    arts = sample_articles()
    plain = rows(to_dataset(arts, tok))
    off, callbacks = training_dataset(arts, tok, {"p": 0.0, "quotes": 1.0, "spacing": 1.0}, seed=1)
    assert callbacks == [] and rows(off) == plain
    never, _ = training_dataset(arts, tok, {"p": 1.0}, seed=1)  # no transform has a chance
    assert rows(never) == plain


def test_on_is_seeded_per_epoch(tiny_model_dir):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    arts = sample_articles()
    probs = {"p": 1.0, "quotes": 1.0, "capitals": 0.5, "spacing": 0.5, "reflow": 0.5}
    data, callbacks = training_dataset(arts, tok, {**probs, "seed": 7}, seed=1)
    assert isinstance(data, AugmentedArticles) and data.seed == 7
    again = AugmentedArticles(arts, tok, probs, 7)
    assert rows(data) == rows(again)  # same seed, same epoch: the same articles
    first = [data.article(i).text for i in range(len(data))]
    state = TrainerState()
    state.epoch = 2.0
    callbacks[0].on_epoch_begin(None, state, None)
    assert data.epoch == 2
    assert [data.article(i).text for i in range(len(data))] != first  # drawn anew each epoch
    for i in range(len(data)):  # features are those of the augmented article
        art = data.article(i)
        assert art.text != arts[i].text
        assert parse_record(art.to_record())[1] == []
        assert data[i]["input_ids"] == encode_article(tok, art.text).input_ids
    state.epoch = 2.5  # resumed mid-epoch
    AugmentEpoch(data).on_epoch_begin(None, state, None)
    assert data.epoch == 2


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_transforms_keep_spans_on_the_corpus(name):
    """The project's own articles and generated ones."""
    from pathlib import Path
    from newsattrib.corpus import read_corpus
    root = Path(__file__).resolve().parents[1] / "data"
    from newsattrib.generator import generate
    for art in read_corpus(root / "train.jsonl") + read_corpus(root / "validation.jsonl") + generate(30, seed=3):
        new = FUNCTIONS[name](art, random.Random(art.id))
        check_spans(name, art, new)
        assert len(quotation_regions(new.text)) == len(quotation_regions(art.text))
