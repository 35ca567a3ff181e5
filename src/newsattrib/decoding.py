"""Turn head probabilities into a record in the corpus format that is always well formed.

Claims are decided on whole text units: a quotation region (opening mark to closing mark, over
sentences and paragraphs) that the claim head marks is one claim, split only where a dashed cue
interrupts it, and pieces of one claim the head left side by side are joined; a claim outside
quotation marks (reported speech, a clause) ends at a paragraph break. A SPEAKER is a
person who is a source in the article (ANNOTATION.md), so a person named only outside every chain
is not tagged: the decision is made once per article, after the chains.

Each claim's chain comes from the linker's scores of its candidate mentions (``linking.choose_chain``),
each source then at the mention ANNOTATION.md names (``ChainContract``).
"""
from __future__ import annotations

import re

import numpy as np

from .features import tags_to_spans, word_span_of
from .linking import choose_chain
from .schema import NEWS, Schema
from .textunits import PARAGRAPH_BREAK, is_quoted, quotation_regions, quote_claim_span, quote_claims, word_sentences

DEFAULT_DECODING = {"quote_regions": True, "speakers_need_chain": True, "paragraph_bound": True,
                    "pool_mentions": False, "relays_by_linker": True, "contract_members": True}
NAME_STEM = 5  # letters of a name's last word that identify it across inflections (Давиденко/Давиденка)


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


def _type_of(probs: np.ndarray, tags: list[str], s: int, e: int) -> tuple[str, float]:
    """The type with the most B-/I- probability over words ``[s, e)``, and the mean in-span probability."""
    types = sorted({t[2:] for t in tags if t != "O"})
    mass = {t: probs[s:e, [i for i, tag in enumerate(tags) if tag[2:] == t]].sum() for t in types}
    best = max(types, key=mass.get)
    return best, float(1.0 - probs[s:e, tags.index("O")].mean())


def paragraph_starts(text: str, words: list[tuple[int, int]]) -> set[int]:
    """Indices of the words that open a paragraph (a blank line before them), the first word aside."""
    return {i for i in range(1, len(words)) if PARAGRAPH_BREAK.search(text, words[i - 1][1], words[i][0])}


def split_at_paragraphs(text: str, words: list[tuple[int, int]], spans: list[tuple],
                        starts: set[int]) -> list[tuple]:
    """Claims cut where a paragraph begins: reported speech is a clause (ANNOTATION.md), and only a
    quote runs over paragraphs, which ``claims_on_quotes`` makes whole again afterwards."""
    out = []
    for s, e, *rest in spans:
        cuts = [s] + [i for i in range(s + 1, e) if i in starts] + [e]
        out += [(a, b, *rest) for a, b in zip(cuts, cuts[1:]) if _has_word(text, words, a, b)]
    return out


def claims_on_quotes(text: str, words: list[tuple[int, int]], spans: list[tuple], probs: np.ndarray,
                     tags: list[str], keep_apart: set[int] = frozenset()) -> list[tuple[int, int, str, float]]:
    """Claim spans with each quotation region the head marks as one claim (see ``quote_claims``).

    A region whose words the head puts mostly inside claims becomes a claim even where no piece
    of it was decoded; a region inside a longer claim (a quoted phrase in reported speech) is left
    to that claim. Touching pieces are joined, except at the words of ``keep_apart``.
    """
    out = list(spans)
    o = tags.index("O")
    for region in quotation_regions(text):
        r = word_span_of(words, *quote_claim_span(text, region))
        if r is None:
            continue
        pieces = [sp for sp in out if sp[0] < r[1] and sp[1] > r[0]]
        if any(sp[0] <= r[0] and sp[1] >= r[1] and (_has_word(text, words, sp[0], r[0])
                                                    or _has_word(text, words, r[1], sp[1])) for sp in pieces):
            continue  # a quoted phrase inside a longer claim
        if not pieces and (r[1] - r[0] < 3 or 1.0 - probs[r[0]:r[1], o].mean() < 0.5):
            continue
        # a piece that straddles an edge of the region keeps only its part outside it
        outside = [(a, b, *sp[2:]) for sp in pieces for a, b in ((sp[0], r[0]), (r[1], sp[1]))
                   if a < b and _has_word(text, words, a, b)]
        inside = [(words[max(sp[0], r[0])][0], words[min(sp[1], r[1]) - 1][1]) for sp in pieces] \
            or [quote_claim_span(text, region)]
        whole = [word_span_of(words, a, b) for a, b in quote_claims(text, region, inside)]
        out = [sp for sp in out if sp not in pieces] + outside + \
            [(a, b, *_type_of(probs, tags, a, b)) for a, b in whole]
    return _join_adjacent(sorted(out), keep_apart)


