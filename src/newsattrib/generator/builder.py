"""Writing a template into an article: the builder records the offset of every entity and claim as
the text is concatenated, so spans never have to be searched for afterwards."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from ..corpus import Attribution, Entity
from ..schema import NEWS
from ..textunits import punctuation_inside_marks
from .cast import Cast, Named, Person, organization_pools
from .morphology import VOWELS, agree, inflect_phrase
from .quantities import number, quantity
from .tables import gazetteer, shared, templates


class Builder:
    """Concatenates an article's text while recording the offsets of its entities and claims."""

    def __init__(self, lang: str, quotes: tuple[str, str]):
        self.lang, self.quotes = lang, quotes
        self._parts: list[str] = []
        self.size = 0
        self.entities: list[Entity] = []
        self.attributions: list[Attribution] = []
        self.capitalize = False  # upper-case the next letter or digit written (sentence start)
        self.latest: dict[Person, str] = {}  # a speaker -> id of the latest mention of the name
        self.introduced: set[Person] = set()  # named in full already
        self.role_shown: set[Person] = set()
        self.last_person: Person | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def last_char(self) -> str:
        return next((c for part in reversed(self._parts) for c in reversed(part) if not c.isspace()), "")

    def put(self, s: str) -> None:
        if self.capitalize:
            i = next((i for i, c in enumerate(s) if c.isalnum()), None)
            if i is not None:
                s = s[:i] + s[i].upper() + s[i + 1:]
                self.capitalize = False
        self._parts.append(s)
        self.size += len(s)

    def entity(self, s: str, label: str) -> str:
        start = self.size
        self.put(s)
        eid = f"e{len(self.entities) + 1}"
        self.entities.append(Entity(eid, start, self.size, label))
        return eid

    def attribute(self, spans: list[tuple[int, int]], chain: list[str], quoted: bool) -> None:
        label = NEWS.chain_class(len(chain), quoted)
        text = self.text
        for start, end in spans:
            if quoted:  # the punctuation inside the closing mark belongs to the claim (ANNOTATION.md)
                end = punctuation_inside_marks(text, end)
            self.attributions.append(Attribution(f"a{len(self.attributions) + 1}", start, end, tuple(chain), label))


@dataclass
class Sentence:
    """The cast and the state of one template being filled."""
    rng: random.Random
    lang: str
    cast: Cast
    who: dict[str, object]  # P O A B X -> Person / Named
    ids: dict[str, str] = field(default_factory=dict)  # cast key -> entity id for the chain
    claims: list[tuple[int, int]] = field(default_factory=list)
    agree_with: dict[str, object] = field(default_factory=dict)  # "org"/"country" -> the last one
    in_quote: bool = False


SLOT = re.compile(r"\{([^{}]+)\}")


def fill(b: Builder, template: str, s: Sentence) -> None:
    pos = 0
    for m in SLOT.finditer(template):
        b.put(_quote_marks(template[pos:m.start()], b.quotes))
        _slot(b, m.group(1), s)
        pos = m.end()
    b.put(_quote_marks(template[pos:], b.quotes))


def _quote_marks(text: str, quotes: tuple[str, str]) -> str:
    return text.replace("«", quotes[0]).replace("»", quotes[1])


def _slot(b: Builder, slot: str, s: Sentence) -> None:
    if "@" in slot:
        word, key = slot.split("@")
        gender = _gender(s.agree_with[key] if key in s.agree_with else s.who[key], s.lang)
        if word == "age":
            b.put(gazetteer(s.lang)["age"][gender == "f"].format(s.rng.randint(19, 68)))
        else:
            b.put(agree(word, gender, s.lang))
        return
    head, *args = slot.split(":")
    key, _, attr = head.partition(".")
    if key in ("C", "Q", "Q2"):
        _claim(b, s, quoted=key != "C")
    elif key in ("P", "O", "A", "B", "X"):
        _source(b, s, key, attr, args[0] if args else "nom")
    else:
        SLOT_FILLERS[key](b, s, *args)


