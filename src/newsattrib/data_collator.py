"""Batches of whole articles: windows for the encoder, indices to gather words back, link pairs.

A batch is a few articles, not a few windows, because the chain linker needs every
mention of an article, also those outside the claim's window.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from .features import SENTENCE_OFFSETS, WORD_DISTANCE_EDGES, owners, pair_bucket, windows

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

    from .modeling import ModelConfig

# default of ModelConfig.max_candidates: mentions scored per claim, the nearest ones, so pairs grow linearly
# with length (a model uses the number saved with it)
MAX_CANDIDATES = 32


def nearest_mentions(claim, mentions, starts: list[int], k: int = MAX_CANDIDATES) -> list[int]:
    """Indices of the ``k`` mentions closest (in words) to a claim, in text order.

    Mentions are in text order, so only the ``k`` on each side of the claim can qualify.
    """
    def gap(j):
        m = mentions[j]
        return max(claim[0] - m[1], m[0] - claim[1], 0)
    at = bisect.bisect_left(starts, claim[0])
    near = range(max(0, at - k), min(len(mentions), at + k))
    return sorted(sorted(near, key=gap)[:k])


@dataclass
class ArticleCollator:
    cls_id: int
    sep_id: int
    pad_id: int
    max_length: int = 512  # window size including the two special tokens
    stride: int = 64
    # the link pairs: mentions scored per claim and pair_bucket's settings (ModelConfig's fields)
    max_candidates: int = MAX_CANDIDATES
    sentence_offsets: tuple[int, int] = SENTENCE_OFFSETS
    distance_edges: tuple[int, ...] = WORD_DISTANCE_EDGES

    @classmethod
    def for_model(cls, spec: ModelConfig, tokenizer: PreTrainedTokenizerBase) -> ArticleCollator:
        """The collator of a model: its saved window and link-pair settings, its tokenizer's special tokens."""
        return cls(tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id,
                   spec.max_length, spec.stride, spec.max_candidates, tuple(spec.sentence_offsets),
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
        """(claim, nearby mention) pairs of each article, with word spans offset into the batch."""
        claim_spans, mention_spans, pc, pm, sb, db, roles = [], [], [], [], [], [], []
        offset = 0
        for f, cl, me in zip(features, claims, mentions):
            sents = f["word_sentence"]
            c0, m0 = len(claim_spans), len(mention_spans)
            claim_spans += [[s + offset, e + offset] for s, e in cl]
            mention_spans += [[s + offset, e + offset] for s, e in me]
            starts = [m[0] for m in me]
            for i, c in enumerate(cl):
                for j in nearest_mentions(c, me, starts, self.max_candidates):
                    m = me[j]
                    s_b, d_b = pair_bucket(tuple(c), tuple(m), sents, self.sentence_offsets, self.distance_edges)
                    pc.append(c0 + i)
                    pm.append(m0 + j)
                    sb.append(s_b)
                    db.append(d_b)
                    if "link_roles" in f:
                        roles.append(f["link_roles"][i][j])
            offset += len(f["word_token"])
        out = {
            "claim_spans": torch.tensor(claim_spans, dtype=torch.long).reshape(-1, 2),
            "mention_spans": torch.tensor(mention_spans, dtype=torch.long).reshape(-1, 2),
            "pair_claim": torch.tensor(pc, dtype=torch.long),
            "pair_mention": torch.tensor(pm, dtype=torch.long),
            "pair_sentence": torch.tensor(sb, dtype=torch.long),
            "pair_distance": torch.tensor(db, dtype=torch.long),
        }
        if roles or "link_roles" in features[0]:
            out["pair_role"] = torch.tensor(roles, dtype=torch.long)
        return out
