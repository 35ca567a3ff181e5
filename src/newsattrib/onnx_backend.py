"""Prediction through onnxruntime: the encoder and the two tagging heads run as one ONNX graph.

The graph maps windows (``input_ids``, ``attention_mask``) to token states and per-token entity (and
claim) logits; the heads are Linear layers, so a word's logits are its first token's, gathered after
the graph exactly as ``NewsAttribModel.word_states`` gathers states. The chain linker is small and runs on
the word states of a whole article, so it stays in torch (its weights are read from the same
``model.safetensors``); ``OnnxModel`` offers what ``Pipeline`` asks of a model: ``spec``, ``head_probs``,
``link_probs``.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open
from torch import nn

from .errors import NewsAttribError
from .fileio import WEIGHTS_NAME
from .linking import linker_of
from .modeling import INFERENCE_TOKENS, WORD_INPUTS, NewsAttribModel, load_config, to_host

ONNX_INPUTS = ("input_ids", "attention_mask")
OPSET = 18


class EncoderHeads(nn.Module):
    """What the ONNX graph computes: token states and per-token logits of the tagging heads."""

    def __init__(self, model: NewsAttribModel):
        super().__init__()
        self.encoder, self.entity_head = model.encoder, model.entity_head
        self.claim_head = getattr(model, "claim_head", None)

    def forward(self, input_ids, attention_mask):
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        heads = [self.entity_head(states)] + ([self.claim_head(states)] if self.claim_head is not None else [])
        return (states, *heads)


def output_names(model) -> list[str]:
    return ["states", "entity_logits"] + (["claim_logits"] if "claim" in model.spec.heads else [])


def export_onnx(model: NewsAttribModel, path: str | Path) -> Path:
    """Write the encoder with its tagging heads as ONNX (windows and their length free)."""
    path = Path(path)
    wrapped = EncoderHeads(model).eval().cpu()
    n = min(model.spec.max_length, 16)
    example = (torch.ones(2, n, dtype=torch.long), torch.ones(2, n, dtype=torch.long))
    free = {0: torch.export.Dim.DYNAMIC, 1: torch.export.Dim.DYNAMIC}  # windows, tokens
    # the exporter's notes on operators this model does not use (torchvision's), on each graph pass (shown
    # when a Hydra script has set the root logger to INFO) and its own deprecations
    logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)
    for name in ("onnx_ir", "onnxscript", "torch.onnx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.onnx.export(wrapped, example, str(path), input_names=list(ONNX_INPUTS),
                          output_names=output_names(model), dynamic_shapes=(free, free), opset_version=OPSET,
                          dynamo=True, external_data=False, verbose=False)
    return path


class OnnxModel(nn.Module):
    """A published model folder's ``model.onnx`` in an onnxruntime session, and its linker in torch."""

    device = torch.device("cpu")  # onnxruntime's CPU provider; the linker stays beside it
    link_probs = NewsAttribModel.link_probs

    def __init__(self, folder: str | Path, providers: list[str] | None = None):
        super().__init__()
        import onnxruntime as ort

        folder = Path(folder)
        self.spec = load_config(folder)
        graph = folder / "model.onnx"
        if not graph.is_file():
            raise NewsAttribError(f"{graph}: missing; the onnx backend needs a folder written by "
                                  f"scripts/export.py (ckpt_path={folder} out=DIR), then backend=onnx on DIR")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self.session = ort.InferenceSession(str(graph), options, providers=providers or ["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 - onnxruntime's errors for a broken or foreign file
            raise NewsAttribError(f"{graph}: not a usable ONNX graph ({str(exc).splitlines()[0][:160]})") from None
        self._outputs = [o.name for o in self.session.get_outputs()]
        if "claim" in self.spec.heads:
            hidden = self.spec.encoder["hidden_size"]
            self.linker = linker_of(self.spec, hidden)
            with safe_open(folder / WEIGHTS_NAME, framework="pt") as f:
                state = {k[len("linker."):]: f.get_tensor(k) for k in f.keys() if k.startswith("linker.")}
            self.linker.load_state_dict(state)
        self.eval()

    def window_outputs(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> dict[str, np.ndarray]:
        """The graph's outputs for windows, about ``INFERENCE_TOKENS`` tokens at a time so memory stays bounded."""
        chunk = max(1, INFERENCE_TOKENS // input_ids.shape[1])
        parts = [self.session.run(None, {"input_ids": input_ids[i:i + chunk], "attention_mask": attention_mask[i:i + chunk]})
                 for i in range(0, len(input_ids), chunk)]
        return {name: np.concatenate([p[k] for p in parts]) for k, name in enumerate(self._outputs)}

    @torch.no_grad()
    def head_probs(self, batch: dict) -> tuple[torch.Tensor, np.ndarray, np.ndarray | None]:
        """As ``NewsAttribModel.head_probs``: word states (torch, for ``link_probs``), entity and claim
        probabilities per word."""
        b = {k: batch[k].numpy() for k in WORD_INPUTS}
        out = self.window_outputs(b["input_ids"], b["attention_mask"])
        at = (b["token_window"][b["word_token"]], b["token_pos"][b["word_token"]])

        def probs(name):
            return to_host(torch.softmax(torch.from_numpy(out[name][at]), -1))

        claim = probs("claim_logits") if "claim_logits" in out else None
        return torch.from_numpy(out["states"][at]), probs("entity_logits"), claim
