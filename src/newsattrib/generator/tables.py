"""The generator's data files (``newsattrib/resources``): per-language gazetteers and templates, and the
tables no language owns. A language needs ``LANG/gazetteers.yaml`` and ``LANG/templates.yaml``."""
from __future__ import annotations

from ..resources import load


def gazetteer(lang: str) -> dict:
    return load("gazetteers", lang)


def templates(lang: str) -> dict:
    return load("templates", lang)


def shared() -> dict:
    return load("generator")
