"""Importers from other annotation formats to the corpus format of ANNOTATION.md.

One module per format (``conll``, ``brat``, ``labelstudio``), the shared span checks in ``spans`` and the
tag schemes in ``tags``; ``scripts/import_corpus.py`` is the command line.
"""
