#!/usr/bin/env python
"""Score a trained model folder: `python scripts/evaluate.py ckpt_path=outputs/.../model [overrides]`."""
from pathlib import Path

import sys

import hydra
from omegaconf import DictConfig

from newsattrib.errors import check_config, NewsAttribError, user_errors
from newsattrib.pipeline import load
from newsattrib.train import score

CONFIGS = str(Path(__file__).resolve().parents[1] / "configs")


@hydra.main(version_base="1.3", config_path="../configs", config_name="evaluate")
def main(cfg: DictConfig) -> None:
    with user_errors():
        if not cfg.ckpt_path:
            raise NewsAttribError("ckpt_path is required: the model folder to evaluate (ckpt_path=outputs/.../model)")
        ckpt = Path(hydra.utils.to_absolute_path(cfg.ckpt_path))
        score(load(ckpt, cfg.batch_size), cfg, Path(cfg.output_dir), rule_baseline=cfg.rule_baseline)


if __name__ == "__main__":
    check_config("evaluate", sys.argv[1:], CONFIGS)
    main()
