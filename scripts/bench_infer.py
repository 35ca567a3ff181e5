#!/usr/bin/env python
"""Prediction speed: newsattrib against `transformers.pipeline("token-classification")` on the same articles.

Measures articles/s and subword tokens/s of `newsattrib.load(...).predict_articles` (fp32, and int8 dynamic
quantization) and of the pipeline baseline (the same encoder and entity head as an
AutoModelForTokenClassification, `aggregation_strategy="simple"`, 512-token chunks with a stride), each
one's entity F1 on the gold spans and the overlap of their entity sets, the share of this machine's fp32
matmul throughput each reaches, and prediction time per token on articles 1x, 4x and 16x a typical length.

    python scripts/bench_infer.py [--model MODEL_DIR] [--quick]

Without --model, a fresh model around the embedded encoder (the main job's windows) is timed: speed does
not depend on the weights, F1 does. Writes benchmarks/infer.json (infer-quick.json with --quick).
"""
import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch
from transformers import pipeline

import newsattrib
from newsattrib.benchmark import ROOT, entity_f1, flops_per_token, matmul_gflops, table, write
from newsattrib.corpus import Article, read_corpus
from newsattrib.export import token_classification_model

LENGTHS = (1, 4, 16)  # multiples of the median article length
TOLERANCE = 0.25  # time per token at 4x and 16x may differ this much from 1x


def model_folder(arg: str | None, tmp: Path) -> Path:
    """The model to time: the given folder, or a fresh one around the embedded encoder."""
    if arg:
        return Path(arg)
    from newsattrib.embedded import embedded_model_dir
    from newsattrib.modeling import build_model
    from newsattrib.pipeline import load_tokenizer
    torch.manual_seed(0)
    encoder = str(embedded_model_dir())
    build_model(encoder, max_length=128, stride=32).save(tmp)
    load_tokenizer(encoder).save_pretrained(tmp)
    return tmp


def timed(fn, articles: list[Article], repeats: int = 2):
    """(result, seconds) of ``fn(articles)``: the best of ``repeats`` runs after a warm-up on the first two
    (the best, because on a shared machine the other runs only measure the neighbours)."""
    fn(articles[:2])
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn(articles)
        best = min(best, time.perf_counter() - start)
    return out, best


def newsattrib_spans(nlp):
    def run(articles):
        return {r["id"]: [(e["start"], e["end"], e["label"]) for e in r["entities"]]
                for r in nlp.predict_articles(articles)}
    return run


def pipeline_spans(tagger):
    def run(articles):
        out = tagger([a.text for a in articles])
        return {a.id: [trimmed(a.text, e["start"], e["end"], e["entity_group"]) for e in ents]
                for a, ents in zip(articles, out)}
    return run


