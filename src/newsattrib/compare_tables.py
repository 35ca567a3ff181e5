"""The comparison as people read it (a Markdown table, grouped bar plots) and as programs read it (CSV, JSON).

Values come from ``evaluation``'s report of each checkpoint; differences and their intervals from the
paired bootstrap of ``compare``. Only the first checkpoint is the baseline, so every row reads
"this checkpoint against the first".
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np

from .compare import HEADLINE, slug
from .curves import plot_training_curves, pyplot, save_figure
from .evaluation import ALL, joint_score
from .fileio import atomic_write_text

NAMES = {"entity_f1": "entities F1", "claim_f1": "claims F1", "link_f1": "link F1", "chain_exact": "chain exact",
         "class_accuracy": "chain class acc.", "joint_score": "joint"}


def rows(types: dict[str, list[str]]) -> list[tuple[str, callable, str | None]]:
    """(row name, value from one language's report, bootstrap metric or None) for the detailed tables."""
    def f1(group, key):
        return lambda r, lang: r[group][lang][key]["f1"]

    out = [(t, f1("entities", t), f"entity_f1:{t}") for t in types["entities"]]
    out += [("entities micro", f1("entities", "micro"), "entity_f1"),
            ("entities macro", f1("entities", "macro"), None)]
    if "claims" in types:
        out += [(t, f1("claims", t), f"claim_f1:{t}") for t in types["claims"]]
        out += [("claims micro", f1("claims", "micro"), "claim_f1"), ("claims macro", f1("claims", "macro"), None),
                ("link F1", lambda r, lang: r["chains"][lang]["links"]["f1"], "link_f1"),
                ("chain exact", lambda r, lang: r["chains"][lang]["exact_match"], "chain_exact"),
                ("chain class acc.", lambda r, lang: r["chains"][lang]["class_accuracy"], "class_accuracy"),
                ("joint", joint, "joint_score")]
    return out


def joint(report: dict, lang: str) -> float:
    """``evaluation.headline``'s joint score, for any language."""
    return joint_score({"entity_f1": report["entities"][lang]["micro"]["f1"],
                        "claim_f1": report["claims"][lang]["micro"]["f1"],
                        "link_f1": report["chains"][lang]["links"]["f1"]})


def _cell(value: float, diff: dict | None) -> str:
    if diff is None:
        return f"{value:.3f}"
    text = f"{value:.3f} ({diff['diff']:+.3f} [{diff['lo']:+.3f}, {diff['hi']:+.3f}])"
    return f"**{text}**" if diff["excludes_zero"] else text


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in body]


def markdown(results: dict) -> str:
    labels = list(results["checkpoints"])
    first = labels[0]
    out = ["# Checkpoint comparison", "",
           *[f"- `{label}`: {folder}" for label, folder in results["checkpoints"].items()], "",
           "Strict IOB2 seqeval F1 on words; chain metrics on claims that match gold exactly. In brackets: the "
           f"difference to `{first}` and its 95% paired bootstrap interval over articles ({results['resamples']} "
           f"resamples, seed {results['seed']}); **bold** where the interval excludes 0.", ""]
    for name, s in results["sets"].items():
        reports, boot = s["reports"], s["bootstrap"]
        langs = sorted(k for k in reports[first]["articles"] if k != ALL)
        counts = ", ".join(f"{lang} {reports[first]['articles'][lang]}" for lang in langs)
        out += [f"## {name}: {s['file']} ({s['articles']} articles: {counts})", ""]
        heads = [m for m in HEADLINE if s["with_claims"] or m == "entity_f1"]
        body = []
        for label in labels:
            values = _values(reports[label], ALL, s["with_claims"])
            body.append([f"`{label}`"] + [_cell(values[m], boot[ALL].get(label, {}).get(m)) for m in heads])
        out += _table(["checkpoint"] + [NAMES[m] for m in heads], body) + [""]
        out += [f"Per type, all languages ({name}):", ""]
        out += _table(["type"] + [f"`{label}`" for label in labels],
                      [[row] + [_cell(get(reports[label], ALL), boot[ALL].get(label, {}).get(m) if m else None)
                                for label in labels] for row, get, m in rows(s["types"])]) + [""]
        out += [f"Per language ({name}):", ""]
        per_lang = [r for r in rows(s["types"]) if r[0] in ("entities micro", "claims micro", "link F1",
                                                                   "chain exact")]
        out += _table(["metric", "lang"] + [f"`{label}`" for label in labels],
                      [[row, lang] + [_cell(get(reports[label], lang), boot[lang].get(label, {}).get(m))
                                      for label in labels] for row, get, m in per_lang for lang in langs]) + [""]
    return "\n".join(out)


def _values(report: dict, lang: str, with_claims: bool) -> dict[str, float]:
    out = {"entity_f1": report["entities"][lang]["micro"]["f1"]}
    if with_claims:
        out.update(claim_f1=report["claims"][lang]["micro"]["f1"], link_f1=report["chains"][lang]["links"]["f1"],
                   chain_exact=report["chains"][lang]["exact_match"], joint_score=joint(report, lang))
    return out


