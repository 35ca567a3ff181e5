"""Comparing checkpoints on the same articles: which folders to compare, cached predictions, and a
paired bootstrap over articles that says whether a difference is larger than the test set's noise.

Each article is reduced to counts (true positives, predicted and gold spans per type; matched claims,
exact chains, links), the same counts the strict seqeval scores of ``evaluation`` are made of, so a
resample of articles is scored by summing rows instead of running seqeval a thousand times.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from . import breakdown as bd
from .corpus import Article, read_corpus
from .errors import Interrupted, NewsAttribError
from .evaluation import ALL, chain_counts, evaluate, joint_score
from .fileio import CONFIG_NAME, atomic_write_text, read_jsonl, read_model_folder
from .schema import Schema
from .features import words_of

HEADLINE = ("entity_f1", "claim_f1", "link_f1", "chain_exact", "joint_score")
CHAIN_STATS = ("matched", "exact", "class_correct", "link_tp", "link_pred", "link_gold")


@dataclass(frozen=True)
class Checkpoint:
    label: str
    model: Path  # the model folder
    run: Path | None = None  # its training run folder, when it has one (for train_metrics.json)


def find_checkpoints(paths: list[str]) -> list[Checkpoint]:
    """Model folders from what a user gives: a model folder, a run folder holding ``model/``, or a Hydra
    multirun folder whose job folders each hold ``model/`` (labelled by the overrides that vary)."""
    found: list[Checkpoint] = []
    for given in paths:
        p = Path(given)
        if not p.exists():
            raise NewsAttribError(f"{given}: no such model, run or multirun folder")
        if (p / CONFIG_NAME).is_file():
            run = p.parent if p.name == "model" else None
            found.append(Checkpoint(_short(p), p, run))
        elif (p / "model" / CONFIG_NAME).is_file():
            found.append(Checkpoint(p.resolve().name, p / "model", p))
        elif p.is_dir() and (jobs := _sweep_jobs(p)):
            found += jobs
        else:
            raise NewsAttribError(f"{given}: not a model folder ({CONFIG_NAME}), a run folder with model/, "
                                  "or a multirun folder whose job folders hold model/")
    return _unique_labels(found)


def _short(model: Path) -> str:
    """RUN for RUN/model, RUN/checkpoint-N for a Trainer checkpoint, else the folder's name."""
    model = model.resolve()
    if model.name == "model":
        return model.parent.name
    if model.parent.name == "checkpoints":
        return f"{model.parent.parent.name}/{model.name}"
    return model.name


def _sweep_jobs(folder: Path) -> list[Checkpoint]:
    jobs = sorted((d for d in folder.iterdir() if (d / "model" / CONFIG_NAME).is_file()),
                  key=lambda d: (not d.name.isdigit(), int(d.name) if d.name.isdigit() else 0, d.name))
    overrides = {d: _overrides(d) for d in jobs}
    varying = {k for o in overrides.values() for k, v in o.items()
               if any(other.get(k) != v for other in overrides.values())}
    out = []
    for d in jobs:
        shown = " ".join(f"{k.split('.')[-1]}={v}" for k, v in overrides[d].items() if k in varying)
        out.append(Checkpoint(shown or f"{folder.name}/{d.name}", d / "model", d))
    return out


def _overrides(job: Path) -> dict[str, str]:
    """``key=value`` overrides of a Hydra job (``.hydra/overrides.yaml``), or none if unreadable."""
    path = job / ".hydra" / "overrides.yaml"
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        return dict(str(o).split("=", 1) for o in items if "=" in str(o))
    except (OSError, ValueError, TypeError, yaml.YAMLError):
        return {}


def _unique_labels(ckpts: list[Checkpoint]) -> list[Checkpoint]:
    seen = Counter(c.label for c in ckpts)
    out, used = [], set()
    for c in ckpts:
        label = c.label if seen[c.label] == 1 else f"{c.model.resolve().parent.parent.name}/{c.label}"
        base, k = label, 2
        while label in used:
            label, k = f"{base}-{k}", k + 1
        used.add(label)
        out.append(Checkpoint(label, c.model, c.run))
    return out


