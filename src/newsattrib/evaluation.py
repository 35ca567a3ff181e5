"""Strict IOB2 seqeval of entities and claims, and chain metrics, per language and overall.

Gold articles and predicted records are both mapped to words (see ``tokenizer``), so a
prediction from any model or from the rule baseline is scored the same way.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from seqeval.metrics import classification_report
from seqeval.scheme import IOB2

from . import breakdown as bd
from .corpus import Article
from .decoding import source_key
from .fileio import atomic_write_text
from .schema import NEWS, Schema
from .features import spans_to_tags, tags_to_spans, word_span_of, words_of

ALL = "all"


def seqeval_scores(gold: list[list[str]], pred: list[list[str]], types: tuple[str, ...]) -> dict:
    """Strict IOB2 precision/recall/F1 per type, micro and macro (``scheme`` given, else seqeval is lenient)."""
    rep = classification_report(gold, pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    out = {t: _prf(rep.get(t)) for t in types}
    out["micro"] = _prf(rep.get("micro avg"))
    out["macro"] = {k: sum(out[t][k] for t in types) / len(types) for k in ("precision", "recall", "f1")}
    out["macro"]["support"] = out["micro"]["support"]
    return out


def _prf(row: dict | None) -> dict:
    if row is None:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    return {"precision": float(row["precision"]), "recall": float(row["recall"]),
            "f1": float(row["f1-score"]), "support": int(row["support"])}


def _prf_counts(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "support": n_gold}


def _chains(words, text_spans: list[tuple[int, int, list[tuple[int, int]], str]]) -> dict:
    """claim word span -> (class, member word spans in order)."""
    out = {}
    for start, end, members, label in text_spans:
        span = word_span_of(words, start, end)
        if span is not None:
            out[span] = (label, [word_span_of(words, s, e) for s, e in members])
    return out


# why a matched claim's chain is not exact, judged on its origin first (the member a reader asks for)
CHAIN_ERRORS = ("no chain", "chain where none", "other source", "same name, other mention", "relays differ")


def chain_error(gold: list, pred: list, name_of) -> str | None:
    """The ``CHAIN_ERRORS`` category of a predicted chain against the gold one (member spans, origin last);
    ``name_of(span)`` says which name a member is, so another mention of the same source is told apart."""
    if gold == pred:
        return None
    if not pred or not gold:
        return "no chain" if gold else "chain where none"
    if gold[-1] != pred[-1]:
        return "same name, other mention" if name_of(gold[-1]) == name_of(pred[-1]) else "other source"
    return "relays differ"


def chain_counts(gold: Article, pred: dict, person: str | None = NEWS.person) -> Counter:
    words = words_of(gold.text)
    labels = {word_span_of(words, e["start"], e["end"]): e["label"] for e in pred["entities"]}
    labels.update({word_span_of(words, e.start, e.end): e.label for e in gold.entities})

    def name_of(span):
        return source_key(gold.text[words[span[0]][0]:words[span[1] - 1][1]], labels.get(span) == person) \
            if span else ""

    g = _chains(words, [(a.start, a.end, [(gold.entity(m).start, gold.entity(m).end) for m in a.chain], a.label)
                        for a in gold.attributions])
    ents = {e["id"]: e for e in pred["entities"]}
    p = _chains(words, [(a["claim"]["start"], a["claim"]["end"],
                         [(ents[m]["start"], ents[m]["end"]) for m in a["chain"]], a["label"])
                        for a in pred["attributions"]])
    c = Counter()
    for span in g.keys() & p.keys():
        (gl, gm), (pl, pm) = g[span], p[span]
        c["matched"] += 1
        c["class_correct"] += gl == pl
        c["exact"] += gm == pm
        error = chain_error(gm, pm, name_of)
        if error:
            c[f"error: {error}"] += 1
        gset, pset = set(enumerate(gm)), set(enumerate(pm))
        c["link_tp"] += len(gset & pset)
        c["link_gold"] += len(gset)
        c["link_pred"] += len(pset)
    c["gold_claims"] += len(g)
    return c


def evaluate(gold: list[Article], pred: list[dict], with_claims: bool = True, schema: Schema = NEWS) -> dict:
    """The report: entities (and claims and chains) per language and for all articles, per type of ``schema``.

    ``types`` names the entity types (and claim classes) scored, so every reader of a report (tables,
    plots, comparisons) lists the same types. ``breakdown`` holds, for entities and claims, per language and type, the error categories of
    ``newsattrib.breakdown`` (each gold span in exactly one; spurious predictions counted once).
    """
    by_id = {p["id"]: p for p in pred}
    seqs = defaultdict(lambda: defaultdict(list))  # lang -> key -> list of tag sequences
    counts = defaultdict(Counter)
    errors = defaultdict(lambda: defaultdict(dict))  # kind -> lang -> type -> Counter
    confusion = Counter()
    for art in gold:
        p = by_id[art.id]
        words = words_of(art.text)
        g_ent = spans_to_tags(words, [(e.start, e.end, e.label) for e in art.entities])
        p_ent = spans_to_tags(words, [(e["start"], e["end"], e["label"]) for e in p["entities"]])
        confusion.update(zip((t[2:] or "O" for t in g_ent), (t[2:] or "O" for t in p_ent)))
        ent_errors = bd.count(tags_to_spans(g_ent), tags_to_spans(p_ent))
        for lang in (art.lang, ALL):
            seqs[lang]["entity_gold"].append(g_ent)
            seqs[lang]["entity_pred"].append(p_ent)
            bd.add(errors["entities"][lang], ent_errors)
        if with_claims:
            g_cl = spans_to_tags(words, [(a.start, a.end, a.label) for a in art.attributions])
            p_cl = spans_to_tags(words, [(a["claim"]["start"], a["claim"]["end"], a["label"])
                                         for a in p["attributions"]])
            c = chain_counts(art, p, schema.person)
            cl_errors = bd.count(tags_to_spans(g_cl), tags_to_spans(p_cl))
            for lang in (art.lang, ALL):
                seqs[lang]["claim_gold"].append(g_cl)
                seqs[lang]["claim_pred"].append(p_cl)
                counts[lang] += c
                bd.add(errors["claims"][lang], cl_errors)
    types = {"entities": list(schema.entities), **({"claims": list(schema.chain_classes)} if with_claims else {})}
    report = {"types": types, "articles": {lang: len(s["entity_gold"]) for lang, s in seqs.items()}, "entities": {}}
    for lang, s in seqs.items():
        report["entities"][lang] = seqeval_scores(s["entity_gold"], s["entity_pred"], schema.entities)
    if with_claims:
        report["claims"], report["chains"] = {}, {}
        for lang, s in seqs.items():
            report["claims"][lang] = seqeval_scores(s["claim_gold"], s["claim_pred"], schema.chain_classes)
            c = counts[lang]
            m = c["matched"]
            report["chains"][lang] = {
                "matched_claims": m, "gold_claims": c["gold_claims"],
                "class_accuracy": c["class_correct"] / m if m else 0.0,
                "exact_match": c["exact"] / m if m else 0.0,
                "links": _prf_counts(c["link_tp"], c["link_pred"], c["link_gold"]),
                "errors": {kind: c[f"error: {kind}"] for kind in CHAIN_ERRORS},
            }
    report["breakdown"] = {kind: {lang: bd.as_report(errors[kind][lang], kind_types) for lang in seqs}
                           for kind, kind_types in types.items()}
    labels = ["O", *schema.entities]
    report["entity_word_confusion"] = {"labels": labels,
                                       "matrix": [[confusion[(g, p)] for p in labels] for g in labels]}
    return report


def report_types(report: dict) -> dict[str, list[str]]:
    """``{"entities": [...], "claims": [...]}``: the types a report scored (reports written before it
    said so scored ANNOTATION.md's)."""
    return report.get("types") or {"entities": list(NEWS.entities),
                                    **({"claims": list(NEWS.chain_classes)} if "claims" in report else {})}


# the numbers of ``headline`` that each head adds: a run's validation reports them (``eval_`` prefixed),
# and trainer.metric_for_best_model picks the best checkpoint by one of them
SELECTION_METRICS = {"entity": ("entity_f1",), "claim": ("claim_f1", "chain_exact", "link_f1", "joint_score")}


def selection_metrics(heads) -> list[str]:
    """The validation metrics (as the Trainer logs them) a model with these heads can be selected by."""
    return [f"eval_{m}" for head in heads for m in SELECTION_METRICS.get(head, ())]


def headline(report: dict) -> dict:
    """The few numbers a run is compared by (``SELECTION_METRICS``)."""
    out = {"entity_f1": report["entities"][ALL]["micro"]["f1"]}
    if "claims" in report:
        out["claim_f1"] = report["claims"][ALL]["micro"]["f1"]
        out["chain_exact"] = report["chains"][ALL]["exact_match"]
        out["link_f1"] = report["chains"][ALL]["links"]["f1"]
        out["joint_score"] = joint_score(out)
    return out


def joint_score(f1: dict) -> float:
    """The one number checkpoints are selected by (``eval_joint_score``): entities, claims and links alike."""
    return (f1["entity_f1"] + f1["claim_f1"] + f1["link_f1"]) / 3


def format_table(report: dict, title: str = "") -> str:
    """The printed table: strict seqeval per type and language; chain metrics when present; then
    the error breakdown of entities and claims (see ``newsattrib.breakdown``)."""
    langs = sorted(k for k in report["entities"] if k != ALL) + [ALL]
    lines = [f"== {title} ==" if title else "", "articles: " + ", ".join(f"{l}={report['articles'][l]}" for l in langs)]

    def block(name, scores, types):
        lines.append(f"{name} (strict IOB2 seqeval, F1)")
        lines.append(f"  {'type':<14}" + "".join(f"{l:>9}" for l in langs) + f"{'support':>9}")
        for t in (*types, "micro", "macro"):
            lines.append(f"  {t:<14}" + "".join(f"{scores[l][t]['f1']:>9.3f}" for l in langs)
                         + f"{scores[ALL][t]['support']:>9}")

    types = report_types(report)
    block("entities", report["entities"], types["entities"])
    if "claims" in report:
        block("claims", report["claims"], types["claims"])
        ch = report["chains"]
        lines.append("chains (on claims matching gold exactly)")
        lines.append(f"  {'metric':<14}" + "".join(f"{l:>9}" for l in langs))
        for name, get in (("matched", lambda c: f"{c['matched_claims']}/{c['gold_claims']}"),
                          ("class acc", lambda c: f"{c['class_accuracy']:.3f}"),
                          ("link P", lambda c: f"{c['links']['precision']:.3f}"),
                          ("link R", lambda c: f"{c['links']['recall']:.3f}"),
                          ("link F1", lambda c: f"{c['links']['f1']:.3f}"),
                          ("exact chain", lambda c: f"{c['exact_match']:.3f}")):
            lines.append(f"  {name:<14}" + "".join(f"{get(ch[l]):>9}" for l in langs))
        lines.append("chain errors (matched claims whose chain is not exact)")
        lines.append(f"  {'category':<26}" + "".join(f"{l:>9}" for l in langs))
        for kind in CHAIN_ERRORS:
            lines.append(f"  {kind:<26}" + "".join(f"{ch[l].get('errors', {}).get(kind, 0):>9}" for l in langs))
    for kind, kind_types in types.items():
        if kind in report.get("breakdown", {}):
            lines += bd.format_breakdown(report["breakdown"][kind], langs, kind_types, kind, ALL)
    return "\n".join(l for l in lines if l is not None)


def write_report(report: dict, out_dir: str | Path, name: str) -> Path:
    """``NAME.json`` plus pictures: per-type F1 by language, and the entity word confusion matrix."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    atomic_write_text(path, json.dumps(report, indent=2, ensure_ascii=False))
    _plot(report, out_dir, name)
    return path


def _plot(report: dict, out_dir: Path, name: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    groups = list(report_types(report).items())
    fig, axes = plt.subplots(1, len(groups), figsize=(6.5 * len(groups), 4), squeeze=False)
    langs = sorted(report["entities"])
    for ax, (key, types) in zip(axes[0], groups):
        x = np.arange(len(types) + 1)
        for i, lang in enumerate(langs):
            vals = [report[key][lang][t]["f1"] for t in (*types, "micro")]
            ax.bar(x + (i - (len(langs) - 1) / 2) * 0.8 / len(langs), vals, 0.8 / len(langs), label=lang)
        ax.set_xticks(x, [*types, "micro"], rotation=20)
        ax.set_ylim(0, 1)
        ax.set_title(f"{key}: strict F1 by language")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / f"{name}_f1.png", dpi=110)
    plt.close(fig)

    conf = report["entity_word_confusion"]
    m = np.array(conf["matrix"], dtype=float)
    norm = m / np.maximum(m.sum(1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(5.5, 4.8))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(conf["labels"])), conf["labels"], rotation=30)
    ax.set_yticks(range(len(conf["labels"])), conf["labels"])
    for i in range(len(m)):
        for j in range(len(m)):
            ax.text(j, i, f"{int(m[i, j])}", ha="center", va="center", fontsize=8,
                    color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title("entity words: gold vs predicted (row-normalised colour)")
    fig.tight_layout()
    fig.savefig(out_dir / f"{name}_confusion.png", dpi=110)
    plt.close(fig)