def _has_word(text: str, words: list[tuple[int, int]], a: int, b: int) -> bool:
    """Whether words ``[a, b)`` hold a letter or digit (not only marks and punctuation)."""
    return any(text[words[i][0]].isalnum() for i in range(a, b))


def _join_adjacent(spans: list[tuple[int, int, str, float]], keep_apart: set[int]) -> list[tuple[int, int, str, float]]:
    """Claims of one type that touch (``B-X`` right after ``I-X``) are one claim cut by the tagger,
    unless the second starts at a word of ``keep_apart``."""
    out: list[tuple[int, int, str, float]] = []
    for sp in spans:
        if out and out[-1][1] == sp[0] and out[-1][2] == sp[2] and sp[0] not in keep_apart:
            s, _, lab, score = out[-1]
            n1, n2 = out[-1][1] - s, sp[1] - sp[0]
            out[-1] = (s, sp[1], lab, (score * n1 + sp[3] * n2) / (n1 + n2))
        elif not out or sp[0] >= out[-1][1]:
            out.append(sp)
    return out


def name_key(text: str) -> str:
    """What identifies a person across mentions: the start of the name's last word, case folded."""
    last = re.findall(r"\w+", text)
    return last[-1].casefold()[:NAME_STEM] if last else ""


def source_key(text: str, person: bool) -> str:
    """Which source a mention names: a person by ``name_key`` (surname, any inflection), anything else
    by its whole name (``Security Service of Ukraine`` is not ``Armed Forces of Ukraine``)."""
    return name_key(text) if person else " ".join(text.casefold().split())


class ChainContract:
    """Which mentions ANNOTATION.md lets into a claim's chain, and which mention of a source stands there.

    A source counts if it is named in the claim's own sentences or in the sentence right after them that
    reports it, or is referred to there by a pronoun or role noun (``the president said``), which resolves
    to the nearest earlier mention of its name. So a source named only further on is no member, and the
    member is its mention nearest the claim in the claim's own sentences; else its mention in the next
    sentence or its nearest earlier one (when both exist, the linker's likelier; a next sentence that
    holds another claim reports that claim, not this one). The linker scores each (claim, mention) pair
    on its own, so it cannot know which mention of a name is the nearest earlier one; this rule does.
    """

    def __init__(self, text: str, words: list[tuple[int, int]], mentions: list[tuple[int, int]], keys: list[str],
                 claims: list[tuple[int, int]]):
        self.sent = word_sentences(text, words)
        self.mentions, self.keys = mentions, keys  # word spans and source keys (``source_key``)
        self.by_key: dict[str, list[int]] = {}
        for k, key in enumerate(keys):
            self.by_key.setdefault(key, []).append(k)
        self.claim_sentences = {self.sent[i] for s, e in claims for i in (s, e - 1)}

    def member(self, j: int, claim: tuple[int, int], score=None) -> int | None:
        """The mention that stands for the source of mention ``j`` in ``claim``'s chain, None when the
        contract lets no mention of it in; ``score(k)``: the linker's probability for mention ``k`` in
        this role (None: any admissible mention will do, only admissibility is asked)."""
        first, last = self.sent[claim[0]], self.sent[claim[1] - 1]
        same = [k for k in self.by_key[self.keys[j]]
                if not (self.mentions[k][0] >= claim[0] and self.mentions[k][1] <= claim[1])]

        def gap(k):
            return max(claim[0] - self.mentions[k][1], self.mentions[k][0] - claim[1])

        own = [k for k in same if first <= self.sent[self.mentions[k][0]] <= last]
        if own:
            return min(own, key=gap)
        following = [k for k in same if self.sent[self.mentions[k][0]] == last + 1]
        following = min(following, key=gap) if following else None
        earlier = [k for k in same if self.mentions[k][1] <= claim[0]]
        earlier = max(earlier, key=lambda k: self.mentions[k][0]) if earlier else None
        if following is None or earlier is None:
            return earlier if following is None else following
        if last + 1 in self.claim_sentences or score is None:
            return earlier
        return following if score(following) > score(earlier) else earlier


