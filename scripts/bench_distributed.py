#!/usr/bin/env python
"""One process against two (`accelerate launch --num_processes 2 --cpu`) on the same steps and
effective batch: samples/s, the ratio, and the mean training loss of each.

Writes benchmarks/distributed.json (distributed-quick.json with --quick: 4 steps).
`python scripts/bench_distributed.py [--steps 20] [--quick]`.
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

from newsattrib.benchmark import write

ROOT = Path(__file__).resolve().parents[1]


def run(launcher: list[str], out: Path, steps: int) -> dict:
    overrides = [f"hydra.run.dir={out}", "articles_per_step=2", "trainer.per_device_train_batch_size=1",
                 f"trainer.max_steps={steps}", "trainer.eval_strategy=no", "trainer.save_strategy=no",
                 "trainer.load_best_model_at_end=false", "eval_splits=[]", "trainer.disable_tqdm=true"]
    subprocess.run([*launcher, str(ROOT / "scripts/train.py"), *overrides], check=True, cwd=ROOT)
    m = json.loads((out / "train_metrics.json").read_text())["train"]
    return {"train_samples_per_second": m["train_samples_per_second"], "train_loss": m["train_loss"],
            "train_runtime_s": m["train_runtime"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--quick", action="store_true", help="4 steps, for development")
    args = ap.parse_args()
    args.steps = 4 if args.quick else args.steps
    base = ROOT / "outputs/bench/distributed"
    one = run([sys.executable], base / "one", args.steps)
    two = run([sys.executable, "-m", "accelerate.commands.launch", "--num_processes", "2", "--cpu"], base / "two",
              args.steps)
    result = {"steps": args.steps, "effective_batch_articles": 2, "one_process": one, "two_processes": two,
              "speedup": round(two["train_samples_per_second"] / one["train_samples_per_second"], 3)}
    path = write("distributed", result, args.quick)
    print(json.dumps(result, indent=2))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
