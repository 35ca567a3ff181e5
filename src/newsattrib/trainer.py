"""The Hugging Face Trainer, taught two things: checkpoints are loadable model folders, and
evaluation is article-level strict seqeval (plus chain metrics), not token accuracy."""
from __future__ import annotations

import signal
import time

import torch
from datasets import Dataset
from transformers import Trainer, TrainerCallback

from .corpus import Article
from .evaluation import evaluate, headline
from .pipeline import Pipeline
from .schema import NEWS, Schema
from .features import featurize


def to_dataset(articles: list[Article], tokenizer, schema: Schema = NEWS) -> Dataset:
    """Model features of each article, one row an article (see ``features.featurize``)."""
    return Dataset.from_list([featurize(a, tokenizer, schema=schema) for a in articles])


def make_optimizer(model, lr: float, head_lr: float, weight_decay: float, fused: bool = False) -> torch.optim.AdamW:
    """AdamW with the pretrained encoder at ``lr`` and the randomly initialised heads at ``head_lr``;
    no weight decay on biases and LayerNorm weights. ``fused`` (on a GPU): one kernel for all parameters
    instead of several per tensor."""
    groups = {}
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        key = ("encoder" if name.startswith("encoder.") else "heads", p.ndim > 1 and "LayerNorm" not in name)
        groups.setdefault(key, []).append(p)
    return torch.optim.AdamW([{"params": ps, "lr": lr if part == "encoder" else head_lr,
                               "weight_decay": weight_decay if decay else 0.0}
                              for (part, decay), ps in groups.items()], fused=fused or None)


class NewsAttribTrainer(Trainer):
    """``eval_dataset`` is a list of gold ``Article``s: they are predicted whole, then scored."""

    def _save(self, output_dir: str | None = None, state_dict: dict | None = None) -> None:
        super()._save(output_dir, state_dict)
        if self.args.should_save:
            self.accelerator.unwrap_model(self.model).save_config(output_dir or self.args.output_dir)

    def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix: str = "eval") -> dict:
        """Predict the validation articles whole (windows merged) and score them with seqeval."""
        start = time.time()
        model = self.accelerator.unwrap_model(self.model)
        was_training = model.training
        articles: list[Article] = eval_dataset if eval_dataset is not None else self.eval_dataset
        pipe = Pipeline(model, self.processing_class, batch_size=self.args.per_device_eval_batch_size)
        report = evaluate(articles, pipe.predict_articles(articles),
                          with_claims="claim" in model.spec.heads, schema=pipe.schema)
        model.train(was_training)
        metrics = {f"{metric_key_prefix}_{k}": v for k, v in headline(report).items()}
        metrics[f"{metric_key_prefix}_runtime"] = round(time.time() - start, 2)
        self.log(metrics)
        self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics)
        return metrics


class SaveOnInterrupt(TrainerCallback):
    """Ctrl-C (SIGINT) or SIGTERM: finish the current step, save a checkpoint, stop cleanly.

    A second Ctrl-C while that happens stops at once, as Python usually does.
    """

    def __init__(self):
        self.interrupted = False
        self._previous = {}

    def on_train_begin(self, args, state, control, **kwargs):
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def on_train_end(self, args, state, control, **kwargs):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame):
        if self.interrupted:
            raise KeyboardInterrupt
        self.interrupted = True
        print(f"\n{signal.Signals(signum).name}: saving a checkpoint after this step, then stopping "
              "(again to stop at once)", flush=True)

    def on_step_end(self, args, state, control, **kwargs):
        if self.interrupted:
            control.should_save = True
            control.should_training_stop = True
