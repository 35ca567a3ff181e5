"""The language data shipped in the package, read once: rule lexicons, generator gazetteers and templates.

A language is a folder ``resources/LANG/`` and its code in ``languages.yaml``:

- ``lexicon.yaml``: the cue lexicons of ``newsattrib.rules`` and the abbreviations that do not end a
  sentence (``textunits.sentences``); enough for the rule baseline;
- ``gazetteers.yaml`` and ``templates.yaml``: names, places, numbers and sentence patterns of
  ``newsattrib.generator``, which also needs a pymorphy3 dictionary for a language that inflects
  like Ukrainian and Russian (English is written without inflection).

``generator.yaml`` holds the generator's tables that no language owns. Copy a language's files and
translate them; the keys and the shapes of the entries are documented in the files themselves.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml


@lru_cache(maxsize=None)
def load(name: str, lang: str = "") -> dict:
    """The tables of ``LANG/NAME.yaml`` (``NAME.yaml`` without a language)."""
    folder = files(__name__) / lang if lang else files(__name__)
    return yaml.safe_load((folder / f"{name}.yaml").read_text(encoding="utf-8"))


def languages() -> tuple[str, ...]:
    """The languages with data files, in the order their tables are joined."""
    return tuple(load("languages")["languages"])


@lru_cache(maxsize=None)
def lexicon(lang: str) -> dict[str, list[str]]:
    """The rule lexicons of ``lang``; a language without files gets all languages' entries together."""
    if lang in languages():
        return load("lexicon", lang)
    tables = [load("lexicon", code) for code in languages()]
    return {key: [entry for table in tables for entry in table[key]] for key in tables[0]}


@lru_cache(maxsize=None)
def abbreviations() -> frozenset[str]:
    """Abbreviations of every language (lowercase) after which a period does not end a sentence."""
    return frozenset(a for code in languages() for a in load("lexicon", code)["abbreviations"])
