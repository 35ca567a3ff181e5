"""Turn head probabilities into a record in the corpus format that is always well formed.

How the claim head and the linker are reconciled: the claim head's class decides how many
sources the chain has (UNATTRIBUTED: none, DIRECT/INDIRECT: one, RELAYED: two or more), and
the linker decides which mentions fill the slots (origin first, then relay 1, 2, ... while
they are likely). When the article lacks the mentions a class needs, the class steps down
(RELAYED to DIRECT/INDIRECT, those to UNATTRIBUTED), so class and chain length always agree.
"""
from __future__ import annotations

import numpy as np

from .corpus import CHAIN_MEMBER_LABELS
from .tokenizer import tags_to_spans

QUOTES_OPEN = "\"'«„“‘‹"
QUOTES_CLOSE = "\"'»“”’›"


def allowed_transitions(tags: list[str]) -> np.ndarray:
    """``[from, to]`` mask of IOB2: ``I-X`` only after ``B-X`` or ``I-X``."""
    ok = np.ones((len(tags), len(tags)), dtype=bool)
    for j, to in enumerate(tags):
        if to.startswith("I-"):
            ok[:, j] = [frm[2:] == to[2:] for frm in tags]
    return ok


def viterbi(probs: np.ndarray, tags: list[str]) -> np.ndarray:
    """The most probable tag sequence that is valid IOB2 (per-word probabilities, no learned transitions)."""
    logp = np.log(np.clip(probs, 1e-12, None))
    penalty = np.where(allowed_transitions(tags), 0.0, -np.inf)
    start = np.array([0.0 if not t.startswith("I-") else -np.inf for t in tags])
    score, back = start + logp[0], np.zeros(probs.shape, dtype=np.int64)
    for i in range(1, len(probs)):
        cand = score[:, None] + penalty
        back[i] = cand.argmax(0)
        score = cand.max(0) + logp[i]
    path = [int(score.argmax())]
    for i in range(len(probs) - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return np.array(path[::-1])


def spans_with_scores(probs: np.ndarray, tags: list[str]) -> list[tuple[int, int, str, float]]:
    """Word spans of the best valid IOB2 path, with the mean probability of their tags as score."""
    if not len(probs):
        return []
    best = viterbi(probs, tags)
    spans = tags_to_spans([tags[i] for i in best])
    return [(s, e, t, float(probs[np.arange(s, e), best[s:e]].mean())) for s, e, t in spans]


def is_quoted(text: str, start: int, end: int) -> bool:
    before, after = text[:start].rstrip(), text[end:].lstrip(" ,.")
    return bool(before) and before[-1] in QUOTES_OPEN and bool(after) and after[0] in QUOTES_CLOSE


def choose_chain(label: str, role_probs: np.ndarray, roles: list[str], quoted: bool) -> tuple[str, list[int]]:
    """Class and mention indices (outermost first, origin last) for one claim.

    ``role_probs`` is ``[n_mentions, n_roles]``; roles are ``none, origin, relay1, ...``.
    """
    n = role_probs.shape[0]
    if label == "UNATTRIBUTED" or n == 0:
        return "UNATTRIBUTED", []
    origin = int(role_probs[:, roles.index("origin")].argmax())
    relays: list[int] = []
    if label == "RELAYED":
        for k, role in enumerate(roles[2:]):
            free = [m for m in range(n) if m != origin and m not in relays]
            if not free:
                break
            m = max(free, key=lambda i: role_probs[i, 2 + k])
            if k and role_probs[m, 2 + k] < 0.5:
                break
            relays.append(m)
        if not relays:
            label = "DIRECT" if quoted else "INDIRECT"
    return label, relays + [origin]


def decode_article(text: str, words: list[tuple[int, int]], entity_probs: np.ndarray, entity_tags: list[str],
                   claim_probs: np.ndarray | None = None, claim_tags: list[str] | None = None,
                   link_probs=None, roles: list[str] | None = None) -> dict:
    """Entities, and when the claim head ran, attributions.

    ``link_probs(claims, mentions)`` gives for each claim the indices of the mentions it scored and their
    ``[n, n_roles]`` probabilities; mentions it did not score are not in that claim's chain.
    """
    def char_span(s, e):
        return words[s][0], words[e - 1][1]

    entities = []
    for i, (s, e, lab, score) in enumerate(spans_with_scores(entity_probs, entity_tags)):
        start, end = char_span(s, e)
        entities.append({"id": f"e{i + 1}", "start": start, "end": end, "label": lab,
                         "score": round(score, 4), "_words": (s, e)})
    record = {"text": text, "entities": entities, "attributions": []}
    if claim_probs is not None and len(words):
        claims = spans_with_scores(claim_probs, claim_tags)
        mentions = [e for e in entities if e["label"] in CHAIN_MEMBER_LABELS]
        none = (np.zeros(0, dtype=np.int64), np.zeros((0, len(roles))))
        scored = link_probs([(s, e) for s, e, _, _ in claims], [m["_words"] for m in mentions]) \
            if claims and mentions else [none] * len(claims)
        for i, (s, e, lab, score) in enumerate(claims):
            start, end = char_span(s, e)
            candidates, probs = scored[i]
            label, chain = choose_chain(lab, probs, roles, is_quoted(text, start, end))
            record["attributions"].append({"id": f"a{i + 1}", "claim": {"start": start, "end": end},
                                           "chain": [mentions[candidates[m]]["id"] for m in chain], "label": label,
                                           "score": round(score, 4)})
    for e in entities:
        del e["_words"]
    return record
