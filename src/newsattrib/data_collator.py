"""Batches of whole articles: windows for the encoder, indices to gather words back, link pairs.

A batch is a few articles, not a few windows, because the chain linker needs every
mention of an article, also those outside the claim's window.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from .features import owners, windows
from .linking import MAX_CANDIDATES, SENTENCE_OFFSETS, WORD_DISTANCE_EDGES, link_pairs

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from .modeling import ModelConfig


@dataclass
class ArticleCollator:
    cls_id: int
    sep_id: int
    pad_id: int
    max_length: int = 512  # window size including the two special tokens
    stride: int = 64
    # the link pairs: mentions scored per claim and linking.pair_bucket's settings (ModelConfig's fields)
    max_candidates: int = MAX_CANDIDATES
    sentence_offsets: tuple[int, int] = SENTENCE_OFFSETS
    distance_edges: tuple[int, ...] = WORD_DISTANCE_EDGES

    @classmethod
    def for_model(cls, spec: ModelConfig, tokenizer: PreTrainedTokenizerBase, training: bool = False
                  ) -> ArticleCollator:
        """The collator of a model: its saved window and link-pair settings, its tokenizer's special tokens;
        ``training``: the windows overlap by the model's ``train_stride``."""
        stride = spec.train_stride if training and spec.train_stride is not None else spec.stride
        return cls(tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id,
                   spec.max_length, stride, spec.max_candidates, tuple(spec.sentence_offsets),
                   tuple(spec.distance_edges))

    def __call__(self, features: list[dict]) -> dict[str, torch.Tensor]:
        win_ids: list[list[int]] = []
        token_window, token_pos, word_token = [], [], []
        tokens_before = 0
        for f in features:
            ids = f["input_ids"]
            spans = windows(len(ids), self.max_length - 2, self.stride)
            base = len(win_ids)
            win_ids += [[self.cls_id] + ids[s:e] + [self.sep_id] for s, e in spans]
            for w, p in owners(len(ids), spans):
                token_window.append(base + w)
                token_pos.append(p + 1)  # +1 for the leading special token
            word_token += [tokens_before + t for t in f["word_token"]]
            tokens_before += len(ids)
        width = max(len(w) for w in win_ids)
        batch = {
            "input_ids": torch.tensor([w + [self.pad_id] * (width - len(w)) for w in win_ids]),
            "attention_mask": torch.tensor([[1] * len(w) + [0] * (width - len(w)) for w in win_ids]),
            "token_window": torch.tensor(token_window, dtype=torch.long),
            "token_pos": torch.tensor(token_pos, dtype=torch.long),
            "word_token": torch.tensor(word_token, dtype=torch.long),
        }
        if "entity_tags" in features[0]:
            batch["entity_tags"] = torch.tensor([t for f in features for t in f["entity_tags"]])
            batch["claim_tags"] = torch.tensor([t for f in features for t in f["claim_tags"]])
            batch.update(self.link_pairs(features, [f["claim_spans"] for f in features],
                                         [f["mention_spans"] for f in features]))
        return batch

    def link_pairs(self, features: list[dict], claims: list[list], mentions: list[list]) -> dict[str, torch.Tensor]:
        """``linking.link_pairs`` with this collator's (the model's) settings."""
        return link_pairs(features, claims, mentions, self.max_candidates, self.sentence_offsets, self.distance_edges)
