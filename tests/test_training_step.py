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