def _gender(who: object, lang: str) -> str:
    """The gender (m f n p) a verb agrees with: a Person, a Named or a country's gender itself."""
    if isinstance(who, str):
        return who
    return who.gender if isinstance(who, Person) else who.agreement(lang)


def _claim(b: Builder, s: Sentence, quoted: bool) -> None:
    start = b.size
    b.capitalize = b.capitalize or quoted
    inner = Sentence(s.rng, s.lang, s.cast, s.who, agree_with=s.agree_with, in_quote=quoted)
    content = s.rng.choice(templates(s.lang)["quotes"] if quoted else templates(s.lang)["claims"])
    fill(b, content, inner)
    if not quoted and s.rng.random() < 0.3:  # a compound claim: "..., and ..."
        b.put(gazetteer(s.lang)["claim_joiner"])
        fill(b, s.rng.choice([c for c in templates(s.lang)["claims"] if c != content]), inner)
    s.claims.append((start, b.size))


def _source(b: Builder, s: Sentence, key: str, attr: str, case: str) -> None:
    who = s.who[key]
    if isinstance(who, Named):
        if case == "in":
            _in(b, "".join(who.parts("loc", s.lang)), s.lang)
            case = "loc"
        s.ids[key] = _mention_named(b, who, case, s.lang)
        return
    if key == "X":  # a bystander: never tagged
        b.put(who.name(case))
        b.last_person = who
        return
    if attr in ("he", "his", "him"):
        b.put(gazetteer(s.lang)["referring_pronouns"][attr][who.gender == "f"])
        s.ids[key] = b.latest[who]
    elif attr == "role":
        b.put(_role_noun(s.cast.roles[who][0], s.lang))
        s.ids[key] = b.latest[who]
    else:
        s.ids[key] = _mention_person(b, s, who, case, surname_only=attr == "last")


def _mention_named(b: Builder, named: Named, case: str, lang: str, with_the: bool = True) -> str:
    before, span, after = named.parts(case, lang, with_the)
    b.put(before)
    eid = b.entity(span, named.label)
    b.put(after)
    return eid


def _mention_person(b: Builder, s: Sentence, person: Person, case: str, surname_only: bool) -> str:
    """Tag a SPEAKER mention: in full (with the role, mostly) the first time, then mostly by surname."""
    full = not surname_only and (person not in b.introduced or s.rng.random() < 0.15)
    if full and person not in b.introduced and person in s.cast.roles and s.rng.random() < 0.8:
        _role(b, s, person, case)
        b.put(" ")
        b.role_shown.add(person)
    eid = b.entity(person.name(case, full), "SPEAKER")
    if full:
        b.introduced.add(person)
    b.latest[person] = eid
    b.last_person = person
    return eid


def _role(b: Builder, s: Sentence, person: Person, case: str) -> None:
    """A role before a name ("Air Force spokesperson", "речника Повітряних сил"); its organization is an ORG."""
    role, org = s.cast.roles[person]
    before, _, after = role.partition("{org}")
    if s.lang != "en":
        before = inflect_phrase(before.strip(), case, s.lang) + (" " if org else "")
    b.put(before)
    if org:
        _mention_named(b, org, "nom" if s.lang == "en" else "gen", s.lang, with_the=False)
        b.put(after)


def _role_noun(role: str, lang: str) -> str:
    """The role noun that can stand for the person: "the spokesperson", "речник"."""
    if lang == "en":
        return "the " + role.split()[-1]
    return [w[:-1] for w in role.split() if w.endswith("*")][-1]


def _in(b: Builder, following: str, lang: str) -> None:
    """The preposition "in" before `following`: Russian в/во, Ukrainian у/в (в between vowels)."""
    w = following.lower()
    cluster = w.startswith(("льв", "мн")) or (w[:1] in "вф" and w[1:2] not in VOWELS)
    if lang == "ru":
        b.put("во " if cluster else "в ")
    elif w[:1] in VOWELS:
        b.put("в ")
    else:
        after_vowel = not b.capitalize and b.last_char() in VOWELS
        b.put("в " if after_vowel and not cluster and w[:1] not in "вф" else "у ")


