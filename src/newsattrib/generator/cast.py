"""Who can appear in an article: people, organizations and programs drawn from the gazetteers."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from .morphology import feminine_surname, first_name, inflect_phrase, ordinal, phrase_gender, surname
from .tables import gazetteer, shared


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    gender: str  # "m" or "f"
    lang: str

    def name(self, case: str = "nom", full: bool = True) -> str:
        if self.lang == "en":
            return f"{self.first} {self.last}" if full else self.last
        last = surname(self.last, self.gender, case, self.lang)
        return f"{first_name(self.first, self.gender, case, self.lang)} {last}" if full else last


@dataclass(frozen=True)
class Named:
    """An ORG or PROGRAM: the span's words (``*`` marks the ones that inflect) inside a frame of
    words around it (``{}`` stands for the span, e.g. ``видання* «{}»``), which inflects instead when
    it has marked words. Outlets (`bare_nom`) drop the frame's words in the nominative."""
    words: str
    label: str = "ORG"
    frame: str = "{}"
    gender: str = ""  # for names with no noun that inflects
    the: bool = False  # English: takes "the"
    number: int = 0  # the ordinal of a unit
    bare_nom: bool = False

    def parts(self, case: str, lang: str, with_the: bool = True) -> tuple[str, str, str]:
        """(words before the span, the span, words after it) in `case`."""
        frame = self.frame
        if lang == "en":
            before, after = frame.split("{}")
            return ("the " if self.the and with_the else "") + before, self.words.replace("{ord}", ordinal(
                self.number, "", case, lang)), after
        if self.bare_nom and case == "nom":
            frame = re.search(r"«?\{\}»?", frame).group(0)
            span = self.words
        elif "*" in frame:
            span, frame = self.words, inflect_phrase(frame, case, lang)
        else:
            span = inflect_phrase(self.words, case, lang, self.gender, self.number)
        before, after = frame.split("{}")
        return before, span, after

    def agreement(self, lang: str) -> str:
        """The gender (m f n p) a verb takes with this name as its subject."""
        if "*" in self.frame:
            return phrase_gender(self.frame, lang)
        return self.gender or phrase_gender(self.words, lang)


def named_entry(entry: str, label: str = "ORG", frame: str = "{}", number: int = 0, bare_nom: bool = False) -> Named:
    """A gazetteer entry (``NAME``, ``NAME|g`` with a gender, ``NAME|the``) as a Named."""
    words, _, mark = entry.partition("|")
    return Named(words, label, frame, "" if mark in ("", "the") else mark, mark == "the", number, bare_nom)


@lru_cache(maxsize=None)
def organization_pools(lang: str) -> dict[str, list[Named]]:
    """The organizations and programs of a language, by pool."""
    # (city adjective, oblast adjective, the city in outlet names); English uses the names
    gaz = gazetteer(lang)
    places = [(c[0], c[1], c[0]) if lang == "en" else (c[5], c[6], c[1]) for c in gaz["cities"]]
    words, pattern = gaz["local_outlets"]
    local = [pattern.format(word=w, city=c) for w in words for _, _, c in places]
    prefixes, suffixes = gaz["company_parts"]
    adjectives, nouns = gaz["program_parts"]
    programs = [(p, gaz["program_frames"]) for p in gaz["program_names"]]
    programs += [(f"{a} {n}", gaz["program_frames"]) for a in adjectives for n in nouns]
    programs += [(p, gaz["latin_program_frames"]) for p in shared()["latin_programs"]]
    return {
        "body": [named_entry(e) for e in gaz["bodies"]],
        "intl": [named_entry(e) for e in gaz["international"]],
        "unit": [named_entry(e, number=n) for e in gaz["units"] for n in shared()["unit_numbers"]],
        "admin": [named_entry(t.format(city=c, oblast=o)) for t in gaz["admins"] for c, o, _ in places],
        "company": [named_entry(p + s, frame=f) for p in prefixes for s in suffixes for f in gaz["company_frames"]],
        "ngo": [named_entry(n, frame=f) for n in gaz["ngos"] for f in gaz["ngo_frames"]],
        "outlet": [named_entry(n, frame=f, bare_nom=True) for n, f in gaz["outlets"]]
        + [named_entry(n, frame=f, bare_nom=True) for n in local for f in gaz["local_outlet_frames"]],
        "program": [named_entry(p, "PROGRAM", f) for p, frames in programs for f in frames],
    }


def _person(rng: random.Random, lang: str, gender: str, taken: set[str]) -> Person:
    last = rng.choice([s for s in gazetteer(lang)["surnames"] if s not in taken])
    taken.add(last)
    if gender == "f":
        last = feminine_surname(last, lang)
    return Person(rng.choice(gazetteer(lang)["first_names"][gender]), last, gender, lang)


@dataclass
class Cast:
    """Who appears in one article."""
    sources: list[Person]
    roles: dict[Person, tuple[str, Named | None]]
    bodies: list[Named]
    outlets: list[Named]
    bystander: Person | None  # mentioned only, never a source
    programs: list[Named]

    @classmethod
    def draw(cls, rng: random.Random, lang: str) -> "Cast":
        pools, taken = organization_pools(lang), set()
        sources = [_person(rng, lang, rng.choice("mf"), taken) for _ in range(rng.choice((1, 2, 2, 3)))]
        roles = {}
        for p in sources:
            if rng.random() < 0.7:
                masc, fem, pool = rng.choice(gazetteer(lang)["role_titles"])
                roles[p] = (fem if p.gender == "f" else masc, rng.choice(pools[pool]) if pool else None)
        bystander = _person(rng, lang, rng.choice("mf"), taken) if rng.random() < 0.5 else None
        return cls(sources, roles, [rng.choice(pools[rng.choice(shared()["source_pools"])]) for _ in range(2)],
                   rng.sample(pools["outlet"], 3), bystander, rng.sample(pools["program"], 2))

