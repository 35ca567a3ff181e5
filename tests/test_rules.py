"""The cue-lexicon baseline: clear cases in three languages, and well-formed output on random text."""
from __future__ import annotations

import random

import pytest

from newsattrib.corpus import Article, span_problems, parse_record
from newsattrib.textunits import is_quoted
from newsattrib.rules import predict_rules

S, O = "SPEAKER", "ORG"


def attributions(lang: str, text: str, *names: tuple[str, str]) -> list[tuple[str, str, list[str]]]:
    """(label, claim text, chain as surface names) of the rules' output; the record must be well formed.

    Entities are placed by ``text.index``; a name given again is looked for after its previous place.
    """
    entities, after = [], {}
    for label, name in names:
        start = text.index(name, after.get(name, 0))
        after[name] = start + len(name)
        entities.append({"id": f"e{len(entities) + 1}", "start": start, "end": start + len(name), "label": label})
    record = predict_rules(Article(f"{lang}-test", lang, text), entities)
    assert parse_record(record)[1] == []
    assert record["entities"] == entities
    names_of = {e["id"]: text[e["start"]:e["end"]] for e in entities}
    return [(a["label"], text[a["claim"]["start"]:a["claim"]["end"]], [names_of[m] for m in a["chain"]])
            for a in record["attributions"]]


