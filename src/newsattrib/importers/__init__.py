"""Importers from other annotation formats to the corpus format of ANNOTATION.md.

One module per format (``conll``, ``brat``, ``labelstudio``), the shared span checks in ``spans`` and the
tag schemes in ``tags``; ``scripts/import_corpus.py`` is the command line.
"""
from __future__ import annotations

from pathlib import Path

from ..corpus import Article, CorpusError, parse_record
from ..schema import Schema


def read_conll_articles(paths: list[str | Path], schema: Schema, lang: str, **conll: object) -> list[Article]:
    """CoNLL/IOB files as validated articles, for training and evaluating on them directly (``data=conll``):
    entity types outside ``schema`` are dropped (NER-uk's 13 types to PERS/ORG/LOC/MISC), the rest checked
    like any corpus. ``conll`` holds ``ConllOptions`` fields."""
    from .conll import ConllOptions, read_conll
    from .spans import Options, Summary

    options = Options(lang=lang, keep_labels=frozenset(schema.entities))
    articles, problems = [], []
    for path in paths:
        for record in read_conll(path, options, ConllOptions(**conll), Summary()):
            article, found = parse_record(record, schema)
            problems += [f"{path}: article {record['id']}: {p}" for p in found]
            if article is not None:
                articles.append(article)
    if problems:
        raise CorpusError(problems)
    return articles
