"""The chain linker, whole: which mentions are scored for a claim, how a (claim, mention) pair is
described, the scorer, and how its scores fill a chain's slots.

A chain is scored as a role per mention (``ROLES``: none, origin, first relay, ...). Training labels
come from ``chain_roles``; the collator builds the pairs with ``link_pairs``; ``ChainLinker`` scores
them on the encoder's word states; decoding reads the scores back with ``choose_chain``.
"""
from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from .schema import NEWS, Schema

if TYPE_CHECKING:
    from .modeling import ModelConfig

ROLES = ("none", "origin", "relay1", "relay2", "relay3")
# defaults of ModelConfig.max_candidates, .sentence_offsets and .distance_edges (a model uses the ones
# saved with it): mentions scored per claim (the nearest ones, so pairs grow linearly with length),
# the range sentence distances are clipped to, and the word-gap bucket edges
MAX_CANDIDATES = 32
SENTENCE_OFFSETS = (-3, 2)
WORD_DISTANCE_EDGES = (0, 1, 3, 6, 11, 21, 41, 81)


def chain_roles(chain_positions: list[int], n_mentions: int) -> list[int]:
    """Role ids of all mentions for one chain given as mention indices, outermost first, origin last."""
    roles = [0] * n_mentions
    if chain_positions:
        roles[chain_positions[-1]] = ROLES.index("origin")
        for k, m in enumerate(chain_positions[:-1]):
            roles[m] = min(2 + k, len(ROLES) - 1)
    return roles


def pair_bucket(claim: tuple[int, int], mention: tuple[int, int], sents: list[int],
                sentence_offsets=SENTENCE_OFFSETS, distance_edges=WORD_DISTANCE_EDGES) -> tuple[int, int]:
    """Two small integers describing where a mention stands relative to a claim (word spans): the sentence
    bucket (one of ``n_sentence_buckets(sentence_offsets)``) and the word-gap bucket (one per edge)."""
    lo, hi = sentence_offsets
    d = max(lo, min(hi, sents[mention[0]] - sents[claim[0]]))
    side = 0 if mention[1] <= claim[0] else (2 if mention[0] >= claim[1] else 1)
    gap = claim[0] - mention[1] if side == 0 else (mention[0] - claim[1] if side == 2 else 0)
    dist = sum(gap >= edge for edge in distance_edges) - 1
    return (d - lo) * 3 + side, max(dist, 0)


def n_sentence_buckets(sentence_offsets) -> int:
    """Sentence buckets of ``pair_bucket``: each clipped sentence distance times three sides."""
    lo, hi = sentence_offsets
    return (hi - lo + 1) * 3


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


def link_pairs(features: list[dict], claims: list[list], mentions: list[list], max_candidates: int = MAX_CANDIDATES,
               sentence_offsets=SENTENCE_OFFSETS, distance_edges=WORD_DISTANCE_EDGES) -> dict[str, torch.Tensor]:
    """(claim, nearby mention) pairs of the articles of a batch, with word spans offset into the batch;
    with ``pair_role`` (the training label) when the features carry ``link_roles``."""
    claim_spans, mention_spans, pc, pm, sb, db, roles = [], [], [], [], [], [], []
    offset = 0
    for f, cl, me in zip(features, claims, mentions):
        sents = f["word_sentence"]
        c0, m0 = len(claim_spans), len(mention_spans)
        claim_spans += [[s + offset, e + offset] for s, e in cl]
        mention_spans += [[s + offset, e + offset] for s, e in me]
        starts = [m[0] for m in me]
        for i, c in enumerate(cl):
            for j in nearest_mentions(c, me, starts, max_candidates):
                s_b, d_b = pair_bucket(tuple(c), tuple(me[j]), sents, sentence_offsets, distance_edges)
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


def scored_mentions(model, collator, states: torch.Tensor, feats: dict, claims: list, mentions: list
                    ) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each claim of one article: the mentions scored for it (the nearest ones) and their role
    probabilities, from ``model.link_probs`` on the article's word ``states``."""
    pairs = collator.link_pairs([feats], [claims], [mentions])
    probs = model.link_probs(states, pairs)
    claim_of, mention_of = pairs["pair_claim"].numpy(), pairs["pair_mention"].numpy()
    return [(mention_of[claim_of == i], probs[claim_of == i]) for i in range(len(claims))]


