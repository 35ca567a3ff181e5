"""The model card (``README.md`` of a published folder): Hub YAML metadata and the measured scores.

Scores come from the JSON evaluation reports a training run writes beside its model folder
(``RUN/reports/NAME.json``), or from an evaluation made on export; nothing is typed in by hand.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import yaml

from .evaluation import ALL, report_types
from .fileio import read_json_file, read_jsonl

SYSTEM = "model"  # reports of the rule baseline (NAME_rules.json) are not the model's


def run_folder(model_folder: Path) -> Path:
    """The training run that wrote a model folder: ``RUN/model`` or ``RUN/checkpoints/checkpoint-N``."""
    parent = model_folder.resolve().parent
    return parent.parent if parent.name == "checkpoints" else parent


def run_reports(model_folder: Path) -> dict[str, dict]:
    """The model's evaluation reports of the training run that wrote ``model_folder``. They score the run's
    final ``model/``, so a checkpoint has none (export it with ``evaluate=true``)."""
    if model_folder.resolve().parent.name == "checkpoints":
        return {}
    folder = run_folder(model_folder) / "reports"
    reports = {}
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        report = read_json_file(path)
        if isinstance(report, dict) and report.get("system", SYSTEM) == SYSTEM and "entities" in report:
            reports[report.get("name", path.stem)] = report
    return reports


def training_summary(model_folder: Path) -> dict:
    """Articles per language of the training files named in the run's ``config.yaml``, where they exist."""
    config = run_folder(model_folder) / "config.yaml"
    if not config.is_file():
        return {}
    cfg = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    data = cfg.get("data", {}) or {}
    langs, files = Counter(), []
    for name in data.get("train", []) or []:
        path = Path(name)
        files.append(str(name))
        if path.is_file():
            for _, rec in read_jsonl(path):
                langs[rec.get("lang", "?")] += 1
    augment = data.get("augment") or {}
    return {"files": files, "articles": dict(sorted(langs.items())), "generated": data.get("generated") or 0,
            "augment_p": augment.get("p", 0), "epochs": (cfg.get("trainer") or {}).get("num_train_epochs"),
            "max_length": (cfg.get("model") or {}).get("max_length")}


def metadata(spec, reports: dict[str, dict], card_cfg: dict) -> dict:
    """The Hub's YAML header: languages, license, datasets, base model and a ``model-index`` with the
    F1 of every entity type (and claim class, chain links) per language on every evaluated set."""
    results = []
    for name, report in reports.items():
        metrics = []
        for lang in sorted(report["entities"]):
            types = report_types(report)
            metrics += _prf_metrics(report["entities"][lang], types["entities"], f"entities {lang}")
            if "claims" in report:
                metrics += _prf_metrics(report["claims"][lang], types["claims"], f"claims {lang}")
                metrics.append({"type": "f1", "name": f"chain links {lang} F1",
                                "value": round(report["chains"][lang]["links"]["f1"], 4)})
        results.append({"task": {"type": "token-classification", "name": "Speaker, organization, program and "
                                 "quantity tagging with attribution chains"},
                        "dataset": {"name": name, "type": card_cfg.get("dataset_type") or "newsattrib",
                                    "split": name},
                        "metrics": metrics})
    meta = {"language": list(spec.languages), "license": card_cfg.get("license") or "other",
            "library_name": "transformers", "pipeline_tag": "token-classification",
            "tags": ["newsattrib", "named-entity-recognition", "attribution", "news"],
            "datasets": list(card_cfg.get("datasets") or []),
            "metrics": ["f1", "precision", "recall"],
            "model-index": [{"name": card_cfg.get("name") or "newsattrib", "results": results}]}
    if card_cfg.get("base_model"):
        meta["base_model"] = card_cfg["base_model"]
    return meta


def _prf_metrics(scores: dict, types: tuple[str, ...], what: str) -> list[dict]:
    return [{"type": "f1", "name": f"{what} {t} F1", "value": round(scores[t]["f1"], 4)} for t in (*types, "micro")]