CASES = [
    # English
    ("en", '"We will not retreat from the city," Oleksandr Syrskyi said on Monday.', [(S, "Oleksandr Syrskyi")],
     [("DIRECT", "We will not retreat from the city,", ["Oleksandr Syrskyi"])]),
    ("en", "According to the General Staff, Russian forces lost 1,200 soldiers over the past day.",
     [(O, "General Staff")],
     [("INDIRECT", "Russian forces lost 1,200 soldiers over the past day", ["General Staff"])]),
    ("en", "Reuters reports, citing the Ministry of Defence, that the convoy reached Kharkiv.",
     [(O, "Reuters"), (O, "Ministry of Defence")],
     [("RELAYED", "the convoy reached Kharkiv", ["Reuters", "Ministry of Defence"])]),
    ("en", "Earlier it was reported that the bridge near Kherson was closed.", [],
     [("UNATTRIBUTED", "the bridge near Kherson was closed", [])]),
    ("en", "The bridge was reportedly closed after the strike.", [],
     [("UNATTRIBUTED", "The bridge was reportedly closed after the strike", [])]),
    ("en", "The strike damaged two buildings, sources said.", [],
     [("UNATTRIBUTED", "The strike damaged two buildings", [])]),
    ("en", 'Ihor Terekhov visited the damaged school. "The situation is difficult," he said. '
           '"But we are holding our positions."', [(S, "Ihor Terekhov")],
     [("DIRECT", "The situation is difficult,", ["Ihor Terekhov"]),
      ("DIRECT", "But we are holding our positions.", ["Ihor Terekhov"])]),
    ("en", "Exports rose by 15% in May, Taras Kachka told Reuters.", [(S, "Taras Kachka"), (O, "Reuters")],
     [("RELAYED", "Exports rose by 15% in May", ["Reuters", "Taras Kachka"])]),
    ("en", "Zelensky told the BBC that the counteroffensive had begun.", [(S, "Zelensky"), (O, "BBC")],
     [("RELAYED", "the counteroffensive had begun", ["BBC", "Zelensky"])]),
    ("en", "Olena Kovalenko said about 10 drones were shot down overnight. The weather was cold in Kyiv.",
     [(S, "Olena Kovalenko")], [("INDIRECT", "about 10 drones were shot down overnight", ["Olena Kovalenko"])]),
    ("en", "Ihor Klymenko visited Kharkiv. He said that the police had evacuated 300 residents.",
     [(S, "Ihor Klymenko")], [("INDIRECT", "the police had evacuated 300 residents", ["Ihor Klymenko"])]),
    ("en", "Two brigades were moved to the front. This was reported by Marta Hnatiuk, spokeswoman "
           "for the Border Guard Service, in an interview with Ukrinform.",
     [(S, "Marta Hnatiuk"), (O, "Border Guard Service"), (O, "Ukrinform")],
     [("RELAYED", "Two brigades were moved to the front", ["Ukrinform", "Marta Hnatiuk"])]),
    ("en", 'Hnatiuk, spokeswoman for the Border Guard Service, said: "The crossings stay open '
           'through the winter."', [(S, "Hnatiuk"), (O, "Border Guard Service")],
     [("DIRECT", "The crossings stay open through the winter.", ["Hnatiuk"])]),
    ("en", "Zelensky says Ukraine will need more air defence systems\nThe president spoke in Kyiv.",
     [(S, "Zelensky")], [("INDIRECT", "Ukraine will need more air defence systems", ["Zelensky"])]),
    ("en", "Ihor Klymenko visited Kharkiv. According to him, 300 residents were evacuated.", [(S, "Ihor Klymenko")],
     [("INDIRECT", "300 residents were evacuated", ["Ihor Klymenko"])]),
    ("en", "Kyiv Independent reported that the strike hit a school.", [(O, "Kyiv Independent")],
     [("INDIRECT", "the strike hit a school", ["Kyiv Independent"])]),
    ("en", "The talks will resume next week, according to Peskov.", [(S, "Peskov")],
     [("INDIRECT", "The talks will resume next week", ["Peskov"])]),
    ("en", 'The film "We Will Win Together" was shown in Kyiv. Nothing was said about it.', [], []),
    # Ukrainian
    ("uk", "«Ми не віддамо жодного метра нашої землі», — заявив Володимир Зеленський.",
     [(S, "Володимир Зеленський")],
     [("DIRECT", "Ми не віддамо жодного метра нашої землі", ["Володимир Зеленський"])]),
    ("uk", "За словами речника Повітряних сил Юрія Ігната, ворог запустив 40 дронів.",
     [(O, "Повітряних сил"), (S, "Юрія Ігната")], [("INDIRECT", "ворог запустив 40 дронів", ["Юрія Ігната"])]),
    ("uk", "Як повідомляє Укрінформ, Андрій Коваль заявив, що бригада утримує позиції. "
           "«Ситуація складна, але контрольована», — сказав він.", [(O, "Укрінформ"), (S, "Андрій Коваль")],
     [("RELAYED", "бригада утримує позиції", ["Укрінформ", "Андрій Коваль"]),
      ("DIRECT", "Ситуація складна, але контрольована", ["Андрій Коваль"])]),
    ("uk", "Сили оборони знищили 12 танків. Про це повідомляє Укрінформ з посиланням на Генштаб ЗСУ.",
     [(O, "Сили оборони"), (O, "Укрінформ"), (O, "Генштаб ЗСУ")],
     [("RELAYED", "Сили оборони знищили 12 танків", ["Укрінформ", "Генштаб ЗСУ"])]),
    ("uk", "Ворог втратив понад 300 військових, — заявив Андрій Коваль.", [(S, "Андрій Коваль")],
     [("INDIRECT", "Ворог втратив понад 300 військових", ["Андрій Коваль"])]),
    ("uk", "Зеленський розповів Укрінформу, що переговори тривають.", [(S, "Зеленський"), (O, "Укрінформу")],
     [("RELAYED", "переговори тривають", ["Укрінформу", "Зеленський"])]),
    ("uk", "«Ми отримали 50 нових танків», — сказав Коваль в інтерв'ю Укрінформу.", [(S, "Коваль"), (O, "Укрінформу")],
     [("RELAYED", "Ми отримали 50 нових танків", ["Укрінформу", "Коваль"])]),
    ("uk", "Ворог обстріляв Харків уночі, передає Суспільне.", [(O, "Суспільне")],
     [("INDIRECT", "Ворог обстріляв Харків уночі", ["Суспільне"])]),
    ("uk", "Повідомлялося, що міст було закрито.", [], [("UNATTRIBUTED", "міст було закрито", [])]),
    ("uk", "За інформацією ЗМІ, переговори перенесли на осінь.", [],
     [("UNATTRIBUTED", "переговори перенесли на осінь", [])]),
    ("uk", "Програма «Хочу жити» отримала понад 50 тисяч звернень від «Укрінформ».", [(O, "Укрінформ")], []),
    # Russian
    ("ru", "По словам Дмитрия Пескова, переговоры продолжатся на следующей неделе.", [(S, "Дмитрия Пескова")],
     [("INDIRECT", "переговоры продолжатся на следующей неделе", ["Дмитрия Пескова"])]),
    ("ru", "Иван Петров приехал в Киев. «Мы готовы к переговорам», — сказал он.", [(S, "Иван Петров")],
     [("DIRECT", "Мы готовы к переговорам", ["Иван Петров"])]),
    ("ru", "ТАСС сообщает со ссылкой на Минобороны, что колонна прибыла в город.",
     [(O, "ТАСС"), (O, "Минобороны")], [("RELAYED", "колонна прибыла в город", ["ТАСС", "Минобороны"])]),
    ("ru", "Как сообщает Интерфакс, Иван Петров заявил, что войска отошли.",
     [(O, "Интерфакс"), (S, "Иван Петров")], [("RELAYED", "войска отошли", ["Интерфакс", "Иван Петров"])]),
    ("ru", "Колонна прибыла в город. Об этом сообщил Иван Петров в интервью РБК.",
     [(S, "Иван Петров"), (O, "РБК")], [("RELAYED", "Колонна прибыла в город", ["РБК", "Иван Петров"])]),
    ("ru", "Войска отошли от города, сообщает Интерфакс.", [(O, "Интерфакс")],
     [("INDIRECT", "Войска отошли от города", ["Интерфакс"])]),
    ("ru", "Сообщалось, что мост был закрыт.", [], [("UNATTRIBUTED", "мост был закрыт", [])]),
    ("ru", "По данным СМИ, войска отошли от города.", [], [("UNATTRIBUTED", "войска отошли от города", [])]),
    # a language without lexicons of its own uses all of them
    ("xx", "According to Reuters, the talks stalled. «Мы готовы к переговорам», — сказал Петров.",
     [(O, "Reuters"), (S, "Петров")],
     [("INDIRECT", "the talks stalled", ["Reuters"]), ("DIRECT", "Мы готовы к переговорам", ["Петров"])]),
]