def set_names(paths: list[str]) -> dict[str, Path]:
    """A distinct name per evaluation set: its stem, else folder-stem, else stem-N."""
    names: dict[str, Path] = {}
    for given in paths:
        p = Path(given)
        name = next((n for n in (p.stem, f"{p.resolve().parent.name}-{p.stem}") if n not in names), None)
        k = 2
        while name is None:
            name = f"{p.stem}-{k}" if f"{p.stem}-{k}" not in names else None
            k += 1
        names[name] = p
    return names


def slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text).strip("_") or "x"


# ---- predictions, cached per checkpoint and set ----

def prediction_key(model: Path, set_file: Path) -> str:
    """What the predictions depend on: the model folder's files (name, size, time) and the set's bytes."""
    h = hashlib.sha256(b"newsattrib-compare-1\0")
    for p in sorted(model.iterdir()):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    h.update(hashlib.sha256(set_file.read_bytes()).digest())
    return h.hexdigest()[:20]


def cache_path(cache: Path, key: str, label: str, set_name: str) -> Path:
    """The cached records of a key (found by the key, whatever the label was when they were written)."""
    old = sorted(cache.glob(f"*.{key}.jsonl")) if cache.is_dir() else []
    return old[0] if old else cache / f"{slug(label)}.{slug(set_name)}.{key}.jsonl"


def read_cached(path: Path, gold: list[Article]) -> list[dict] | None:
    """Cached records, if the file holds one well-formed record per gold article, in order."""
    try:
        records = [rec for _, rec in read_jsonl(path)]
    except (OSError, NewsAttribError):
        return None
    ok = len(records) == len(gold) and all(
        isinstance(r, dict) and r.get("id") == a.id and r.get("text") == a.text
        and isinstance(r.get("entities"), list) and isinstance(r.get("attributions"), list)
        for r, a in zip(records, gold))
    return records if ok else None


def write_cached(path: Path, records: list[dict]) -> None:
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# ---- per-article counts and the metrics made of them ----

def stat_names(types: dict[str, list[str]]) -> list[str]:
    """Count names for the entity types (and claim classes, when ``types`` has ``claims``) scored."""
    with_claims = "claims" in types
    groups = [("ent", types["entities"])] + ([("claim", types["claims"])] if with_claims else [])
    names = [f"{g}:{t}:{k}" for g, group_types in groups for t in group_types for k in ("tp", "pred", "gold")]
    return names + ([f"chain:{k}" for k in CHAIN_STATS] if with_claims else [])


def _span_counts(words, gold_spans, pred_spans, prefix: str) -> Counter:
    g = bd.word_spans(words, gold_spans)
    p = bd.word_spans(words, pred_spans)
    c = Counter()
    gold_set = set(g)
    for s in g:
        c[f"{prefix}:{s[2]}:gold"] += 1
    for s in p:
        c[f"{prefix}:{s[2]}:pred"] += 1
        c[f"{prefix}:{s[2]}:tp"] += s in gold_set
    return c


def article_stats(gold: Article, pred: dict, types: dict[str, list[str]]) -> np.ndarray:
    """One article's counts, in ``stat_names`` order."""
    words = words_of(gold.text)
    c = _span_counts(words, [(e.start, e.end, e.label) for e in gold.entities],
                     [(e["start"], e["end"], e["label"]) for e in pred["entities"]], "ent")
    if "claims" in types:
        c += _span_counts(words, [(a.start, a.end, a.label) for a in gold.attributions],
                          [(a["claim"]["start"], a["claim"]["end"], a["label"]) for a in pred["attributions"]],
                          "claim")
        c.update({f"chain:{k}": v for k, v in chain_counts(gold, pred).items()})
    return np.array([c[n] for n in stat_names(types)], dtype=np.int64)


