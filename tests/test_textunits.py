"""Quotation regions in every style of ANNOTATION.md, over sentences and paragraphs."""
import pytest

from newsattrib.textunits import (QUOTE_CLOSERS, QUOTE_OPENERS, QUOTE_PAIRS, paragraphs, punctuation_inside_marks,
                                  quotation_regions, quote_claim_span, quote_claims, sentence_ids, sentences, words_of)


def claims(text):
    return [text[slice(*quote_claim_span(text, q))] for q in quotation_regions(text)]


@pytest.mark.parametrize("text, expected", [
    ('"We will hold the line," he said. "Q2 is here."', ["We will hold the line,", "Q2 is here."]),
    ("“It is over. We go home,” she said.", ["It is over. We go home,"]),
    ("«Мы выстоим», — сказал он.", ["Мы выстоим"]),
    ("Він сказав: „Ми переможемо“. Далі інше.", ["Ми переможемо"]),
    ("He said ‘we are ready’ and left. The boys’ bikes don’t work.", ["we are ready"]),
    ("«Він сказав „так“ і пішов», — каже Іван.", ["Він сказав „так“ і пішов"]),
    ("“Quote with ‘inner quote’ inside.” Next.", ["Quote with ‘inner quote’ inside."]),
    ('« Назва » і « довга цитата тут . » — заявив', ["Назва", "довга цитата тут ."]),
    ("п’ять «Армія дронів» програм", ["Армія дронів"]),
])
def test_quote_styles(text, expected):
    assert claims(text) == expected


def test_quote_over_paragraphs_repeat_and_omit_conventions():
    repeat = "“First paragraph. Still going.\n\n“Second paragraph,” she said. “Next.”"
    assert claims(repeat) == ["First paragraph. Still going.\n\n“Second paragraph,", "Next."]
    omit = "«Перший абзац.\n\nДругий абзац», — сказала вона."
    assert claims(omit) == ["Перший абзац.\n\nДругий абзац"]
    # the closing mark two paragraphs on, the middle paragraph without any mark (tokenised text too)
    longer = "« Перший абзац .\n\nДругий абзац без лапок .\n\nТретій абзац » , — сказала вона ."
    assert claims(longer) == ["Перший абзац .\n\nДругий абзац без лапок .\n\nТретій абзац"]
    new_quote = "«Відкрита і покинута.\n\nБез лапок.\n\n«Нова цитата», — сказала вона."
    assert claims(new_quote) == ["Нова цитата"]


def test_stray_mark_does_not_swallow_the_article():
    text = 'A stray " mark here.\n\nNext paragraph has "a real quote" in it.'
    assert claims(text) == ["a real quote"]


def test_dashed_cue_splits_a_quote_but_a_skipped_sentence_does_not():
    text = "«Перше речення. Друге речення, — сказав він. — Третє речення»."
    quote = quotation_regions(text)[0]
    first, second = text.index("Перше"), text.index("Третє")
    pieces = [(first, text.index(", — сказав")), (second, text.index("»"))]
    assert [text[s:e] for s, e in quote_claims(text, quote, pieces)] == \
        ["Перше речення. Друге речення,", "Третє речення"]
    english = '"One. Two. Three," he said.'
    quote = quotation_regions(english)[0]
    pieces = [(1, 5), (english.index("Three"), english.index("Three") + 5)]  # "Two." was left out
    assert [english[s:e] for s, e in quote_claims(english, quote, pieces)] == ["One. Two. Three,"]


def test_punctuation_inside_marks_and_paragraphs():
    text = '"We hold," he said. «Мы выстоим», — сказал он.'
    assert punctuation_inside_marks(text, text.index(",")) == text.index(",") + 1
    assert punctuation_inside_marks(text, text.index("»")) == text.index("»")
    assert paragraphs("One.\n\n  Two.\n\n\nThree.") == [(0, 4), (8, 12), (15, 21)]


QUOTE_STYLES = [('"', '"'), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ("‚", "‘"), ("‹", "›"), ("'", "'")]


@pytest.mark.parametrize("opener, closer", QUOTE_STYLES)
def test_mark_tables_and_sentences_in_every_quote_style(opener, closer):
    assert opener in QUOTE_OPENERS and closer in QUOTE_CLOSERS and closer in QUOTE_PAIRS[opener]
    # a quote ending its sentence: the closing mark stays with it, the next sentence starts after it
    text = f"He said: {opener}We will hold.{closer} Then he left. {opener}Next one.{closer} Done."
    assert [text[s:e] for s, e in sentences(text)] == [
        f"He said: {opener}We will hold.{closer}", "Then he left.", f"{opener}Next one.{closer}", "Done."]
    assert claims(text) == ["We will hold.", "Next one."]


def test_sentences_do_not_end_at_abbreviations_initials_numbers_or_lowercase():
    text = "Mr. Smith met J. Doe at 3.5 km. it went on! Вул. Шевченка закрита… «Так», — сказав він.\nНовий рядок"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Smith met J. Doe at 3.5 km. it went on!", "Вул. Шевченка закрита…", "«Так», — сказав він.",
        "Новий рядок"]
    assert sentences("  \n\n ") == []


def test_feature_sentence_ids_are_word_level():
    text = "He paid 3.5 dollars. «Так».\nNext"
    # every sentence-final word and line break starts a new sentence for the link features (coarser than
    # ``sentences``): He paid 3 . | 5 dollars . | « Так » . | Next
    assert sentence_ids(text, words_of(text)) == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3]


def test_language_files_are_complete_and_listed():
    """Every language folder is listed and holds the same tables as the others (a new language: copy one)."""
    from importlib.resources import files

    from newsattrib import resources
    folders = sorted(p.name for p in files(resources).iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert sorted(resources.languages()) == folders
    for name in ("lexicon", "templates"):
        keys = {lang: set(resources.load(name, lang)) for lang in folders}
        assert all(k == keys[folders[0]] for k in keys.values()), (name, keys)
    assert {"mr", "вул", "ул"} <= resources.abbreviations()
    joined = resources.lexicon("xx")  # a language without files gets every language's entries
    assert joined["pronouns"] == [p for lang in resources.languages() for p in resources.lexicon(lang)["pronouns"]]
