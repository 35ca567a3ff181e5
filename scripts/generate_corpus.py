#!/usr/bin/env python
"""Write synthetic training articles: `python scripts/generate_corpus.py --n 3000 --seed 13`.

The articles come from newsattrib.generator (annotations correct by construction) and are for the
training split only; the default output folder is git-ignored.
"""
import argparse
import sys
from pathlib import Path

from newsattrib.corpus import write_corpus
from newsattrib.generator import generate
from newsattrib.stats import corpus_stats, format_stats

ROOT = Path(__file__).resolve().parents[1]


def positive(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=positive, default=3000, help="articles, spread evenly over en, uk and ru")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=ROOT / "data/generated/generated.jsonl")
    args = ap.parse_args()
    articles = generate(args.n, seed=args.seed)
    write_corpus(args.out, articles)
    print(f"{len(articles)} articles (seed {args.seed}) -> {args.out}")
    print(format_stats(corpus_stats(articles)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