@pytest.mark.parametrize("lang, text, names, expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_clear_cases(lang, text, names, expected):
    assert attributions(lang, text, *names) == expected


def test_reads_only_text_and_predicted_entities():
    text = "Olena Kovalenko said that about 10 drones were shot down overnight."
    predicted = [{"id": "p1", "start": 0, "end": 15, "label": "SPEAKER", "score": 0.9}]
    gold, problems = parse_record({"id": "d", "lang": "en", "text": text, "entities": [
        {"id": "e1", "start": 6, "end": 15, "label": "ORG"}], "attributions": [
        {"id": "a1", "claim": {"start": 0, "end": 5}, "chain": ["e1"], "label": "INDIRECT"}]})
    assert problems == []
    record = predict_rules(gold, predicted)
    assert record == predict_rules(Article("d", "en", text), predicted)
    assert record["attributions"] == [{"id": "a1", "claim": {"start": 26, "end": 66}, "chain": ["p1"],
                                       "label": "INDIRECT"}]


PIECES = ["the", "army", "said", "says", "told", "added", "that", "according to", "reports", "citing",
          "reportedly", "it was reported that", "sources said", "in an interview with", "he", "minister",
          "This was reported by", "заявив", "сказав він", "що", "за словами", "за даними", "передає",
          "з посиланням на", "повідомлялося, що", "про це", "заявил", "сказал он", "что", "по словам",
          "со ссылкой на", "сообщалось, что", "об этом", "в интервью", "Kyiv", "Київ", "Киев", "Reuters",
          "Укрінформ", "ТАСС", "Okhrimenko", "Коваль", "1,200", "15%", "слова\u0301", "👩\u200d🚒", "é"]
MARKS = ['"', "“", "”", "„", "«", "»", ",", ".", "!", "?", ":", ";", "—", "–", "-", "…", "(", ")", "'",
         "\n", "\n\n", "\t", " ", "  "]


def random_record(rng: random.Random) -> tuple[Article, list[dict]]:
    """Words, cue phrases, quote marks of every kind and punctuation, with random well-formed entities."""
    parts = [rng.choice(PIECES) if rng.random() < 0.6 else rng.choice(MARKS) for _ in range(rng.randint(1, 60))]
    text = "".join(p + (" " if rng.random() < 0.7 else "") for p in parts).strip() or "x"
    entities, taken = [], 0
    for start in sorted(rng.sample(range(len(text)), min(len(text), rng.randint(0, 8)))):
        end = min(len(text), start + rng.randint(1, 15))
        if start >= taken and not span_problems(text, start, end, "entity"):
            label = rng.choice(["SPEAKER", "SPEAKER", "ORG", "ORG", "PROGRAM", "QUANTITY"])
            entities.append({"id": f"e{len(entities) + 1}", "start": start, "end": end, "label": label})
            taken = end
    return Article(f"r{rng.random()}", rng.choice(["en", "uk", "ru", "de"]), text), entities


def test_random_texts_give_well_formed_records():
    rng = random.Random(13)
    labels = set()
    for _ in range(200):
        article, entities = random_record(rng)
        record = predict_rules(article, entities)
        assert parse_record(record)[1] == [], (article.text, entities, record["attributions"])
        for a in record["attributions"]:
            labels.add(a["label"])
            if a["label"] == "DIRECT":
                assert is_quoted(article.text, a["claim"]["start"], a["claim"]["end"])
    assert labels == {"DIRECT", "INDIRECT", "RELAYED", "UNATTRIBUTED"}  # the generator reaches every rule