def render(spec, reports: dict[str, dict], card_cfg: dict, summary: dict, settings: dict, where: str,
           hub: bool = False) -> str:
    """The whole README.md: YAML header, then what the model does, its scores, data, use and limits;
    ``where`` is what the loading examples load: a ``hub`` repository, else the folder."""
    where = json.dumps(where, ensure_ascii=False)
    schema = spec.label_schema
    local = f"snapshot_download({where})" if hub else where
    head = yaml.safe_dump(metadata(spec, reports, card_cfg), allow_unicode=True, sort_keys=False)
    lines = [f"---\n{head}---", "", f"# {card_cfg.get('name') or 'newsattrib'}", "",
             f"Tags {', '.join(schema.entities)} spans"
             + (f", claims ({', '.join(schema.chain_classes)}) and the chain of sources of each claim"
                if "claim" in spec.heads else "")
             + f", in {', '.join(spec.languages)}. A {spec.encoder.get('model_type')} encoder "
             f"({spec.encoder.get('num_hidden_layers')} layers, hidden {spec.encoder.get('hidden_size')}) "
             "fine-tuned with three heads by newsattrib; windows of "
             f"{spec.max_length} tokens, {spec.stride} of overlap.", "", "## Scores", "",
             "Strict IOB2 seqeval F1 on words (`newsattrib.evaluation`)."]
    for name, report in reports.items():
        lines += ["", f"### {name} ({', '.join(Path(f).name for f in report.get('files', [])) or name})", ""]
        types = report_types(report)
        lines += _table(report, "entities", types["entities"])
        if "claims" in report:
            lines += [""] + _table(report, "claims", types["claims"])
            ch = report["chains"]
            lines += ["", "Chains on claims matching gold exactly: " + "; ".join(
                f"{lang} link F1 {ch[lang]['links']['f1']:.3f}, exact chain {ch[lang]['exact_match']:.3f}"
                for lang in _langs(ch))]
    if not reports:
        lines += ["", "No evaluation report was found for this model (export with `evaluate=true`)."]
    lines += ["", "## Training data", ""]
    if summary:
        arts = ", ".join(f"{lang} {n}" for lang, n in summary["articles"].items()) or "not at hand on export"
        lines += [f"Training files {', '.join(summary['files'])}: articles by language: {arts}; "
                  f"{summary['generated']} generated articles; label-preserving augmentation with p="
                  f"{summary['augment_p']}; {summary['epochs']} epochs, windows of {summary['max_length']} tokens."]
    else:
        lines += ["Not recorded with this model (no `config.yaml` of its training run)."]
    lines += ["", "## Intended use and limits", "",
              "For reading news at scale: who is quoted, which outlets relay whom, what numbers are claimed. "
              "Not for deciding whether a claim is true, nor for judging people. The training articles are "
              f"news in {', '.join(spec.languages)}; other languages, genres (social media, transcripts) and "
              "spellings score lower. A SPEAKER is a person who is a source in the article, so a named "
              "person who says nothing is not tagged by `newsattrib` (the plain token classifier below tags "
              "names regardless). Chains reach only sources named in the claim's sentence or the next one.",
              "", "## How to load it", "", "With newsattrib (entities, claims and chains, the model's own "
              "windows and decoding):", "", "```python", "import newsattrib",
              *(["from huggingface_hub import snapshot_download"] if hub else []),
              f"nlp = newsattrib.load({local})  # or backend=\"onnx\" (onnxruntime)",
              "record = nlp.predict(text, lang=\"uk\")", "```", "",
              "With plain transformers (entities only, from the `token-classification` subfolder):", "",
              "```python", "from transformers import pipeline",
              f"tagger = pipeline(\"token-classification\", model={where}, "
              f"model_kwargs={{\"subfolder\": \"token-classification\"}},",
              f"                  aggregation_strategy=\"{settings['aggregation_strategy']}\", "
              f"stride={settings['stride']})", "entities = tagger(text)", "```", "",
              "Its tokenizer also splits text where newsattrib's words meet (`$37.6` reads `▁$|37|.|6`), as the "
              "model saw text in training.", "",
              "The plain pipeline gives the entity head's tags grouped token by token; newsattrib reads one tag "
              "per word from the window where the word sits farthest from an edge, decodes a valid IOB2 "
              "sequence and keeps only the SPEAKERs that are sources of a claim, so the two differ slightly."]
    return "\n".join(lines) + "\n"


def _langs(by_lang: dict) -> list[str]:
    return sorted(lang for lang in by_lang if lang != ALL) + [ALL]


def _table(report: dict, kind: str, types: tuple[str, ...]) -> list[str]:
    langs = _langs(report[kind])
    rows = [f"| {kind} | " + " | ".join(langs) + " | support |", "|---" * (len(langs) + 2) + "|"]
    for t in (*types, "micro", "macro"):
        rows.append(f"| {t} | " + " | ".join(f"{report[kind][lang][t]['f1']:.3f}" for lang in langs)
                    + f" | {report[kind][ALL][t]['support']} |")
    return rows
