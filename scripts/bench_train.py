#!/usr/bin/env python
"""Training speed: the newsattrib loop against the Hugging Face Trainer's token-classification recipe.

Both train on data/train.jsonl for the same wall time, each in a fresh process, and are then scored on
data/validation.jsonl (strict seqeval entity F1 on the same words):

- newsattrib: the main job's settings (configs/trainer/cpu.yaml, model/embedded.yaml, task/joint.yaml):
  joint model, windows of 128 tokens with stride 32, word embeddings frozen, 2 articles a step, bf16
  autocast where the CPU has AVX512-BF16 or AMX;
- baseline: `run_ner.py` defaults on AutoModelForTokenClassification: labels on each word's first subword
  (-100 elsewhere), DataCollatorForTokenClassification (dynamic padding), nothing frozen, lr 5e-5,
  batch 8, fp32, 3 epochs' schedule; long articles split into chunks of at most 512 tokens (the
  model's maximum), so every word is trained on and predicted.

Reports subword tokens/s (the first step, a warm-up, not timed), seconds per epoch, peak RSS, the share of
the machine's fp32 matmul throughput (3 x forward FLOPs per token) and the F1 reached.

    python scripts/bench_train.py [--quick]

Writes benchmarks/train.json (train-quick.json with --quick).
"""
import argparse
import tempfile
import time

import torch
from datasets import Dataset
from hydra.utils import instantiate
from omegaconf import OmegaConf
from transformers import (AutoModelForTokenClassification, DataCollatorForTokenClassification, Trainer,
                          TrainerCallback, TrainingArguments)

from newsattrib.benchmark import ROOT, entity_f1, flops_per_token, isolated, matmul_gflops, peak_rss_mb, table, write
from newsattrib.corpus import read_corpus
from newsattrib.data_collator import ArticleCollator
from newsattrib.embedded import embedded_model_dir
from newsattrib.pipeline import Pipeline, load_tokenizer
from newsattrib.schema import NEWS
from newsattrib.features import spans_to_tags, tags_to_spans, words_of
from newsattrib.train import cpu_has_bf16
from newsattrib.trainer import NewsAttribTrainer, make_optimizer, to_dataset

ENTITY_TAGS = NEWS.entity_tags

SECONDS = {"quick": 90, "full": 240}  # training time of each path
BASELINE_MAX = 512


class TimeBudget(TrainerCallback):
    """Stops training after ``seconds``; records when the first (warm-up) step ended and the last one."""

    def __init__(self, seconds: float):
        self.seconds, self.start, self.first, self.last, self.steps = seconds, 0.0, 0.0, 0.0, 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.start = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        self.last, self.steps = time.perf_counter(), state.global_step
        if state.global_step == 1:
            self.first = self.last
        if self.last - self.start >= self.seconds:
            control.should_training_stop = True

    def rate(self, samples_per_step: int, tokens_per_sample: float) -> float:
        if self.steps < 2:
            raise SystemExit(f"only {self.steps} step(s) in {self.seconds} s: too little time to time a step")
        return (self.steps - 1) * samples_per_step * tokens_per_sample / (self.last - self.first)


def common_args(tmp: str, **kwargs) -> TrainingArguments:
    return TrainingArguments(output_dir=tmp, use_cpu=True, save_strategy="no", eval_strategy="no", report_to="none",
                             logging_strategy="no", disable_tqdm=True, dataloader_num_workers=0, seed=13, **kwargs)


def newsattrib_path(seconds: float, n_val: int | None) -> dict:
    torch.manual_seed(13)
    trainer_cfg, model_cfg, task_cfg = (OmegaConf.load(ROOT / f"configs/{p}.yaml")
                                        for p in ("trainer/cpu", "model/embedded", "task/joint"))
    encoder = str(embedded_model_dir())
    tok = load_tokenizer(encoder)
    train, val = read_corpus(ROOT / "data/train.jsonl"), read_corpus(ROOT / "data/validation.jsonl")[:n_val]
    model = instantiate(model_cfg, **task_cfg.heads, _convert_="all")  # as the main job builds it
    data = to_dataset(train, tok)
    budget = TimeBudget(seconds)
    with tempfile.TemporaryDirectory() as tmp:
        args = common_args(tmp, per_device_train_batch_size=2, learning_rate=trainer_cfg.learning_rate,
                           lr_scheduler_type=trainer_cfg.lr_scheduler_type, warmup_steps=trainer_cfg.warmup_steps,
                           weight_decay=trainer_cfg.weight_decay, num_train_epochs=trainer_cfg.num_train_epochs,
                           bf16=cpu_has_bf16(), remove_unused_columns=False)
        optimizer = make_optimizer(model, args.learning_rate, task_cfg.head_learning_rate, args.weight_decay)
        collator = ArticleCollator.for_model(model.spec, tok, training=True)
        NewsAttribTrainer(model=model, args=args, train_dataset=data, data_collator=collator, processing_class=tok,
                          optimizers=(optimizer, None), callbacks=[budget]).train()
    records = Pipeline(model.eval(), tok, batch_size=4).predict_articles(val)
    spans = {r["id"]: [(e["start"], e["end"], e["label"]) for e in r["entities"]] for r in records}
    tokens = [len(ids) for ids in data["input_ids"]]
    return result(budget, 2, tokens, entity_f1(val, spans), model.encoder, model_cfg.max_length)


