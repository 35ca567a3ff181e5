"""Ukrainian and Russian word forms from pymorphy3: cases, agreement, ordinals and surnames."""
from __future__ import annotations

from functools import lru_cache

import pymorphy3

from .tables import gazetteer

_CASES = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}
_GRAMMEME = {"m": "masc", "f": "femn", "n": "neut", "p": "plur"}
VOWELS = "аеєиіїоуюяёыэ"


@lru_cache(maxsize=None)
def morph(lang: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="uk") if lang == "uk" else pymorphy3.MorphAnalyzer()


def _restore(form: str, model: str) -> str:
    """Give a pymorphy3 form (lowercase, perhaps with ё) the letter case of the word it came from."""
    if "ё" not in model.lower():
        form = form.replace("ё", "е")
    if len(model) > 1 and model.isupper():
        return form.upper()
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


def _parse(word: str, lang: str, pos: tuple[str, ...], grammemes: frozenset = frozenset(),
           names: bool = False):
    """The first nominative reading of `word` (the Ukrainian dictionary leaves the case out of some
    nominatives) with a part of speech in `pos` and all `grammemes`, singular where there is one;
    person names only when `names`."""
    readings = [p for p in morph(lang).parse(word.lower())
                if p.tag.POS in pos and p.tag.case in ("nomn", None) and grammemes <= p.tag.grammemes
                and (names or not {"Name", "Surn", "Patr"} & p.tag.grammemes)]
    readings.sort(key=lambda p: "plur" in p.tag)
    if not readings:
        raise ValueError(f"pymorphy3 has no {'/'.join(pos)} reading of {word!r} ({lang})")
    return readings[0]


def _inflect(parse, case: str, lang: str, model: str) -> str:
    tags = {_CASES[case]}
    if lang == "uk" and case == "loc" and parse.tag.POS in ("ADJF", "PRTF") and "plur" not in parse.tag:
        tags = {"datv"}  # pymorphy3 gives the rare -ім; the standard locative equals the dative (-ому, -ій)
    form = parse.inflect(tags)
    if form is None:
        raise ValueError(f"pymorphy3 cannot put {model!r} into {case} ({lang})")
    return _restore(form.word, model)


def _gender_of(parse) -> str:
    if "plur" in parse.tag:
        return "p"
    if "ms-f" in parse.tag.grammemes:  # common gender (глава)
        return "m"
    return {"masc": "m", "femn": "f", "neut": "n"}[parse.tag.gender]


@lru_cache(maxsize=None)
def inflect_phrase(phrase: str, case: str, lang: str, gender: str = "", number: int = 0) -> str:
    """Put the words of `phrase` marked with * into `case`: the last marked word is the head noun and
    the marked words before it agree with it (with `gender` instead when the phrase has no head noun
    that inflects, e.g. "Харківська* ОВА"); "{ord}" becomes the ordinal of `number`."""
    words = phrase.split(" ")
    marked = [i for i, w in enumerate(words) if w.endswith("*")]
    head = None
    if not gender:
        head = _parse(words[marked[-1]][:-1], lang, ("NOUN",))
        gender = _gender_of(head)
    animate = head is not None and "anim" in head.tag
    if case == "acc" and not animate and gender != "f":
        case = "nom"  # inanimate accusative equals the nominative except for feminine singulars
    agree = frozenset({_GRAMMEME[gender]})
    out = []
    for i, w in enumerate(words):
        if w == "{ord}":
            out.append(ordinal(number, gender, case, lang))
        elif not w.endswith("*"):
            out.append(w)
        elif case == "nom":
            out.append(w[:-1])
        elif head is not None and i == marked[-1]:
            out.append(_inflect(head, case, lang, w[:-1]))
        else:  # an adjective; with an animate masculine noun the accusative is the genitive
            adjective_case = "gen" if case == "acc" and animate and gender == "m" else case
            out.append(_inflect(_parse(w[:-1], lang, ("ADJF", "PRTF"), agree), adjective_case, lang, w[:-1]))
    return " ".join(out)


