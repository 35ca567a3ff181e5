"""What a training step computes: the frozen lower layers get no gradient (the backward pass stops above
them), and training windows overlap by ``train_stride``, not prediction's ``stride``."""
import pytest
from transformers import AutoTokenizer

from newsattrib.data_collator import ArticleCollator
from newsattrib.errors import NewsAttribError
from newsattrib.features import featurize
from newsattrib.modeling import build_model, encoder_layers


def test_frozen_layers_get_no_gradient_and_the_rest_do(tiny_model_dir, articles):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=8, frozen_layers=1)
    batch = ArticleCollator.for_model(model.spec, tok, training=True)([featurize(a, tok) for a in articles[:2]])
    model(**batch)["loss"].backward()
    low, high = encoder_layers(model.encoder)
    frozen = [*model.encoder.embeddings.parameters(), *low.parameters()]
    assert all(not p.requires_grad and p.grad is None for p in frozen)
    assert all(p.grad is not None for p in high.parameters())
    assert all(p.grad is not None for p in [*model.entity_head.parameters(), *model.claim_head.parameters()])


def test_more_frozen_layers_than_the_encoder_has_is_one_clear_error(tiny_model_dir):
    with pytest.raises(NewsAttribError, match="frozen_layers=3, but the encoder has 2 layers"):
        build_model(tiny_model_dir, max_length=24, stride=6, frozen_layers=3)


def test_training_windows_use_train_stride_and_prediction_windows_stride(tiny_model_dir, articles):
    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = build_model(tiny_model_dir, max_length=12, stride=4, train_stride=0)
    assert ArticleCollator.for_model(model.spec, tok, training=True).stride == 0
    assert ArticleCollator.for_model(model.spec, tok).stride == 4
    feats = [featurize(articles[0], tok)]
    n_train = ArticleCollator.for_model(model.spec, tok, training=True)(feats)["input_ids"].shape[0]
    n_predict = ArticleCollator.for_model(model.spec, tok)(feats)["input_ids"].shape[0]
    assert n_train < n_predict
    unset = build_model(tiny_model_dir, max_length=12, stride=4)
    assert ArticleCollator.for_model(unset.spec, tok, training=True).stride == 4



def test_linker_reads_the_claims_cue_context_within_its_article(tiny_model_dir, articles, tmp_path):
    import newsattrib
    from newsattrib.pipeline import load_tokenizer

    tok = AutoTokenizer.from_pretrained(tiny_model_dir)
    model = build_model(tiny_model_dir, max_length=24, stride=6, link_hidden=8, link_context=3)
    feats = [featurize(a, tok) for a in articles[:2]]
    batch = ArticleCollator.for_model(model.spec, tok, training=True)(feats)
    ctx, spans = batch["claim_context"], batch["claim_spans"]
    assert len(ctx) == len(spans) and len(ctx)
    assert (ctx[:, 1] == spans[:, 0]).all() and (ctx[:, 2] == spans[:, 1]).all()
    assert ((ctx[:, 1] - ctx[:, 0]) <= 3).all() and ((ctx[:, 3] - ctx[:, 2]) <= 3).all()
    n_first = len(feats[0]["word_token"])  # no context crosses into the other article
    first = spans[:, 0] < n_first
    assert (ctx[first, 3] <= n_first).all() and (ctx[~first, 0] >= n_first).all()
    model(**batch)["loss"].backward()
    assert model.linker.pair.weight.grad is not None
    model.save(tmp_path)  # the setting is saved: a loaded model reads the same context
    load_tokenizer(tiny_model_dir).save_pretrained(tmp_path)
    assert newsattrib.load(tmp_path).model.spec.link_context == 3
    assert newsattrib.load(tmp_path).predict_articles(articles[:1])[0]["id"] == articles[0].id
