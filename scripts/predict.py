#!/usr/bin/env python
"""Attributions and entities for new texts: `python scripts/predict.py MODEL_DIR FILE... -o OUT.jsonl`.

FILE is a `.jsonl` of records with `text` (and optional `id`, `lang`) or a plain-text file (one
article). OUT is JSONL in the corpus format, with a `score` on every entity and attribution.
"""
import argparse
import json
import sys

from newsattrib.errors import user_errors
from newsattrib.fileio import atomic_write_text
from newsattrib.pipeline import load, read_texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a model folder written by training (outputs/.../model)")
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--output", help="JSONL to write (default: standard output)")
    ap.add_argument("--lang", help="language of inputs that do not say (en, uk, ru, ...)")
    ap.add_argument("--batch-size", type=int, default=4)
    args = ap.parse_args()
    with user_errors():
        articles = [a for f in args.files for a in read_texts(f, args.lang)]
        pipe = load(args.model, args.batch_size)
        lines = [json.dumps(pipe.predict(a.text, a.lang, a.id), ensure_ascii=False) + "\n" for a in articles]
        if args.output:
            atomic_write_text(args.output, "".join(lines))
            print(f"{len(lines)} records written to {args.output}", file=sys.stderr)
        else:
            sys.stdout.write("".join(lines))


if __name__ == "__main__":
    main()