@lru_cache(maxsize=None)
def phrase_gender(phrase: str, lang: str) -> str:
    marked = [w[:-1] for w in phrase.split(" ") if w.endswith("*")]
    return _gender_of(_parse(marked[-1], lang, ("NOUN",)))


def ordinal(n: int, gender: str, case: str, lang: str) -> str:
    """A unit's ordinal in digits with the ending the case needs: 47th, 47-ма/47-ї, 47-я/47-й."""
    if lang == "en":
        return f"{n}{'th' if n % 100 in (11, 12, 13) else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
    if gender != "f":
        ending = {"nom": "й", "acc": "й", "gen": "го", "dat": "му", "ins": "м",
                  "loc": "му" if lang == "uk" else "м"}[case]
    elif lang == "ru":
        ending = {"nom": "я", "acc": "ю"}.get(case, "й")
    elif case in ("nom", "acc"):
        # the last two letters of the word: перша, друга, третя, сьома, восьма, сорокова, п'ята ...
        if 10 <= n % 100 < 20:
            ending = "та"
        elif n % 10 == 0:
            ending = "ва" if n % 100 == 40 else "та"
        else:
            ending = {1: "ша", 2: "га", 3: "тя", 7: "ма", 8: "ма"}.get(n % 10, "та")
        if case == "acc":
            ending = ending[0] + {"а": "у", "я": "ю"}[ending[1]]
    else:
        ending = {"gen": "ї", "dat": "й", "ins": "ю", "loc": "й"}[case]
    return f"{n}-{ending}"


@lru_cache(maxsize=None)
def agree(verb: str, gender: str, lang: str) -> str:
    """`verb` (masculine past, or third person singular) in the form that agrees with `gender`."""
    readings = [p for p in morph(lang).parse(verb) if p.tag.POS == "VERB" and ("past" in p.tag or "3per" in p.tag)]
    if not readings:
        raise ValueError(f"pymorphy3 has no finite reading of {verb!r} ({lang})")
    parse = readings[0]
    if gender == "p":
        form = parse.inflect({"plur"})
    elif "past" in parse.tag:
        form = parse.inflect({_GRAMMEME[gender]})
    else:
        return verb
    if form is None:
        raise ValueError(f"pymorphy3 cannot make {verb!r} agree with {gender} ({lang})")
    return form.word


def feminine_surname(last: str, lang: str) -> str:
    if lang == "uk":
        for masc, fem in (("ський", "ська"), ("цький", "цька"), ("ний", "на")):
            if last.endswith(masc):
                return last[:-len(masc)] + fem
    if lang == "ru":
        if last.endswith("ский"):
            return last[:-4] + "ская"
        if last.endswith(("ов", "ев", "ин", "ын")):
            return last + "а"
    return last


@lru_cache(maxsize=None)
def surname(last: str, gender: str, case: str, lang: str) -> str:
    """A surname in a case: pymorphy3 where it knows the surname for this gender (it declines Ukrainian
    men's -енко/-ко surnames and keeps women's indeclinable), else the rules: women's surnames that do
    not end in -а/-я and Russian -ко/-их/-ых surnames are indeclinable, men's surnames in a hard
    consonant decline like nouns."""
    if case == "nom":
        return last
    try:
        return _inflect(_parse(last, lang, ("NOUN",), frozenset({"Surn", _GRAMMEME[gender]}), names=True),
                        case, lang, last)
    except ValueError:
        pass
    if (gender == "f" and last[-1] not in "ая") or (lang == "ru" and last.endswith(("ко", "их", "ых"))):
        return last
    if gender == "m" and lang == "ru" and last[-1] in "бвдзклмнпрстфх":
        return last + gazetteer(lang)["hard_surname_endings"][case]
    raise ValueError(f"no declension known for the surname {last!r} ({lang}, {gender})")


@lru_cache(maxsize=None)
def first_name(first: str, gender: str, case: str, lang: str) -> str:
    if case == "nom":
        return first
    return _inflect(_parse(first, lang, ("NOUN",), frozenset({"Name", _GRAMMEME[gender]}), names=True),
                    case, lang, first)

