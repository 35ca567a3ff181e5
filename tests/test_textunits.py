"""Quotation regions in every style of ANNOTATION.md, over sentences and paragraphs."""
import pytest

from newsattrib.textunits import (paragraphs, punctuation_inside_marks, quotation_regions, quote_claim_span,
                                  quote_claims)


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
