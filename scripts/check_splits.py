#!/usr/bin/env python
"""Check the committed splits: every file validates, ids are unique across them, and no validation
or test article near-duplicates a train article (word 5-gram Jaccard >= 0.5). Exit 2 on a problem."""
import sys
from pathlib import Path

from newsattrib.corpus import CorpusError, read_corpora, read_corpus
from newsattrib.errors import user_errors
from newsattrib.splits import MAX_JACCARD, near_duplicates

DATA = Path(__file__).resolve().parents[1] / "data"


def main() -> int:
    files = {s: DATA / f"{s}.jsonl" for s in ("train", "validation", "test")}
    with user_errors(plain=(CorpusError,)):  # the problems as they are, one a line
        read_corpora(files.values())
        splits = {s: read_corpus(f) for s, f in files.items()}
    dups = near_duplicates(splits["validation"] + splits["test"], splits["train"])
    for held, train, j in dups:
        print(f"{held} near-duplicates train article {train} (Jaccard {j:.2f} >= {MAX_JACCARD})", file=sys.stderr)
    if dups:
        return 2
    print("ok: " + ", ".join(f"{s} {len(a)}" for s, a in splits.items()) + "; no near-duplicates across splits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
