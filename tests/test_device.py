"""The model's device everywhere: prediction, linking and evaluation move every input to where the model is,
and the GPU preset composes as documented.

CI has no GPU, so the model goes to PyTorch's ``meta`` device: a check on every module's inputs fails on a
tensor left on the CPU. Outputs leave the model only through ``modeling.to_host``, which the test replaces
with random probabilities of the right shape (a meta tensor holds no numbers).
"""
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from torch import nn
from hydra import compose, initialize_config_dir
from transformers import AutoTokenizer

from newsattrib import modeling
from newsattrib.linking import ChainLinker
from newsattrib.modeling import NewsAttribModel, build_model, encoder_config
from newsattrib.errors import NewsAttribError
from newsattrib.pipeline import Pipeline, resolve_device
from newsattrib.train import training_arguments

from helpers import CONFIGS


class StandInEncoder(nn.Module):
    """The transformer's shape on ``meta``: transformers' attention masks look at values, which meta tensors
    lack. Its inputs are checked like every module's."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embeddings = nn.Embedding(config.vocab_size, config.hidden_size)

    def get_input_embeddings(self):
        return self.embeddings

    def forward(self, input_ids, attention_mask):
        return SimpleNamespace(last_hidden_state=self.embeddings(input_ids) * attention_mask.unsqueeze(-1))


def test_every_tensor_reaching_the_model_is_on_its_device(tiny_model_dir, articles, monkeypatch):
    spec = build_model(tiny_model_dir, max_length=32, stride=8).spec
    model = NewsAttribModel(spec, StandInEncoder(encoder_config(spec.encoder))).to("meta")
    reached = set()

    def on_model_device(module, args, kwargs):
        for t in [*args, *kwargs.values()]:
            if isinstance(t, torch.Tensor):
                assert t.device.type == "meta", f"{type(module).__name__} got a tensor on {t.device}"
                reached.add(type(module))

    for m in model.modules():
        m.register_forward_pre_hook(on_model_device, with_kwargs=True)
    rng = np.random.default_rng(0)

    def random_probs(t: torch.Tensor) -> np.ndarray:
        p = rng.random(t.shape)
        return p / p.sum(-1, keepdims=True)

    monkeypatch.setattr(modeling, "to_host", random_probs)
    records = Pipeline(model, AutoTokenizer.from_pretrained(tiny_model_dir)).predict_articles(articles)
    assert len(records) == len(articles)
    assert any(a["chain"] for r in records for a in r["attributions"])
    assert ChainLinker in reached  # the linker ran, on the model's device too


@pytest.mark.parametrize("overrides,per_device,accumulation", [
    (["trainer=gpu"], 2, 1),                      # the main job's schedule on a GPU, as documented
    (["trainer=gpu", "articles_per_step=8"], 8, 1),
    (["trainer=gpu", "articles_per_step=32"], 8, 4),     # per_device_train_batch_size is a memory cap
    (["articles_per_step=2"], 2, 1),                     # the CPU default
    (["articles_per_step=3"], 1, 3),
])
def test_articles_per_step_on_any_number_of_processes(overrides, per_device, accumulation):
    with initialize_config_dir(config_dir=CONFIGS, version_base="1.3"):
        cfg = compose(config_name="train", overrides=overrides + ["output_dir=unused"])
    if "trainer=gpu" in overrides:
        cfg.trainer.bf16 = False  # TrainingArguments refuses bf16 where no GPU has it
    args = training_arguments(cfg)
    assert (args.per_device_train_batch_size, args.gradient_accumulation_steps) == (per_device, accumulation)


def test_device_names():
    assert resolve_device("auto") == torch.device("cuda" if torch.cuda.is_available() else "cpu")
    assert resolve_device("cpu") == torch.device("cpu")
    with pytest.raises(NewsAttribError, match="device 'gpu0' cannot be used here"):
        resolve_device("gpu0")


@pytest.mark.parametrize("has_bf16", [False, True])
def test_bf16_only_where_the_cpu_has_it(monkeypatch, has_bf16):
    """Without bf16 instructions the run trains in float32: also in the mixed precision accelerate reads,
    not only in the flag (autocast to emulated bf16 made each step ~30x slower on an AVX2 machine)."""
    import newsattrib.train as train_module
    monkeypatch.setattr(train_module, "cpu_has_bf16", lambda: has_bf16)
    monkeypatch.delenv("ACCELERATE_MIXED_PRECISION", raising=False)
    with initialize_config_dir(config_dir=CONFIGS, version_base="1.3"):
        cfg = compose(config_name="train", overrides=["output_dir=unused"])
    args = training_arguments(cfg)
    assert args.bf16 is has_bf16
    assert args.mixed_precision == ("bf16" if has_bf16 else "no")


def test_the_selection_metric_is_one_the_task_reports():
    with initialize_config_dir(config_dir=CONFIGS, version_base="1.3"):
        cfg = compose(config_name="train", overrides=["output_dir=unused", "task=entities",
                                                      "task.metric_for_best_model=eval_joint_score"])
    with pytest.raises(NewsAttribError, match="eval_joint_score is not a validation metric of task=entities; "
                                              "one of eval_entity_f1$"):
        training_arguments(cfg)


def test_every_head_needs_a_loss_weight(tiny_model_dir):
    with pytest.raises(NewsAttribError, match="no weight for the claim, link head"):
        build_model(tiny_model_dir, task="joint", loss_weights={"entity": 1.0})
    assert build_model(tiny_model_dir, task="entities", loss_weights={"entity": 1.0}).spec.loss_weights == {"entity": 1.0}