def _ratio(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.divide(a, b, out=np.zeros(np.broadcast(a, b).shape), where=b > 0)


def metrics(sums: np.ndarray, types: dict[str, list[str]]) -> dict[str, np.ndarray]:
    """Metrics from summed counts (``[..., n_stats]``): micro F1 = 2 tp / (pred + gold), as seqeval's."""
    col = {n: sums[..., i] for i, n in enumerate(stat_names(types))}

    def f1(prefix, types):
        tp, pred, gold = (sum(col[f"{prefix}:{t}:{k}"] for t in types) for k in ("tp", "pred", "gold"))
        return _ratio(2 * tp, pred + gold)

    out = {"entity_f1": f1("ent", types["entities"])}
    out.update({f"entity_f1:{t}": f1("ent", (t,)) for t in types["entities"]})
    if "claims" in types:
        out["claim_f1"] = f1("claim", types["claims"])
        out.update({f"claim_f1:{t}": f1("claim", (t,)) for t in types["claims"]})
        out["link_f1"] = _ratio(2 * col["chain:link_tp"], col["chain:link_pred"] + col["chain:link_gold"])
        out["chain_exact"] = _ratio(col["chain:exact"], col["chain:matched"])
        out["class_accuracy"] = _ratio(col["chain:class_correct"], col["chain:matched"])
        out["joint_score"] = joint_score(out)
    return out


def paired_bootstrap(stats: list[np.ndarray], types: dict[str, list[str]], resamples: int = 1000, seed: int = 0,
                     level: float = 0.95) -> list[dict[str, dict]]:
    """For each system after the first, each metric's difference to the first system and its percentile
    interval over resamples of articles; the same resamples for every system (paired).

    ``stats[k]`` is system k's ``[n_articles, n_stats]`` counts, rows in the same article order."""
    n = stats[0].shape[0]
    if any(s.shape != stats[0].shape for s in stats):
        raise ValueError("every system needs counts of the same articles")
    rng = np.random.default_rng(seed)
    weights = np.zeros((resamples, n))
    if n:
        idx = rng.integers(0, n, size=(resamples, n))
        np.add.at(weights, (np.arange(resamples)[:, None], idx), 1)
    full = [metrics(s.sum(0), types) for s in stats]
    boot = [metrics(weights @ s, types) for s in stats]
    tail = (1 - level) / 2 * 100
    out = []
    for k in range(1, len(stats)):
        row = {}
        for m in full[0]:
            diffs = boot[k][m] - boot[0][m]
            lo, hi = np.percentile(diffs, [tail, 100 - tail]) if n else (0.0, 0.0)
            row[m] = {"value": float(full[k][m]), "baseline": float(full[0][m]),
                      "diff": float(full[k][m] - full[0][m]), "lo": float(lo), "hi": float(hi),
                      "excludes_zero": bool(n > 1 and (lo > 0 or hi < 0))}  # one article: no spread to judge
        out.append(row)
    return out


def bootstrap_by_language(gold: list[Article], stats: list[np.ndarray], types: dict[str, list[str]],
                          resamples: int, seed: int) -> dict[str, list[dict]]:
    """``paired_bootstrap`` over all articles and over each language's articles."""
    langs = sorted({a.lang for a in gold})
    out = {ALL: paired_bootstrap(stats, types, resamples, seed)}
    for lang in langs:
        mask = np.array([a.lang == lang for a in gold])
        out[lang] = paired_bootstrap([s[mask] for s in stats], types, resamples, seed)
    return out


def training_history(ckpt: Checkpoint) -> list[dict] | None:
    """The Trainer's ``log_history`` of the run a checkpoint comes from, if its folder has one."""
    path = ckpt.run / "train_metrics.json" if ckpt.run else None
    try:
        return json.loads(path.read_text(encoding="utf-8"))["log_history"] if path else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def check_output_folder(out: Path, ckpts: list[Checkpoint], sets: dict[str, Path]) -> None:
    """Refuse an output folder that is a file, or lies inside a model folder, before any work."""
    target = Path(os.path.realpath(out))
    if target.exists() and not target.is_dir():
        raise NewsAttribError(f"{out}: is a file; give a folder for the comparison")
    for c in ckpts:
        model = Path(os.path.realpath(c.model))
        if target == model or model in target.parents:
            raise NewsAttribError(f"{out}: the output would be written inside the model folder {c.model}; "
                                  "give a folder outside it")
    for f in sets.values():
        if Path(os.path.realpath(f)) == target:
            raise NewsAttribError(f"{out}: is the evaluation set {f}")


# ---- the whole comparison ----

def compare(ckpts: list[Checkpoint], sets: dict[str, Path], out: Path, resamples: int = 1000, seed: int = 0,
            batch_size: int = 4, device: str = "auto", html: bool = True) -> dict:
    """Predict (or read cached predictions of) every checkpoint on every set, score, bootstrap, and write
    the tables, plots and error reports under ``out``. Every input is checked before any work."""
    from . import compare_tables, report_html

    configs = {c.label: read_model_folder(c.model) for c in ckpts}
    schema = common_schema(ckpts, configs)
    golds = {name: read_corpus(path, schema) for name, path in sets.items()}
    check_output_folder(out, ckpts, sets)
    preds = predict_all(ckpts, sets, golds, out / "predictions", batch_size, device)
    with_claims = all(configs[c.label].get("task", "joint") != "entities" for c in ckpts)
    types = {"entities": list(schema.entities), **({"claims": list(schema.chain_classes)} if with_claims else {})}
    results = {"resamples": resamples, "seed": seed, "checkpoints": {c.label: str(c.model) for c in ckpts},
               "sets": {}}
    for name, gold in golds.items():
        reports, stats = {}, []
        for c in ckpts:
            pred = preds[c.label, name]
            reports[c.label] = evaluate(gold, pred, with_claims=with_claims, schema=schema)
            stats.append(np.stack([article_stats(a, p, types) for a, p in zip(gold, pred)]))
            if html:
                report_html.write(out / "reports" / slug(name) / f"{slug(c.label)}.html", gold, pred,
                                  reports[c.label], title=f"{c.label} on {name}", source=str(sets[name]))
        boot = bootstrap_by_language(gold, stats, types, resamples, seed)
        results["sets"][name] = {
            "file": str(sets[name]), "articles": len(gold), "with_claims": with_claims, "types": types,
            "reports": reports,
            "bootstrap": {lang: {c.label: row for c, row in zip(ckpts[1:], rows)} for lang, rows in boot.items()}}
    histories = {c.label: h for c in ckpts if (h := training_history(c))}
    compare_tables.write_all(results, out, histories)
    return results


def common_schema(ckpts: list[Checkpoint], configs: dict[str, dict]) -> Schema:
    """The label schema every checkpoint was trained on; checkpoints of different label sets are not compared."""
    schemas = {}
    for c in ckpts:
        try:
            schemas[c.label] = Schema.from_dict(configs[c.label].get("schema"))
        except (TypeError, ValueError) as exc:
            raise NewsAttribError(f"{c.model / CONFIG_NAME}: 'schema' is not a valid label schema ({exc})") from None
    first = ckpts[0].label
    for label, schema in schemas.items():
        if schema != schemas[first]:
            raise NewsAttribError(f"{ckpts[0].model} and {label}: trained on different label schemas "
                                  f"({', '.join(schemas[first].entities)} vs {', '.join(schema.entities)}); "
                                  "compare checkpoints of one label set")
    return schemas[first]


def predict_all(ckpts: list[Checkpoint], sets: dict[str, Path], golds: dict[str, list[Article]], cache: Path,
                batch_size: int, device: str) -> dict[tuple[str, str], list[dict]]:
    """Records per (checkpoint, set): read from the cache when its key matches, else predicted and cached, so
    adding a checkpoint to a comparison costs only that checkpoint. Ctrl-C keeps what was finished."""
    preds, total = {}, len(ckpts) * len(sets)
    try:
        for c in ckpts:
            todo = []
            for name, path in sets.items():
                file = cache_path(cache, prediction_key(c.model, path), c.label, name)
                records = read_cached(file, golds[name]) if file.is_file() else None
                if records is None:
                    todo.append((name, file))
                else:
                    preds[c.label, name] = records
                    print(f"{c.label} on {name}: cached predictions {file}", file=sys.stderr)
            if not todo:
                continue
            from .pipeline import load
            pipe = load(c.model, batch_size, device=device)
            for name, file in todo:
                print(f"{c.label} on {name}: predicting {len(golds[name])} articles", file=sys.stderr)
                records = pipe.predict_articles(golds[name], progress=sys.stderr.isatty())
                write_cached(file, records)
                preds[c.label, name] = records
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted: {len(preds)} of {total} predictions are done and cached in {cache}; "
                          "run the same command again to continue") from None
    return preds
