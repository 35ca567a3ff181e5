"""The entity tagger of a newsattrib model as a plain ``AutoModelForTokenClassification``.

Stand-in until the export helper's version is merged: it lets the benchmarks run the model's
encoder and entity head through ``transformers.pipeline("token-classification")``.
"""
from __future__ import annotations

from transformers import AutoModelForTokenClassification, PreTrainedModel, PreTrainedTokenizerFast

from .modeling import encoder_config


def token_classification_model(nlp) -> tuple[PreTrainedModel, PreTrainedTokenizerFast]:
    """``(model, tokenizer)`` of a ``newsattrib.load`` pipeline: its encoder's weights, ``entity_head`` as
    ``classifier`` and the entity tags as ``id2label``."""
    spec = nlp.model.spec
    tags = spec.entity_tags
    config = encoder_config({**spec.encoder, "id2label": dict(enumerate(tags)),
                             "label2id": {t: i for i, t in enumerate(tags)}})
    model = AutoModelForTokenClassification.from_config(config)
    base = getattr(model, model.base_model_prefix)
    base.load_state_dict(nlp.model.encoder.state_dict(), strict=False)  # the encoder has no pooler
    model.classifier.load_state_dict(nlp.model.entity_head.state_dict())
    return model.to(nlp.model.device).eval(), nlp.tokenizer
