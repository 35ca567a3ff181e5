"""Fixtures: a tiny randomly initialised BERT and a tokenizer trained in the test, and small articles."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

from newsattrib.corpus import Article, Attribution, Entity

# one cache of the converted embedded model for the whole suite (git-ignored), unless the user set one
os.environ.setdefault("NEWSATTRIB_CACHE", str(Path(__file__).resolve().parents[1] / ".cache"))

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]


def make_article(id: str, lang: str, parts: list) -> Article:
    """Build an article from pieces: plain strings, ("ENT", label, text) and ("CLAIM", label, text, [ent keys]).

    Entity pieces may carry a key as 4th item to be named in chains.
    """
    text, ents, claims, keys = "", [], [], {}
    for p in parts:
        if isinstance(p, str):
            text += p
            continue
        start = len(text)
        text += p[2]
        if p[0] == "ENT":
            e = Entity(f"e{len(ents) + 1}", start, len(text), p[1])
            ents.append(e)
            keys[p[3] if len(p) > 3 else p[2]] = e.id
        else:
            claims.append((start, len(text), p[1], p[3]))
    atts = [Attribution(f"a{i + 1}", s, e, tuple(keys[k] for k in chain), label)
            for i, (s, e, label, chain) in enumerate(claims)]
    return Article(id, lang, text, ents, atts)


def sample_articles() -> list[Article]:
    """A few articles in three languages with every entity type and chain class."""
    out = []
    for i in range(4):
        out.append(make_article(f"en-{i}", "en", [
            "According to ", ("ENT", "ORG", "Censor.NET"), ", ",
            ("CLAIM", "RELAYED", f"the brigade destroyed {i + 3} tanks near the river", ["Censor.NET", "ArmyInform", "Bohdan Okhrimenko"]),
            ", ", ("ENT", "SPEAKER", "Bohdan Okhrimenko"), " told ", ("ENT", "ORG", "ArmyInform"), ". \"",
            ("CLAIM", "DIRECT", "We are holding the line,", ["Okhrimenko"]), "\" ",
            ("ENT", "SPEAKER", "Okhrimenko", "Okhrimenko"), " said. The ",
            ("ENT", "PROGRAM", "Army of Drones"), " program received ", ("ENT", "QUANTITY", "$5 million"),
            ". Earlier it was reported that ", ("CLAIM", "UNATTRIBUTED", "the bridge was closed", []), ".\n\n",
            ("ENT", "SPEAKER", "Olena Kovalenko", "Kovalenko"), " said ",
            ("CLAIM", "INDIRECT", f"about {i + 10} drones were shot down overnight", ["Kovalenko"]), "."]))
        out.append(make_article(f"uk-{i}", "uk", [
            "Як повідомляє ", ("ENT", "ORG", "Укрінформ"), ", ", ("ENT", "SPEAKER", "Андрій Коваль"), " заявив, що ",
            ("CLAIM", "RELAYED", f"сили оборони знищили {i + 20} дронів", ["Укрінформ", "Андрій Коваль"]),
            ". «", ("CLAIM", "DIRECT", "Ми тримаємо позиції", ["Андрій Коваль"]), "», — сказав він. Програма «",
            ("ENT", "PROGRAM", "Хочу жити"), "» отримала ", ("ENT", "QUANTITY", "понад 50 тисяч"), " звернень."]))
        out.append(make_article(f"ru-{i}", "ru", [
            ("ENT", "SPEAKER", "Иван Петров"), " сообщил, что ",
            ("CLAIM", "INDIRECT", f"в регионе работают {i + 5} бригад", ["Иван Петров"]), ". По данным ",
            ("ENT", "ORG", "ТАСС"), ", ", ("CLAIM", "INDIRECT", "переговоры продолжатся", ["ТАСС"]), "."]))
    return out


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    return sample_articles()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, articles) -> str:
    """A randomly initialised 2-layer BERT and a Unigram tokenizer trained on the sample texts."""
    folder = tmp_path_factory.mktemp("tiny-encoder")
    tok = Tokenizer(models.Unigram())
    tok.normalizer = normalizers.NFKC()
    tok.pre_tokenizer = pre_tokenizers.Metaspace()
    tok.decoder = decoders.Metaspace()
    texts = [a.text for a in articles] + ["The quick brown fox. Швидка лисиця. Быстрая лиса. 0123456789 $%«»„“\"'"]
    tok.train_from_iterator(texts, trainers.UnigramTrainer(vocab_size=400, special_tokens=SPECIALS,
                                                           unk_token="<unk>"))
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", tok.token_to_id("<s>")), ("</s>", tok.token_to_id("</s>"))])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", cls_token="<s>",
                                   sep_token="</s>", pad_token="<pad>", unk_token="<unk>", mask_token="<mask>",
                                   model_max_length=128)
    fast.save_pretrained(folder)
    config = BertConfig(vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128,
                        pad_token_id=fast.pad_token_id)
    BertModel(config).save_pretrained(folder)
    return str(folder)