# Fillers of the lowercase slots: (builder, sentence, *slot arguments) -> None


def _fill_org(b: Builder, s: Sentence, case: str = "nom") -> None:
    gaz = organization_pools(s.lang)
    org = s.rng.choice(gaz[s.rng.choice(shared()["quotable_pools"] if s.in_quote else shared()["source_pools"])])
    _mention_named(b, org, case, s.lang)
    s.agree_with["org"] = org


def _fill_program(b: Builder, s: Sentence, case: str = "nom") -> None:
    _mention_named(b, s.rng.choice(s.cast.programs), case, s.lang)


def _fill_city(b: Builder, s: Sentence, case: str = "nom") -> None:
    """A city in a case, or after "in", "from" or "to" (the preposition and the case it governs)."""
    city = s.rng.choice(gazetteer(s.lang)["cities"])
    if s.lang == "en":
        b.put({"in": "in ", "from": "from ", "to": "to "}.get(case, "") + city[0])
        return
    if case == "in":
        _in(b, city[4], s.lang)
        case = "loc"
    elif case == "from":
        b.put("из " if s.lang == "ru" else "зі " if city[1].startswith("Льв") else "з ")
        case = "gen"
    elif case == "to":
        if s.lang == "ru":
            _in(b, city[3], s.lang)
        else:
            b.put("до ")
        case = "acc" if s.lang == "ru" else "gen"
    b.put(city[("nom", "gen", "dat", "acc", "loc").index(case)])


def _fill_country(b: Builder, s: Sentence, case: str = "nom") -> None:
    country = s.rng.choice(gazetteer(s.lang)["countries"])
    if s.lang == "en":
        b.put(country[0])
        return
    b.put(country[("nom", "gen", "ins").index(case)])
    s.agree_with["country"] = country[3]


def _fill_direction(b: Builder, s: Sentence) -> None:
    b.put(s.rng.choice(gazetteer(s.lang)["directions"]))


def _fill_date(b: Builder, s: Sentence) -> None:
    rng, lang = s.rng, s.lang
    day, month, year = rng.randint(1, 28), rng.choice(gazetteer(lang)["months"]), rng.randint(2022, 2025)
    forms = {
        "en": [f"on {month} {day}", f"on {day} {month}", f"on the night of {month} {day}", f"on {month} {day}, {year}"],
        "uk": [f"{day} {month}", f"в ніч на {day} {month}", f"{day} {month} {year} року"],
        "ru": [f"{day} {month}", f"в ночь на {day} {month}", f"{day} {month} {year} года"],
    }[lang]
    b.put(rng.choice(forms + [rng.choice(gazetteer(lang)["weekdays"])]))


def _fill_duration(b: Builder, s: Sentence, case: str = "acc") -> None:
    if s.rng.random() < 0.5:
        fixed = s.rng.choice(gazetteer(s.lang)["durations"])
        b.put(fixed[0] if s.lang == "en" else fixed[("acc", "gen").index(case)])
    else:  # numbers ending in 5-0: the unit is a genitive plural in both cases
        unit, most = s.rng.choice(gazetteer(s.lang)["duration_units"])
        b.put(f"{number(s.rng, 5, most, 'many')} {unit}")


def _fill_time(b: Builder, s: Sentence) -> None:
    clock = f"{s.rng.randint(0, 23):02d}:{s.rng.choice(('00', '15', '30', '45'))}"
    b.put({"en": "at ", "uk": "о ", "ru": "в "}[s.lang] + clock)


def _fill_quantity(b: Builder, s: Sentence, kind: str, *options: str) -> None:
    span, tail = quantity(s.rng, s.lang, kind, any_form="any" in options, exact="exact" in options)
    b.entity(span, "QUANTITY")
    if tail:
        b.put(" " + tail)


SLOT_FILLERS = {"org": _fill_org, "prog": _fill_program, "city": _fill_city, "country": _fill_country,
                "dir": _fill_direction, "date": _fill_date, "dur": _fill_duration, "time": _fill_time,
                "n": _fill_quantity}
