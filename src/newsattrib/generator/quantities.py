"""QUANTITY spans: counts, money and percentages whose nouns agree with their numbers."""
from __future__ import annotations

import random

from .tables import gazetteer, shared


def _plural_class(n: int) -> str:
    """Which noun form follows the number in Ukrainian and Russian: one (21), few (22) or many (25)."""
    if 11 <= n % 100 <= 14 or n % 10 in (0, 5, 6, 7, 8, 9):
        return "many"
    return "one" if n % 10 == 1 else "few"


def number(rng: random.Random, low: int, high: int, plural: str = "") -> int:
    """A number in [low, high] of the given plural class (any class when empty)."""
    while True:
        n = rng.randint(low, high)
        if not plural or _plural_class(n) == plural:
            return n


def _digits(rng: random.Random, n: int, lang: str) -> str:
    if lang == "en":
        return f"{n:,}"
    return f"{n:,}".replace(",", rng.choice((" ", ""))) if n >= 1000 else str(n)


def _form(forms: tuple, n: int) -> str:
    return forms[("one", "few", "many").index(_plural_class(n))]


def quantity(rng: random.Random, lang: str, kind: str, any_form: bool = False,
              exact: bool = False) -> tuple[str, str]:
    """A QUANTITY span and the words after it that are not part of it.

    Ukrainian and Russian numbers take the noun form of their last digits. The forms after numbers
    ending in 1 and 2-4 are those of the nominative/accusative, so they are only drawn where the
    template allows (`any_form`: an inanimate object or subject) and never after an approximator
    (понад/близько/более/около govern other cases); numbers ending in 5-0 take the genitive plural
    in every case. `exact`: no approximator, range or vague numeral.
    """
    if kind == "money":
        return _money(rng, lang, exact), ""
    if kind == "percent":
        return _percent(rng, lang, any_form, exact), ""
    gaz = gazetteer(lang)
    forms = gaz["counted"][kind]
    tail = forms[-1] if len(forms) in (2, 4) else ""
    small = kind in shared()["small_counts"]
    magnitude = rng.choice(shared()["magnitudes"][:2] if small else shared()["magnitudes"])
    vague = rng.choice(gaz["vague_numerals"][:2] if small else gaz["vague_numerals"])
    shape = rng.choice(("digits", "digits", "approx", "approx", "words", "vague", "range")
                       + (() if small else ("thousands",)))
    if exact and shape in ("approx", "vague", "range"):
        shape = "digits"
    if lang == "en":
        return _english_count(rng, shape, magnitude, vague, forms[0]), tail
    one, few, many = forms[:3]
    free = any_form and one is not None
    if shape in ("digits", "approx"):
        n = number(rng, *magnitude, "" if free and shape == "digits" else "many")
        approx = "" if shape == "digits" else rng.choice(gaz["approximators"]) + " "
        return f"{approx}{_digits(rng, n, lang)} {_form((one, few, many), n)}", tail
    if shape == "thousands":  # never 21, 31 ...: "тисяча" itself would need the accusative
        k = number(rng, 2, 90, "" if free else "many")
        while _plural_class(k) == "one":
            k = number(rng, 2, 90, "")
        return f"{k} {_form(gaz['thousand'], k)} {many}", tail
    if shape == "words":
        word, cls = rng.choice([w for w in gaz["number_words"] if free or w[1] == 5])
        return f"{word} {few if cls == 2 else many}", tail
    if shape == "vague":
        return f"{vague} {many}", tail
    low = number(rng, *magnitude)
    high = number(rng, low + 2, low + 60, "many")
    if rng.random() < 0.5:
        return f"{'від' if lang == 'uk' else 'от'} {low} до {high} {many}", tail
    return f"{low}–{high} {many}", tail


def _english_count(rng: random.Random, shape: str, magnitude: tuple[int, int], vague: str, noun: str) -> str:
    gaz = gazetteer("en")
    n = rng.randint(*magnitude)
    low, high = _digits(rng, n, "en"), _digits(rng, n + rng.randint(2, 50), "en")
    return {
        "digits": f"{low} {noun}",
        "approx": f"{rng.choice(gaz['approximators'])} {low} {noun}",
        "thousands": f"{rng.randint(2, 90)} thousand {noun}",
        "words": f"{rng.choice(gaz['number_words'])} {noun}",
        "vague": f"{vague} {noun}",
        "range": rng.choice((f"{low} to {high} {noun}", f"{low}–{high} {noun}", f"between {low} and {high} {noun}")),
    }[shape]


def _money(rng: random.Random, lang: str, exact: bool) -> str:
    gaz = gazetteer(lang)
    n, whole = rng.randint(2, 950), rng.randint(1, 9)
    fraction = f"{whole}{'.' if lang == 'en' else ','}{rng.randint(1, 9)}"
    approx = "" if exact or rng.random() < 0.5 else rng.choice(gaz["approximators"]) + " "
    if lang == "en":
        shape = rng.choice((f"${n} million", f"${fraction} billion", f"€{n} million",
                            f"€{rng.randint(2, 900) * 1000:,}", f"UAH {fraction} billion",
                            f"{n} million {rng.choice(gaz['currencies'])}"))
        return approx + shape
    currency = rng.choice(gaz["currencies"])
    millions = number(rng, 2, 950, "many" if approx else "")
    thousands = number(rng, 5, 950, "many")
    shape = rng.choice((f"{n} млн {currency}", f"{fraction} млрд {currency}", f"${n} млн", f"€{n} млн",
                        f"{millions} {_form(gaz['million'], millions)} {currency}",
                        f"{thousands} {gaz['thousand'][2]} {currency}"))
    return approx + shape


def _percent(rng: random.Random, lang: str, free: bool, exact: bool) -> str:
    gaz = gazetteer(lang)
    n = rng.randint(2, 95)
    approx = "" if exact or rng.random() < 0.5 else rng.choice(gaz["approximators"]) + " "
    if lang == "en":
        return approx + rng.choice((f"{n}%", f"{n} percent", f"{n}.{rng.randint(1, 9)}%"))
    words = number(rng, 2, 95, "" if free and not approx else "many")
    return approx + rng.choice((f"{n}%", f"{n},{rng.randint(1, 9)}%",
                                f"{words} {_form(gaz['percent'], words)}"))