def metric_rows(results: dict) -> list[dict]:
    """Every number of every report in long form: set, checkpoint, lang, group, name, metric, value."""
    out = []
    for set_name, s in results["sets"].items():
        for label, rep in s["reports"].items():
            def add(lang, group, name, metric, value):
                out.append({"set": set_name, "checkpoint": label, "lang": lang, "group": group, "name": name,
                            "metric": metric, "value": value})
            for lang in rep["entities"]:
                for group in ("entities", "claims"):
                    for name, prf in rep.get(group, {}).get(lang, {}).items():
                        for metric, value in prf.items():
                            add(lang, group, name, metric, value)
                if "chains" in rep:
                    ch = rep["chains"][lang]
                    for metric in ("matched_claims", "gold_claims", "class_accuracy", "exact_match"):
                        add(lang, "chains", "chain", metric, ch[metric])
                    for metric, value in ch["links"].items():
                        add(lang, "chains", "links", metric, value)
                for kind, per_lang in rep.get("breakdown", {}).items():
                    for typ, cats in per_lang.get(lang, {}).items():
                        for cat, n in cats.items():
                            add(lang, f"{kind}_errors", typ, cat, n)
    return out


def bootstrap_rows(results: dict) -> list[dict]:
    first = next(iter(results["checkpoints"]))
    return [{"set": set_name, "lang": lang, "checkpoint": label, "baseline": first, "metric": metric,
             "value": d["value"], "baseline_value": d["baseline"], "diff": d["diff"], "lo": d["lo"], "hi": d["hi"],
             "excludes_zero": d["excludes_zero"], "resamples": results["resamples"], "seed": results["seed"]}
            for set_name, s in results["sets"].items() for lang, per in s["bootstrap"].items()
            for label, ms in per.items() for metric, d in ms.items()]


def write_csv(path: Path, records: list[dict]) -> None:
    buf = io.StringIO()
    if records:
        w = csv.DictWriter(buf, fieldnames=list(records[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(records)
    atomic_write_text(path, buf.getvalue())


def grouped_bars(ax, groups: list[str], series: dict[str, list[float]], title: str) -> None:
    """One group of bars per ``groups`` entry, one bar per series (checkpoint) in each."""
    x = np.arange(len(groups))
    width = 0.8 / max(len(series), 1)
    for i, (label, values) in enumerate(series.items()):
        ax.bar(x + (i - (len(series) - 1) / 2) * width, values, width, label=label)
    ax.set_xticks(x, groups, rotation=20)
    ax.set_ylim(0, 1.15)  # room for the legend above the bars
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper center", ncol=min(len(series), 4), frameon=False)


def plot_set(name: str, s: dict, out: Path) -> list[Path]:
    """``<set>_types.png`` (F1 per type, all languages) and ``<set>_langs.png`` (F1 per language)."""
    plt = pyplot()
    reports = s["reports"]
    groups = list(s["types"].items())
    fig, axes = plt.subplots(1, len(groups), figsize=(6.5 * len(groups), 4), squeeze=False)
    for ax, (key, types) in zip(axes[0], groups):
        grouped_bars(ax, [*types, "micro"], {label: [r[key][ALL][t]["f1"] for t in (*types, "micro")]
                                             for label, r in reports.items()}, f"{name}: {key}, strict F1 per type")
    fig.tight_layout()
    paths = [save_figure(fig, out / f"{slug(name)}_types.png")]
    first = next(iter(reports.values()))
    langs = sorted(k for k in first["articles"] if k != ALL) + [ALL]
    metrics = [m for m in ("entity_f1", "claim_f1", "link_f1", "chain_exact") if s["with_claims"] or m == "entity_f1"]
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.8), squeeze=False)
    for ax, m in zip(axes[0], metrics):
        grouped_bars(ax, langs, {label: [_values(r, lang, s["with_claims"])[m] for lang in langs]
                                 for label, r in reports.items()}, f"{name}: {NAMES[m]} per language")
    fig.tight_layout()
    paths.append(save_figure(fig, out / f"{slug(name)}_langs.png"))
    return paths


def write_all(results: dict, out: Path, histories: dict[str, list[dict]]) -> dict[str, Path]:
    """comparison.md, comparison.csv, bootstrap.csv, comparison.json and plots/ under ``out``."""
    paths = {"markdown": out / "comparison.md", "csv": out / "comparison.csv", "bootstrap": out / "bootstrap.csv",
             "json": out / "comparison.json"}
    atomic_write_text(paths["markdown"], markdown(results))
    write_csv(paths["csv"], metric_rows(results))
    write_csv(paths["bootstrap"], bootstrap_rows(results))
    atomic_write_text(paths["json"], json.dumps(results, indent=1, ensure_ascii=False))
    for name, s in results["sets"].items():
        for p in plot_set(name, s, out / "plots"):
            paths[p.stem] = p
    if histories and (p := plot_training_curves(histories, out / "plots" / "training_curves.png")):
        paths["curves"] = p
    return paths
