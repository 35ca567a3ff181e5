#!/usr/bin/env python
"""Print the data card's table from corpus files: `python scripts/corpus_stats.py [FILE...]`."""
import argparse
import json
import sys
from pathlib import Path

from newsattrib.corpus import CorpusError, read_corpora
from newsattrib.errors import user_errors
from newsattrib.schema import read_schema
from newsattrib.stats import corpus_stats, format_stats

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", default=[str(ROOT / f"data/{s}.jsonl") for s in ("train", "validation", "test")])
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--schema", help="a label schema YAML (configs/schema/*.yaml); default: ANNOTATION.md's labels")
    args = ap.parse_args()
    with user_errors(plain=(CorpusError,)):  # the problems as they are, one a line
        schema = read_schema(args.schema)
        stats = corpus_stats(read_corpora(args.files, schema), schema)
    print(json.dumps(stats, indent=2) if args.json else format_stats(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
