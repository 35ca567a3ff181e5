#!/usr/bin/env python
"""Check corpus files against ANNOTATION.md: `python scripts/validate.py [--schema YAML] FILE...`.

Prints `FILE:LINE: article ID: what is wrong` for every problem; exit status 2 if any.
"""
import argparse
import sys

from newsattrib.corpus import CorpusError, read_corpora
from newsattrib.errors import user_errors
from newsattrib.schema import read_schema


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--schema", help="a label schema YAML (configs/schema/*.yaml); default: ANNOTATION.md's labels")
    args = ap.parse_args(argv)
    with user_errors(plain=(CorpusError,)):  # the problems as they are, one a line
        articles = read_corpora(args.files, read_schema(args.schema))
    print(f"ok: {len(articles)} articles in {len(args.files)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