def span_means(states: torch.Tensor, spans: torch.Tensor) -> torch.Tensor:
    """Mean of word states over each ``[start, end)`` span, through a prefix sum."""
    prefix = torch.cat([states.new_zeros(1, states.shape[1]), states.cumsum(0)])
    lengths = (spans[:, 1] - spans[:, 0]).clamp(min=1).unsqueeze(1)
    return (prefix[spans[:, 1]] - prefix[spans[:, 0]]) / lengths


class ChainLinker(nn.Module):
    """Scores the role (none / origin / k-th relay) of a mention in a claim's chain."""

    def __init__(self, hidden: int, inner: int, n_roles: int, dropout: float, n_sentence_buckets: int,
                 n_distance_buckets: int):
        super().__init__()
        self.sentence = nn.Embedding(n_sentence_buckets, inner)
        self.distance = nn.Embedding(n_distance_buckets, inner)
        self.pair = nn.Linear(4 * hidden, inner)
        self.out = nn.Sequential(nn.GELU(), nn.Dropout(dropout), nn.Linear(inner, n_roles))

    def forward(self, words, claim_spans, mention_spans, pair_claim, pair_mention, pair_sentence, pair_distance):
        """Role logits ``[n_pairs, n_roles]`` of ``link_pairs``'s pairs over the batch's word states."""
        claims = span_means(words, claim_spans)[pair_claim]
        mentions = span_means(words, mention_spans)[pair_mention]
        feats = torch.cat([claims, mentions, claims * mentions, claims - mentions], dim=-1)
        return self.out(self.pair(feats) + self.sentence(pair_sentence) + self.distance(pair_distance))


def linker_of(spec: ModelConfig, hidden: int) -> ChainLinker:
    """The chain linker a model's settings describe, over encoder states of size ``hidden``."""
    return ChainLinker(hidden, spec.link_hidden, len(spec.roles), spec.dropout,
                       n_sentence_buckets(spec.sentence_offsets), len(spec.distance_edges))


def choose_chain(label: str, role_probs: np.ndarray, roles: list[str], quoted: bool,
                 schema: Schema = NEWS, sources: list | None = None, relays_by_linker: bool = False
                 ) -> tuple[str, list[int]]:
    """Class and mention indices (outermost first, origin last) for one claim.

    The claim head's class decides how many slots the chain has (UNATTRIBUTED: none, DIRECT/INDIRECT: one,
    RELAYED: two or more); ``role_probs`` (``[n_mentions, n_roles]``, roles ``none, origin, relay1, ...``)
    decide which mentions fill them, relays while they are likely. Without the mentions a class needs,
    the class steps down, so class and chain length always agree.

    ``sources`` (one key per mention, e.g. its name) pools the origin's probability over the mentions of
    one source, so a source whose mentions share the probability is not outvoted by one other mention;
    the origin is then that source's likeliest mention, and its other mentions are never relays.
    ``relays_by_linker``: the linker alone decides whether there are relays (a first relay as likely
    as not), and a claim with relays is RELAYED whatever class the claim head gave it.
    """
    n = role_probs.shape[0]
    if label == schema.unattributed or n == 0:
        return schema.unattributed, []
    p_origin = role_probs[:, roles.index("origin")]
    origin = int(p_origin.argmax())
    if sources is not None:
        pooled: dict = {}
        for m in range(n):
            pooled[sources[m]] = pooled.get(sources[m], 0.0) + float(p_origin[m])
        best = max(pooled, key=pooled.get)
        origin = max((m for m in range(n) if sources[m] == best), key=lambda m: p_origin[m])
    relays: list[int] = []
    if label == schema.relayed or relays_by_linker:
        for k, role in enumerate(roles[2:]):
            free = [m for m in range(n) if m != origin and m not in relays
                    and (sources is None or sources[m] != sources[origin])]
            if not free:
                break
            m = max(free, key=lambda i: role_probs[i, 2 + k])
            if (k or relays_by_linker) and role_probs[m, 2 + k] < 0.5:
                break
            relays.append(m)
        if relays:
            label = schema.relayed
        elif label == schema.relayed:
            label = schema.chain_class(1, quoted)
    return label, relays + [origin]
