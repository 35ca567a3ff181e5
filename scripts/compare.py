#!/usr/bin/env python
"""Compare checkpoints on the same articles: `python scripts/compare.py CKPT... --on SET.jsonl... -o OUT`.

CKPT is a model folder (outputs/.../model), a run folder holding model/, or a Hydra multirun folder whose
job folders hold model/ (each job is labelled by the overrides that vary across the sweep). Every checkpoint
is scored on every set; OUT gets comparison.md and comparison.csv (entity, claim and chain metrics per type
and language), bootstrap.csv (each metric's difference to the first checkpoint with a 95% paired bootstrap
interval over articles), plots/*.png, reports/SET/CKPT.html (the errors, article by article) and
predictions/ (a cache: running again with one more checkpoint predicts only that one).
"""
import argparse
import sys
from pathlib import Path

from newsattrib.errors import ArgumentParser, positive_int, user_errors


def main() -> None:
    ap = ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkpoints", nargs="+", metavar="CKPT",
                    help="model folders, run folders with model/, or multirun folders; the first is the baseline")
    ap.add_argument("--on", dest="sets", nargs="+", required=True, metavar="SET",
                    help="evaluation sets: corpus JSONL files with gold annotations")
    ap.add_argument("-o", "--output", default="outputs/compare", help="output folder (default: %(default)s)")
    ap.add_argument("--bootstrap", type=positive_int, default=1000, metavar="N",
                    help="bootstrap resamples of the articles (default: %(default)s)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the resamples (default: %(default)s)")
    ap.add_argument("--batch-size", type=positive_int, default=4, help="articles per forward pass (1 or more)")
    ap.add_argument("--device", default="auto", help="cpu, cuda, cuda:N, or auto: the GPU where there is one")
    ap.add_argument("--html", action=argparse.BooleanOptionalAction, default=True,
                    help="write the HTML error report of each checkpoint and set (default: yes)")
    args = ap.parse_args()
    with user_errors():
        from newsattrib.compare import compare, find_checkpoints, set_names

        ckpts = find_checkpoints(args.checkpoints)
        out = Path(args.output)
        results = compare(ckpts, set_names(args.sets), out, resamples=args.bootstrap, seed=args.seed,
                          batch_size=args.batch_size, device=args.device, html=args.html)
        print((out / "comparison.md").read_text(encoding="utf-8"))
        print(f"{len(ckpts)} checkpoints x {len(results['sets'])} sets compared; written to {out}/", file=sys.stderr)


if __name__ == "__main__":
    main()
