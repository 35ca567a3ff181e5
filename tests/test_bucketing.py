"""Prediction encodes windows sorted by length in chunks cut to their longest window: the word states
are those of one call on windows padded to the longest."""
import torch

from newsattrib import modeling
from newsattrib.corpus import Article
from newsattrib.data_collator import ArticleCollator
from newsattrib.modeling import WORD_INPUTS, build_model
from newsattrib.pipeline import load_tokenizer
from newsattrib.tokenizer import featurize


def test_bucketed_states_match_one_padded_call(tiny_model_dir, articles, monkeypatch):
    torch.manual_seed(0)
    model = build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=16).eval()
    tok = load_tokenizer(tiny_model_dir)
    short = [Article("s1", "en", "Okhrimenko said."), Article("s2", "uk", "Коваль заявив, що дрони збито.")]
    feats = [featurize(a, tok, with_labels=False) for a in [short[0], *articles[:4], short[1]]]
    batch = ArticleCollator(tok.cls_token_id, tok.sep_token_id, tok.pad_token_id, 24, 6)(feats)
    assert len(set(batch["attention_mask"].sum(1).tolist())) > 1  # windows of several lengths
    inputs = {k: batch[k] for k in WORD_INPUTS}
    monkeypatch.setattr(modeling, "INFERENCE_TOKENS", 24 * 3)  # several chunks
    with torch.inference_mode():
        bucketed = model.word_states(**inputs)
        hidden = model.encoder(input_ids=inputs["input_ids"], attention_mask=inputs["attention_mask"]).last_hidden_state
        plain = hidden[inputs["token_window"], inputs["token_pos"]][inputs["word_token"]]
    torch.testing.assert_close(bucketed, plain, rtol=1e-5, atol=1e-5)
