"""The published model as downstream code uses it: ``newsattrib.load(path).predict(text)``."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

import numpy as np
import torch
from transformers import AutoTokenizer, PreTrainedTokenizerFast

from .corpus import Article
from .data_collator import ArticleCollator
from .errors import NewsAttribError
from .decoding import decode_article
from .modeling import NewsAttribModel
from .tokenizer import featurize, words_of

MAX_CHARS = 100_000  # longer texts are read in pieces of this size, so memory stays bounded


class Pipeline:
    def __init__(self, model: NewsAttribModel, tokenizer: PreTrainedTokenizerFast, batch_size: int = 4):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        cfg = model.spec
        self.collator = ArticleCollator(tokenizer.cls_token_id, tokenizer.sep_token_id, tokenizer.pad_token_id,
                                        cfg.max_length, cfg.stride)

    @torch.no_grad()
    def predict_articles(self, articles: Iterable[Article], progress: bool = False) -> list[dict]:
        """Records in the corpus format (with scores) for articles; their gold spans are ignored."""
        articles = list(articles)
        out = []
        steps = range(0, len(articles), self.batch_size)
        if progress:
            from tqdm.auto import tqdm
            steps = tqdm(steps, desc="predict", unit="batch")
        for i in steps:
            out += self._predict_batch(articles[i:i + self.batch_size])
        return out

    def predict(self, text: str, lang: str | None = None, id: str = "doc") -> dict:
        """One record for one plain text; very long texts are read in pieces and joined back."""
        text = text if isinstance(text, str) else str(text)
        pieces = [text[i:i + MAX_CHARS] for i in range(0, len(text), MAX_CHARS)] or [""]
        records = self.predict_articles([Article(f"{id}#{k}", lang or "", p) for k, p in enumerate(pieces)])
        return _join(records, pieces, id, lang)

    def _predict_batch(self, articles: list[Article]) -> list[dict]:
        feats = [featurize(a, self.tokenizer, with_labels=False) for a in articles]
        nonempty = [i for i, f in enumerate(feats) if f["word_token"]]
        results = {}  # by position in the batch: ids need not be unique in user input
        if nonempty:
            batch = self.collator([feats[i] for i in nonempty])
            words = self.model.word_states(**{k: batch[k] for k in
                                              ("input_ids", "attention_mask", "token_window", "token_pos",
                                               "word_token")})
            ent = torch.softmax(self.model.entity_head(words), -1).numpy()
            claim = torch.softmax(self.model.claim_head(words), -1).numpy() if hasattr(self.model, "claim_head") \
                else None
            start = 0
            for i in nonempty:
                n = len(feats[i]["word_token"])
                results[i] = (words[start:start + n], ent[start:start + n],
                              None if claim is None else claim[start:start + n], feats[i])
                start += n
        out = []
        cfg = self.model.spec
        for i, art in enumerate(articles):
            words = words_of(art.text)
            if i not in results:
                rec = {"text": art.text, "entities": [], "attributions": []}
            else:
                states, ent, claim, f = results[i]
                rec = decode_article(art.text, words, ent, cfg.entity_tags, claim, cfg.claim_tags,
                                     lambda c, m, s=states, f=f: self._link_probs(s, f, c, m), cfg.roles)
            out.append({"id": art.id, "lang": art.lang, **rec})
        return out

    def _link_probs(self, states, feats, claims, mentions) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each claim: the mentions scored for it (the nearest ones) and their role probabilities."""
        pairs = ArticleCollator.link_pairs([feats], [claims], [mentions])
        logits = self.model.link_logits(states, **{k: v for k, v in pairs.items() if k != "pair_role"})
        probs = torch.softmax(logits, -1).numpy()
        claim_of, mention_of = pairs["pair_claim"].numpy(), pairs["pair_mention"].numpy()
        return [(mention_of[claim_of == i], probs[claim_of == i]) for i in range(len(claims))]


def _join(records: list[dict], pieces: list[str], id: str, lang: str | None) -> dict:
    """One record from the records of consecutive pieces of a text, with offsets and ids shifted."""
    out = {"id": id, "lang": lang or "", "text": "".join(pieces), "entities": [], "attributions": []}
    offset = 0
    for rec, piece in zip(records, pieces):
        ids = {}
        for e in rec["entities"]:
            ids[e["id"]] = f"e{len(out['entities']) + 1}"
            out["entities"].append({**e, "id": ids[e["id"]], "start": e["start"] + offset,
                                    "end": e["end"] + offset})
        for a in rec["attributions"]:
            out["attributions"].append({**a, "id": f"a{len(out['attributions']) + 1}",
                                        "claim": {"start": a["claim"]["start"] + offset,
                                                  "end": a["claim"]["end"] + offset},
                                        "chain": [ids[m] for m in a["chain"]]})
        offset += len(piece)
    return out


def load_tokenizer(path: str | os.PathLike) -> PreTrainedTokenizerFast:
    tok = AutoTokenizer.from_pretrained(str(path), use_fast=True, trust_remote_code=False)
    if not tok.is_fast:
        raise ValueError(f"{path}: newsattrib needs a fast tokenizer (tokenizer.json) for character offsets")
    return tok


def load(path: str | os.PathLike, batch_size: int = 4) -> Pipeline:
    """Load a published model folder (``newsattrib.json``, ``model.safetensors``, tokenizer files)."""
    path = Path(path)
    return Pipeline(NewsAttribModel.load(path), load_tokenizer(path), batch_size)


def read_texts(path: str | os.PathLike, lang: str | None = None) -> list[Article]:
    """Prediction input: a ``.jsonl`` file of records with ``text`` (``id``, ``lang`` optional), or a plain
    text file read as one article. Problems are reported as ``FILE:LINE: article ID: ...``."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NewsAttribError(f"{path}:0: article -: not valid UTF-8 (byte {exc.start})") from None
    if path.suffix != ".jsonl":
        return [Article(path.stem, lang or "", raw.replace("\r\n", "\n"))]
    out, problems = [], []
    for lineno, line in enumerate(raw.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{lineno}: article -: broken JSON: {exc.msg} at column {exc.colno}")
            continue
        art_id = rec.get("id", f"{path.stem}-{lineno}") if isinstance(rec, dict) else "-"
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            problems.append(f"{path}:{lineno}: article {art_id}: needs a string 'text'")
            continue
        out.append(Article(str(art_id), str(rec.get("lang") or lang or ""), rec["text"]))
    if problems:
        raise NewsAttribError("\n".join(problems))
    return out
