#!/usr/bin/env python
"""Score a trained model folder: `python scripts/evaluate.py ckpt_path=outputs/.../model [overrides]`."""
from pathlib import Path

import sys

import hydra
from omegaconf import DictConfig

from newsattrib.errors import check_config, NewsAttribError, user_errors
from newsattrib.fileio import read_model_folder

CONFIGS = str(Path(__file__).resolve().parents[1] / "configs")


@hydra.main(version_base="1.3", config_path="../configs", config_name="evaluate")
def main(cfg: DictConfig) -> None:
    with user_errors():
        if not cfg.ckpt_path:
            raise NewsAttribError("ckpt_path is required: the model folder to evaluate (ckpt_path=outputs/.../model)")
        ckpt = Path(hydra.utils.to_absolute_path(cfg.ckpt_path))
        if isinstance(cfg.batch_size, bool) or not isinstance(cfg.batch_size, int) or cfg.batch_size < 1:
            raise NewsAttribError(f"batch_size must be a whole number of 1 or more, got {cfg.batch_size!r}")
        read_model_folder(ckpt)  # before torch loads: a broken file is named
        from newsattrib.pipeline import load
        from newsattrib.train import score
        decoding = {k: v for k, v in cfg.decoding.items() if v is not None}
        score(load(ckpt, cfg.batch_size, decoding, cfg.device, cfg.backend), cfg, Path(cfg.output_dir),
              rule_baseline=cfg.rule_baseline)


if __name__ == "__main__":
    check_config("evaluate", sys.argv[1:], CONFIGS)
    main()