def word_chunks(article, tok) -> list[dict]:
    """``run_ner.py``'s features of one article, in chunks of at most BASELINE_MAX tokens: the entity tag
    on each word's first subword, -100 on the other subwords and the special tokens (``first_of``: the
    word whose first subword a position is, else -1; the Trainer drops this column)."""
    words = words_of(article.text)
    tags = spans_to_tags(words, [(e.start, e.end, e.label) for e in article.entities])
    enc = tok([article.text[s:e] for s, e in words], is_split_into_words=True, truncation=True,
              max_length=BASELINE_MAX, return_overflowing_tokens=True)
    out, last = [], None
    for i, ids in enumerate(enc["input_ids"]):
        first = []
        for w in enc.word_ids(i):
            first.append(-1 if w is None or w == last else w)
            last = w if w is not None else last
        out.append({"input_ids": ids, "attention_mask": [1] * len(ids), "first_of": first,
                    "labels": [-100 if w < 0 else ENTITY_TAGS.index(tags[w]) for w in first]})
    return out


def baseline_spans(model, tok, article) -> list[tuple[int, int, str]]:
    """Entity spans of an article from the baseline's tag on each word's first subword."""
    words = words_of(article.text)
    tags = ["O"] * len(words)
    for chunk in word_chunks(article, tok):
        with torch.inference_mode():
            best = model(input_ids=torch.tensor([chunk["input_ids"]])).logits[0].argmax(-1).tolist()
        for w, tag in zip(chunk["first_of"], best):
            if w >= 0:
                tags[w] = ENTITY_TAGS[tag]
    return [(words[s][0], words[e - 1][1], label) for s, e, label in tags_to_spans(tags)]


def baseline_path(seconds: float, n_val: int | None) -> dict:
    torch.manual_seed(13)
    encoder = str(embedded_model_dir())
    tok = load_tokenizer(encoder)
    train, val = read_corpus(ROOT / "data/train.jsonl"), read_corpus(ROOT / "data/validation.jsonl")[:n_val]
    model = AutoModelForTokenClassification.from_pretrained(
        encoder, num_labels=len(ENTITY_TAGS), id2label=dict(enumerate(ENTITY_TAGS)),
        label2id={t: i for i, t in enumerate(ENTITY_TAGS)})
    chunks = [c for a in train for c in word_chunks(a, tok)]
    budget = TimeBudget(seconds)
    with tempfile.TemporaryDirectory() as tmp:
        args = common_args(tmp, per_device_train_batch_size=8, learning_rate=5e-5, num_train_epochs=3)
        Trainer(model=model, args=args, train_dataset=Dataset.from_list(chunks), processing_class=tok,
                data_collator=DataCollatorForTokenClassification(tok), callbacks=[budget]).train()
    model.eval()
    spans = {a.id: baseline_spans(model, tok, a) for a in val}
    tokens = [len(c["input_ids"]) - 2 for c in chunks]
    return result(budget, 8, tokens, entity_f1(val, spans), model.base_model, BASELINE_MAX)


def result(budget: TimeBudget, batch: int, tokens: list[int], f1: float, encoder, seq_len: int) -> dict:
    rate = budget.rate(batch, sum(tokens) / len(tokens))
    return {"steps": budget.steps, "train_seconds": round(budget.last - budget.start, 1), "tokens_per_s": round(rate, 1),
            "seconds_per_epoch": round(sum(tokens) / rate, 1), "peak_rss_mb": round(peak_rss_mb()),
            "validation_entity_f1": round(f1, 4), "train_flops_per_token": 3 * flops_per_token(encoder, seq_len)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help=f"{SECONDS['quick']} s a path, 16 validation articles")
    args = ap.parse_args()
    mode = "quick" if args.quick else "full"
    n_val = 16 if args.quick else None
    paths = {"newsattrib": isolated(newsattrib_path, SECONDS[mode], n_val),
             "trainer baseline": isolated(baseline_path, SECONDS[mode], n_val)}
    limit = matmul_gflops()
    base = paths["trainer baseline"]["tokens_per_s"]
    for r in paths.values():
        r["matmul_fraction"] = round(r["tokens_per_s"] * r.pop("train_flops_per_token") / 1e9 / limit, 3)
        r["speedup_vs_trainer"] = round(r["tokens_per_s"] / base, 2)
    path = write("train", {"seconds_per_path": SECONDS[mode], "matmul_fp32_gflops": round(limit, 1),
                           "long_articles": f"baseline: chunks of at most {BASELINE_MAX} tokens; newsattrib: windows",
                           "paths": paths}, args.quick)
    print(table([["path", "tokens/s", "x trainer", "s/epoch", "peak RSS MB", "matmul share", "val entity F1"]] +
                [[n, r["tokens_per_s"], r["speedup_vs_trainer"], r["seconds_per_epoch"], r["peak_rss_mb"],
                  r["matmul_fraction"], r["validation_entity_f1"]] for n, r in paths.items()]))
    print(f"{SECONDS[mode]} s of training each; written to {path}")


if __name__ == "__main__":
    main()
