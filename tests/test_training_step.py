"""What a training step computes: the frozen lower layers get no gradient (the backward pass stops above
them), training windows overlap by ``train_stride``, not prediction's ``stride``, and the origin is learnt
as a choice among a claim's candidate mentions."""
import pytest
import torch
from transformers import AutoTokenizer

from newsattrib.data_collator import ArticleCollator
from newsattrib.errors import NewsAttribError
from newsattrib.features import featurize
from newsattrib.linking import ROLES, origin_choice_loss
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


def test_origin_choice_loss_is_a_softmax_over_each_claims_candidates():
    """Claim 0 has three candidates (origin the second), claim 1 none at all, claim 2 two (origin the
    second), claim 3 one candidate that is not its origin: only claims 0 and 2 count, and the gradient
    stays finite although claim 1 has no pair."""
    logits = torch.randn(6, len(ROLES), requires_grad=True)
    pair_claim = torch.tensor([0, 0, 0, 2, 2, 3])
    pair_role = torch.tensor([0, 1, 0, 0, 1, 0])
    loss = origin_choice_loss(logits, pair_claim, pair_role, 4)
    loss.backward()
    score = logits[:, 1] - logits[:, 0]
    expected = ((torch.logsumexp(score[:3], 0) - score[1]) + (torch.logsumexp(score[3:5], 0) - score[4])) / 2
    assert torch.allclose(loss, expected)
    assert torch.isfinite(logits.grad).all() and not logits.grad[5].any()
    assert origin_choice_loss(logits, pair_claim, torch.zeros(6, dtype=torch.long), 4).item() == 0.0
