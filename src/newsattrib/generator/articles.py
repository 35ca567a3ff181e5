"""Composing articles sentence by sentence from the templates, deterministically for a seed."""
from __future__ import annotations

import random
import re
from functools import lru_cache

from ..corpus import Article
from ..textunits import sentences
from .builder import SLOT, Builder, Sentence, fill
from .cast import Cast
from .tables import gazetteer, shared, templates

SOURCE = "newsattrib-generator"
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=None)
def _template_needs(template: str) -> tuple[frozenset, str]:
    """The cast keys a template uses, and "role"/"pronoun" when it refers back to P."""
    heads = {slot.split(":")[0] for slot in SLOT.findall(template)}
    keys = frozenset(h.split(".")[0] for h in heads if h[:1] in "POABX")
    back = "role" if "P.role" in heads else "pronoun" if heads & {"P.he", "P.his", "P.him"} else ""
    return keys, back


def _sentence(b: Builder, cast: Cast, rng: random.Random, kind: str) -> None:
    """Write one sentence pattern of `kind` (two sentences for split quotes and "This was stated by")."""
    eligible = []
    for template, chain in templates(b.lang)["sentences"][kind]:
        keys, back = _template_needs(template)
        if "X" in keys and cast.bystander is None:
            continue
        if back and not (b.last_person in cast.sources and b.last_person in b.introduced
                         and (back != "role" or b.last_person in b.role_shown)):
            continue
        eligible.append((template, chain, back))
    template, chain, back = rng.choice(eligible)
    outlet_a, outlet_b = rng.sample(cast.outlets, 2)
    s = Sentence(rng, b.lang, cast, {"P": b.last_person if back else rng.choice(cast.sources),
                                      "O": rng.choice(cast.bodies), "A": outlet_a, "B": outlet_b,
                                      "X": cast.bystander})
    b.capitalize = True
    fill(b, template, s)
    if s.claims:
        b.attribute(s.claims, [s.ids[k] for k in chain], quoted="{Q" in template)


def _compose(rng: random.Random, lang: str) -> Builder:
    cast = Cast.draw(rng, lang)
    b = Builder(lang, rng.choices(gazetteer(lang)["quote_marks"], weights=(4, 1))[0])
    if rng.random() < 0.25:
        _sentence(b, cast, rng, "HEADLINE")
        b.put("\n\n")
    target_sentences, target_words, kinds = rng.randint(3, 8), rng.randint(80, 160), list(shared()["kind_weights"])
    written = 0
    while written < 8 and (written < target_sentences or len(_WORD.findall(b.text)) < target_words):
        if written:
            b.put(rng.choice(("\n\n", " ", " ")))
        _sentence(b, cast, rng, rng.choices(kinds, weights=list(shared()["kind_weights"].values()))[0])
        written = len(sentences(b.text))
    return b


def _article(k: int, lang: str, seed: int) -> Article:
    rng = random.Random(f"{SOURCE}/{seed}/{lang}/{k}")
    while True:  # redraw the rare article that ends up too short or with too many sentences
        b = _compose(rng, lang)
        text = b.text
        if 80 <= len(_WORD.findall(text)) <= 300 and 3 <= len(sentences(text)) <= 8:
            return Article(f"gen-{lang}-{k:05d}", lang, text, b.entities, b.attributions,
                           {"source": SOURCE, "seed": seed})


def generate(n: int, seed: int = 13, langs: tuple[str, ...] = ("en", "uk", "ru")) -> list[Article]:
    """n synthetic training articles (spread evenly over langs), deterministic for a seed."""
    return [_article(k, langs[k % len(langs)], seed) for k in range(n)]
