"""What every ``scripts/bench_*.py`` records: the machine, its fp32 matmul limit, the model's FLOPs per
token, peak memory of a measured path, and the JSON result under ``benchmarks/`` with a short table.

Each measured path can run in a fresh process (``isolated``), so its peak RSS is its own.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import platform
import resource
import time
from pathlib import Path

import torch
import transformers

from .corpus import Article
from .schema import NEWS
from .evaluation import seqeval_scores
from .fileio import atomic_write_text
from .features import spans_to_tags, words_of

ROOT = Path(__file__).resolve().parents[2]
CPU_FLAGS = ("avx2", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile")


def machine() -> dict:
    """CPU model, cores, threads, library versions and the instruction-set flags that decide speed."""
    info = {"cpu": platform.processor() or platform.machine(), "logical_cores": os.cpu_count(),
            "torch_threads": torch.get_num_threads(), "torch": torch.__version__,
            "transformers": transformers.__version__, "python": platform.python_version(),
            "cpu_capability": torch.backends.cpu.get_cpu_capability()}
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        text = ""
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name":
            info["cpu"] = value.strip()
        elif key.strip() == "flags":
            present = set(value.split())
            info["flags"] = [f for f in CPU_FLAGS if f in present]
            break
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name()
    return info


def matmul_gflops(n: int = 2048, seconds: float = 2.0) -> float:
    """GFLOP/s of a large fp32 matmul on this process's threads: the ceiling a transformer can approach."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b  # warm-up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        count += 1
    return 2 * n ** 3 * count / (time.perf_counter() - start) / 1e9


def flops_per_token(encoder: torch.nn.Module, seq_len: int) -> float:
    """Forward FLOPs per token: 2 x the non-embedding parameters, plus attention scores and mixing
    (2 x 2 x seq_len x hidden per layer). Training (forward + backward) is about 3 times this."""
    params = sum(p.numel() for name, p in encoder.named_parameters() if "embeddings" not in name)
    cfg = encoder.config
    return 2 * params + 4 * cfg.num_hidden_layers * seq_len * cfg.hidden_size


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def isolated(fn, *args):
    """``fn(*args)`` in a fresh process (spawned, so no memory is shared with this one); its result."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)


def entity_f1(gold: list[Article], spans: dict[str, list[tuple[int, int, str]]]) -> float:
    """Strict seqeval micro F1 of predicted entity spans (by article id) on the gold articles' words, as
    ``newsattrib.evaluation`` scores them."""
    g, p = [], []
    for art in gold:
        words = words_of(art.text)
        g.append(spans_to_tags(words, [(e.start, e.end, e.label) for e in art.entities]))
        p.append(spans_to_tags(words, spans[art.id]))
    return seqeval_scores(g, p, NEWS.entities)["micro"]["f1"]


def table(rows: list[list]) -> str:
    """Rows (the first a header) as aligned columns."""
    cells = [[f"{c:,.1f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    return "\n".join("  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in enumerate(zip(r, widths)))
                     for r in cells)


def write(name: str, result: dict, quick: bool) -> Path:
    """``benchmarks/NAME.json`` (``NAME-quick.json`` for a development run) with the machine's description."""
    path = ROOT / "benchmarks" / f"{name}{'-quick' if quick else ''}.json"
    record = {"benchmark": name, "quick": quick, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "machine": machine(), **result}
    atomic_write_text(path, json.dumps(record, indent=2) + "\n")
    return path
