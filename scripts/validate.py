#!/usr/bin/env python
"""Check corpus files against ANNOTATION.md: `python scripts/validate.py FILE...`.

Prints `FILE:LINE: article ID: what is wrong` for every problem; exit status 2 if any.
"""
import argparse
import sys

from newsattrib.corpus import CorpusError, read_corpora


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    try:
        articles = read_corpora(args.files)
    except CorpusError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"ok: {len(articles)} articles in {len(args.files)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
