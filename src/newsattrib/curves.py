"""Training curves from the Trainer's ``log_history``, and an atomic figure save used by every plot here.

A picture beside each run (``train_curves.png``) shows at a glance whether the loss still falls and which
epoch validation liked best, without starting TensorBoard.
"""
from __future__ import annotations

import os
from pathlib import Path

EVAL_KEYS = ("eval_entity_f1", "eval_claim_f1", "eval_link_f1", "eval_joint_score")
STYLES = ("-", "--", ":", "-.")


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path: str | os.PathLike, dpi: int = 110) -> Path:
    """Save through a temporary name and a rename, so a reader never sees half a PNG; close the figure."""
    path = Path(os.path.realpath(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        fig.savefig(tmp, dpi=dpi)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        pyplot().close(fig)
    return path


def plot_training_curves(histories: dict[str, list[dict]], path: str | os.PathLike) -> Path | None:
    """Training loss (each logging step) and validation scores (each evaluation) against epochs.

    One colour per run (per metric for a single run), one line style per validation metric. Returns None
    (and writes nothing) when the histories hold neither a loss nor a validation score."""
    series = {run: ([(h["epoch"], h["loss"]) for h in hist if "loss" in h and "epoch" in h],
                    {k: [(h["epoch"], h[k]) for h in hist if k in h and "epoch" in h] for k in EVAL_KEYS})
              for run, hist in histories.items()}
    if not any(loss or any(ev.values()) for loss, ev in series.values()):
        return None
    plt = pyplot()
    fig, (ax_loss, ax_eval) = plt.subplots(1, 2, figsize=(11, 4))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    several = len(series) > 1
    for i, (run, (loss, evals)) in enumerate(series.items()):
        colour = colours[i % len(colours)]
        if loss:
            ax_loss.plot(*zip(*loss), color=colour, label=run or "training loss")
        for j, (k, style) in enumerate(zip(EVAL_KEYS, STYLES)):
            if evals[k]:  # several runs: colour says the run, style the metric (legend below)
                ax_eval.plot(*zip(*evals[k]), style, marker="o", color=colour if several else colours[j],
                             label=None if several else k.removeprefix("eval_"))
    if several:
        for run, colour in zip(series, colours):
            ax_eval.plot([], [], color=colour, label=run)
        for k, style in zip(EVAL_KEYS, STYLES):
            ax_eval.plot([], [], style, color="grey", label=k.removeprefix("eval_"))
    ax_loss.set(xlabel="epoch", ylabel="loss", title="training loss")
    ax_eval.set(xlabel="epoch", ylabel="strict F1 / score", title="validation", ylim=(0, 1))
    for ax in (ax_loss, ax_eval):
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7)
    fig.tight_layout()
    return save_figure(fig, path)