def trimmed(text: str, start: int, end: int, label: str) -> tuple[int, int, str]:
    """A pipeline span without the whitespace its subword offsets may include."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end, label


def overlap(a: dict, b: dict) -> float:
    """Entities found by both over entities found by either (1.0: the same entity sets)."""
    sa = {(k, *s) for k, v in a.items() for s in v}
    sb = {(k, *s) for k, v in b.items() for s in v}
    return len(sa & sb) / max(1, len(sa | sb))


def length_scaling(nlp, articles: list[Article], n_tokens) -> dict:
    """Milliseconds per 1,000 tokens on texts of 1x, 4x and 16x the median article (test texts joined), with
    the same number of tokens at each length (16 texts of 1x, 4 of 4x, 1 of 16x)."""
    median = int(statistics.median(map(n_tokens, articles)))
    joined = "\n\n".join(a.text for a in articles)
    while n_tokens(Article("x", "", joined)) < LENGTHS[-1] * median:
        joined += "\n\n" + joined
    ends = [e for _, e in nlp.tokenizer(joined, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]]
    out = {}
    for k in LENGTHS:
        texts = [Article(f"x{k}", "en", joined[:ends[k * median - 1]])] * (LENGTHS[-1] // k)
        _, seconds = timed(nlp.predict_articles, texts)
        out[f"{k}x"] = {"tokens": n_tokens(texts[0]), "ms_per_1k_tokens": round(1e6 * seconds / (LENGTHS[-1] * median), 1)}
    base = out["1x"]["ms_per_1k_tokens"]
    worst = max(abs(v["ms_per_1k_tokens"] / base - 1) for v in out.values())
    return {"by_length": out, "max_deviation_from_1x": round(worst, 3), "within_tolerance": worst <= TOLERANCE}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", help="a trained model folder (default: a fresh model around the embedded encoder)")
    ap.add_argument("--data", default=ROOT / "data/test.jsonl", type=Path)
    ap.add_argument("--batch-size", type=int, default=8, help="newsattrib articles per batch")
    ap.add_argument("--stride", type=int, default=32, help="overlap of the pipeline baseline's 512-token chunks")
    ap.add_argument("--quick", action="store_true", help="16 articles, for development")
    args = ap.parse_args()
    articles = read_corpus(args.data)[:16 if args.quick else None]
    with tempfile.TemporaryDirectory() as tmp:
        folder = model_folder(args.model, Path(tmp))
        nlp = newsattrib.load(folder, batch_size=args.batch_size)
        int8 = newsattrib.load(folder, batch_size=args.batch_size, int8=True)
    tok = nlp.tokenizer
    n_tokens = lambda a: len(tok(a.text, add_special_tokens=False)["input_ids"])  # noqa: E731
    total = sum(map(n_tokens, articles))
    model, hf_tok = token_classification_model(nlp)
    tagger = pipeline("token-classification", model=model, tokenizer=hf_tok, aggregation_strategy="simple",
                      stride=args.stride, device=torch.device("cpu"))
    limit = matmul_gflops()
    window = nlp.model.spec.max_length
    paths = {"newsattrib fp32": (newsattrib_spans(nlp), window),
             "newsattrib int8": (newsattrib_spans(int8), window),
             "pipeline baseline fp32": (pipeline_spans(tagger), tok.model_max_length)}
    results, spans = {}, {}
    for name, (fn, seq) in paths.items():
        spans[name], seconds = timed(fn, articles)
        rate = total / seconds
        results[name] = {"seconds": round(seconds, 2), "articles_per_s": round(len(articles) / seconds, 2),
                         "tokens_per_s": round(rate, 1), "entity_f1": round(entity_f1(articles, spans[name]), 4),
                         "matmul_fraction": round(rate * flops_per_token(nlp.model.encoder, seq) / 1e9 / limit, 3)}
    base = results["pipeline baseline fp32"]["tokens_per_s"]
    for name, r in results.items():
        r["speedup_vs_pipeline"] = round(r["tokens_per_s"] / base, 2)
        r["entity_overlap_with_fp32"] = round(overlap(spans[name], spans["newsattrib fp32"]), 4)
    scaling = length_scaling(nlp, articles, n_tokens)
    result = {"model": str(args.model or "fresh (embedded encoder, random heads)"), "articles": len(articles),
              "subword_tokens": total, "matmul_fp32_gflops": round(limit, 1),
              "flops_per_token_note": "2 x non-embedding parameters + 4 x layers x window x hidden, on article "
                                      "tokens (window overlap counts as overhead)",
              "paths": results, "length_scaling": scaling}
    path = write("infer", result, args.quick)
    print(table([["path", "articles/s", "tokens/s", "x pipeline", "matmul share", "entity F1", "same as fp32"]]
                + [[n, r["articles_per_s"], r["tokens_per_s"], r["speedup_vs_pipeline"], r["matmul_fraction"],
                    r["entity_f1"], r["entity_overlap_with_fp32"]] for n, r in results.items()]))
    print(table([["length", "tokens", "ms / 1k tokens"]] +
                [[k, v["tokens"], v["ms_per_1k_tokens"]] for k, v in scaling["by_length"].items()]))
    print(f"matmul fp32: {limit:.1f} GFLOP/s on {torch.get_num_threads()} threads; written to {path}")


if __name__ == "__main__":
    main()
