#!/usr/bin/env python
"""Authoring step: data/lite/**/*.json -> data/{train,validation,test}.jsonl (split by article).

Runs ../shared/tools/lite2jsonl.py (the authoring aid) on the lite files, then validates,
splits new articles 70/15/15 by language (committed ones keep their split) and refuses near-duplicates across splits. Not part of the main job.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from newsattrib.corpus import CorpusError, read_corpus, write_corpus
from newsattrib.errors import user_errors
from newsattrib.fileio import read_jsonl
from newsattrib.splits import near_duplicates, split_articles

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lite", default=ROOT / "data/lite", type=Path)
    ap.add_argument("--out", default=ROOT / "data", type=Path)
    ap.add_argument("--tool", default=ROOT.parent / "shared/tools/lite2jsonl.py", type=Path)
    ap.add_argument("--seed", default=13, type=int)
    args = ap.parse_args()
    files = sorted(str(p) for p in args.lite.glob("*/*.json"))
    with tempfile.TemporaryDirectory() as tmp:
        all_path = Path(tmp) / "all.jsonl"
        run = subprocess.run([sys.executable, str(args.tool), str(all_path), *files], capture_output=True, text=True)
        print(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr)
        if run.returncode:
            print(run.stdout, run.stderr, file=sys.stderr)
            return 2
        with user_errors(plain=(CorpusError,)):  # the problems as they are, one a line
            articles = read_corpus(all_path)
    # articles of the committed splits stay in them; new ones are split 70/15/15 by language
    with user_errors():
        assigned = {rec["id"]: name for name in ("train", "validation", "test")
                    if (args.out / f"{name}.jsonl").is_file() for _, rec in read_jsonl(args.out / f"{name}.jsonl")}
    splits = split_articles(articles, seed=args.seed, assigned=assigned)
    dups = near_duplicates(splits["validation"] + splits["test"], splits["train"])
    if dups:
        print("near-duplicates across splits:", dups, file=sys.stderr)
        return 2
    for name, part in splits.items():
        write_corpus(args.out / f"{name}.jsonl", part)
        print(f"{name}: {len(part)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
