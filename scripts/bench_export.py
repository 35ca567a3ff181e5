#!/usr/bin/env python
"""A published folder three ways on one corpus: newsattrib in torch, newsattrib in onnxruntime, and plain
``transformers.pipeline`` on its token-classification subfolder.

Measures prediction speed (articles/s, after one warm-up article) and strict entity F1 of each, and the
agreement of the plain pipeline's entities with newsattrib's (strict F1 of one against the other, on words;
newsattrib both as published and without its SPEAKER rule). Writes benchmarks/export.json.
`python scripts/bench_export.py DIR [--data data/test.jsonl] [--limit N]`
"""
import argparse
import bisect
import json
import platform
import time
from pathlib import Path

import torch

from newsattrib.corpus import Article, Entity, read_corpus
from newsattrib.evaluation import ALL, evaluate
from newsattrib.export import TOKEN_CLASSIFICATION, pipeline_entities
from newsattrib.fileio import atomic_write_text
from newsattrib.pipeline import load
from newsattrib.features import words_of

ROOT = Path(__file__).resolve().parents[1]
# plain pipelines: aggregation, whether the exported tokenizer (split at newsattrib's words) or the model's
# own whole-text one is used, and whether the pipeline is given newsattrib's words (is_split_into_words)
PLAIN = {"simple": ("simple", True, False), "words-first": ("first", True, True), "first": ("first", True, False),
         "simple-whole-text": ("simple", False, False)}


def timed(predict, articles):
    predict(articles[:1])  # warm-up: first-call allocations and graph optimisation
    start = time.perf_counter()
    records = predict(articles)
    return records, len(articles) / (time.perf_counter() - start)


def entity_f1(gold, records) -> dict:
    report = evaluate(gold, records, with_claims=False)
    return {lang: round(report["entities"][lang]["micro"]["f1"], 4) for lang in report["entities"]}


def as_gold(records) -> list[Article]:
    """Records of one system as the reference another is scored against (agreement)."""
    return [Article(r["id"], r["lang"], r["text"], [Entity(e["id"], e["start"], e["end"], e["label"])
                                                    for e in r["entities"]]) for r in records]


def unscored(record: dict) -> tuple:
    """What a record says, without its scores (rounded to 4 places, they may flip between backends)."""
    return ([(e["start"], e["end"], e["label"]) for e in record["entities"]],
            [(a["claim"]["start"], a["claim"]["end"], a["label"], a["chain"]) for a in record["attributions"]])


def on_words(text: str, tagger) -> list[dict]:
    """The pipeline given newsattrib's words; its offsets (into the words joined by spaces) mapped back."""
    words = words_of(text)
    joined, at = [], 0
    for s, e in words:
        joined.append(at)
        at += e - s + 1
    out = []
    found = tagger([text[s:e] for s, e in words], is_split_into_words=True)
    for e in found[0] if found and isinstance(found[0], list) else found:  # one text in, a batch of one out
        first = bisect.bisect_right(joined, e["start"]) - 1
        last = bisect.bisect_right(joined, e["end"] - 1) - 1
        out.append({**e, "start": words[first][0] + e["start"] - joined[first],
                    "end": words[last][0] + e["end"] - joined[last]})
    return pipeline_entities(text, out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a folder written by scripts/export.py")
    ap.add_argument("--data", default=str(ROOT / "data/test.jsonl"))
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks/export.json"))
    ap.add_argument("--plain", default=",".join(PLAIN), help=f"plain pipelines to run, of {', '.join(PLAIN)}")
    args = ap.parse_args()
    gold = read_corpus(args.data)[:args.limit or None]
    result = {"model": args.model, "data": args.data, "articles": len(gold), "torch_threads": torch.get_num_threads(),
              "machine": platform.processor() or platform.machine(), "systems": {}}
    records = {}
    for name, backend, decoding in (("newsattrib-torch", "torch", None), ("newsattrib-onnx", "onnx", None),
                                    ("newsattrib-torch-all-speakers", "torch", {"speakers_need_chain": False})):
        nlp = load(args.model, batch_size=4, decoding=decoding, device="cpu", backend=backend)
        records[name], rate = timed(nlp.predict_articles, gold)
        result["systems"][name] = {"articles_per_s": round(rate, 3), "entity_f1": entity_f1(gold, records[name])}
        if decoding is None:
            result["systems"][name]["claim_f1"] = round(evaluate(gold, records[name])["claims"][ALL]["micro"]["f1"], 4)
        print(name, result["systems"][name], flush=True)
    from transformers import AutoTokenizer, pipeline
    spec = nlp.model.spec
    for name in args.plain.split(","):
        aggregation, split, given_words = PLAIN[name]
        tokenizer = AutoTokenizer.from_pretrained(Path(args.model) / (TOKEN_CLASSIFICATION if split else ""),
                                                  model_max_length=spec.max_length)
        settings = {"aggregation_strategy": aggregation, "stride": spec.stride, "word_split_tokenizer": split,
                    "is_split_into_words": given_words}
        tagger = pipeline("token-classification", model=str(Path(args.model) / TOKEN_CLASSIFICATION),
                          tokenizer=tokenizer, stride=spec.stride, aggregation_strategy=aggregation, device="cpu")

        def predict(arts, tagger=tagger, given_words=given_words):
            return [{"id": a.id, "lang": a.lang, "text": a.text, "attributions": [],
                     "entities": (on_words(a.text, tagger) if given_words else
                                  pipeline_entities(a.text, tagger(a.text))) if a.text.strip() else []}
                    for a in arts]

        recs, rate = timed(predict, gold)
        result["systems"][f"pipeline-{name}"] = {
            "settings": settings, "articles_per_s": round(rate, 3),
            "entity_f1": entity_f1(gold, recs),
            "agreement_f1": {ref: entity_f1(as_gold(records[ref]), recs)[ALL]
                             for ref in ("newsattrib-torch", "newsattrib-torch-all-speakers")}}
        print(f"pipeline-{name}", result["systems"][f"pipeline-{name}"], flush=True)
    same = sum(unscored(a) == unscored(b) for a, b in zip(records["newsattrib-torch"], records["newsattrib-onnx"]))
    result["onnx_records_identical_to_torch"] = f"{same}/{len(gold)}"
    atomic_write_text(args.out, json.dumps(result, indent=2))
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
