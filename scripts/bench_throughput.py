#!/usr/bin/env python
"""Training and prediction throughput (subword tokens/s) of the joint model on the corpus.

Baseline in the same run: training with the word-embedding table trainable; the default freezes it.
Writes outputs/bench/throughput.json. `python scripts/bench_throughput.py [--steps 20] [--model embedded]`.
"""
import argparse
import json
import time
from pathlib import Path

import torch

from newsattrib.corpus import read_corpus
from newsattrib.data_collator import ArticleCollator
from newsattrib.embedded import embedded_model_dir
from newsattrib.fileio import atomic_write_text
from newsattrib.modeling import build_model
from newsattrib.pipeline import Pipeline, load_tokenizer
from newsattrib.tokenizer import featurize

ROOT = Path(__file__).resolve().parents[1]


def train_rate(path, feats, collate, steps, batch, freeze) -> float:
    torch.manual_seed(0)
    model = build_model(path).train()
    if freeze:
        model.freeze_word_embeddings()
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-5)
    tokens, start = 0, None
    for step in range(steps + 1):  # the first step warms up and is not timed
        if step == 1:
            tokens, start = 0, time.perf_counter()
        part = [feats[(step * batch + i) % len(feats)] for i in range(batch)]
        loss = model(**collate(part))["loss"]
        loss.backward()
        opt.step()
        opt.zero_grad()
        tokens += sum(len(f["input_ids"]) for f in part)
    return tokens / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--model", default="embedded")
    ap.add_argument("--out", default=ROOT / "outputs/bench/throughput.json", type=Path)
    args = ap.parse_args()
    path = str(embedded_model_dir()) if args.model == "embedded" else args.model
    tok = load_tokenizer(path)
    articles = read_corpus(ROOT / "data/train.jsonl")
    feats = [featurize(a, tok) for a in articles]
    collate = ArticleCollator(tok.cls_token_id, tok.sep_token_id, tok.pad_token_id)
    frozen = train_rate(path, feats, collate, args.steps, args.batch, freeze=True)
    trainable = train_rate(path, feats, collate, args.steps, args.batch, freeze=False)
    test = read_corpus(ROOT / "data/test.jsonl")
    pipe = Pipeline(build_model(path).eval(), tok)
    start = time.perf_counter()
    pipe.predict_articles(test)
    predict = sum(len(featurize(a, tok, with_labels=False)["input_ids"]) for a in test) / (time.perf_counter() - start)
    result = {"model": args.model, "threads": torch.get_num_threads(), "steps": args.steps, "batch_articles": args.batch,
              "train_tokens_per_s": {"frozen_embeddings": round(frozen, 1), "baseline_trainable_embeddings":
                                     round(trainable, 1), "ratio": round(frozen / trainable, 3)},
              "predict_tokens_per_s": round(predict, 1)}
    atomic_write_text(args.out, json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