def contract_chain(label: str, role_probs: np.ndarray, candidates: np.ndarray, claim: tuple[int, int],
                   contract: ChainContract, choose, reclass) -> tuple[str, list[int]]:
    """``choose(label, role_probs)`` (a ``choose_chain``) over the candidates whose source may be a member,
    each chosen mention then moved to the one the contract names; indices into the article's mentions.
    Where no candidate's source may be a member, the linker's choice stands unmoved; a chain that lost a
    relay this way gets ``reclass(n_members)``, so class and length still agree."""
    allowed = np.array([contract.member(int(c), claim) is not None for c in candidates], dtype=bool)
    if not allowed.any():
        label, chain = choose(label, role_probs)
        return label, [int(candidates[m]) for m in chain]
    probs = role_probs.copy()
    probs[~allowed, 1:] = 0.0
    label, chain = choose(label, probs)
    row = {int(c): i for i, c in enumerate(candidates)}
    out: list[int] = []
    for position, m in enumerate(chain[::-1]):  # origin (role 1) first, then relays (roles 2, 3, ...)
        role = 1 + position

        def score(k, role=role):
            return probs[row[k], role] if k in row else 0.0

        member = contract.member(int(candidates[m]), claim, score)
        if member is not None and member not in out:  # a relay that is the origin's source again is dropped
            out.insert(0, member)
    return (label if len(out) == len(chain) else reclass(len(out))), out


def drop_silent_speakers(record: dict, text: str, person: str) -> dict:
    """Remove mentions of type ``person`` (SPEAKER) of persons who are in no chain (ANNOTATION.md: a
    SPEAKER is a source), and renumber entity ids; a mention counts as the person of a chain member
    with the same name key."""
    ents = {e["id"]: e for e in record["entities"]}
    sources = {name_key(text[ents[m]["start"]:ents[m]["end"]]) for a in record["attributions"] for m in a["chain"]
               if ents[m]["label"] == person}
    kept = [e for e in record["entities"]
            if e["label"] != person or name_key(text[e["start"]:e["end"]]) in sources]
    ids = {e["id"]: f"e{i + 1}" for i, e in enumerate(kept)}
    record["entities"] = [{**e, "id": ids[e["id"]]} for e in kept]
    for a in record["attributions"]:
        a["chain"] = [ids[m] for m in a["chain"]]
    return record


def decode_article(text: str, words: list[tuple[int, int]], entity_probs: np.ndarray, entity_tags: list[str],
                   claim_probs: np.ndarray | None = None, claim_tags: list[str] | None = None,
                   link_probs=None, roles: list[str] | None = None, decoding: dict | None = None,
                   schema: Schema = NEWS) -> dict:
    """Entities, and when the claim head ran, attributions.

    ``link_probs(claims, mentions)`` gives for each claim the indices of the mentions it scored and their
    ``[n, n_roles]`` probabilities; mentions it did not score are not in that claim's chain. ``decoding``
    switches the article-level rules (``DEFAULT_DECODING``); ``schema`` names the source types and classes.
    """
    decoding = {**DEFAULT_DECODING, **(decoding or {})}

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
        starts = paragraph_starts(text, words) if decoding["paragraph_bound"] else set()
        if starts:
            claims = split_at_paragraphs(text, words, claims, starts)
        if decoding["quote_regions"]:
            claims = claims_on_quotes(text, words, claims, claim_probs, claim_tags, starts)
        mentions = [e for e in entities if e["label"] in schema.sources]
        names = [source_key(text[m["start"]:m["end"]], m["label"] == schema.person) for m in mentions]
        claim_words = [(s, e) for s, e, _, _ in claims]
        contract = ChainContract(text, words, [m["_words"] for m in mentions], names, claim_words) \
            if decoding["contract_members"] else None
        none = (np.zeros(0, dtype=np.int64), np.zeros((0, len(roles))))
        scored = link_probs(claim_words, [m["_words"] for m in mentions]) if claims and mentions \
            else [none] * len(claims)
        for i, (s, e, lab, score) in enumerate(claims):
            start, end = char_span(s, e)
            candidates, probs = scored[i]
            # which source each candidate names, only where pooled
            sources = [names[c] for c in candidates] if decoding["pool_mentions"] else None

            quoted = is_quoted(text, start, end)

            def choose(label, role_probs, quoted=quoted, sources=sources):
                return choose_chain(label, role_probs, roles, quoted, schema, sources, decoding["relays_by_linker"])

            if contract is not None:
                label, chain = contract_chain(lab, probs, candidates, (s, e), contract, choose,
                                              lambda n, quoted=quoted: schema.chain_class(n, quoted))
            else:
                label, chain = choose(lab, probs)
                chain = [int(candidates[m]) for m in chain]
            record["attributions"].append({"id": f"a{i + 1}", "claim": {"start": start, "end": end},
                                           "chain": [mentions[m]["id"] for m in chain], "label": label,
                                           "score": round(score, 4)})
        if decoding["speakers_need_chain"] and schema.person:
            record = drop_silent_speakers(record, text, schema.person)
    for e in record["entities"]:
        del e["_words"]
    return record
