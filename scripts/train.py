#!/usr/bin/env python
"""Train newsattrib, then score the test split: `python scripts/train.py [overrides]` (`-m` sweeps)."""
import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig

from newsattrib.errors import check_config, user_errors

CONFIGS = str(Path(__file__).resolve().parents[1] / "configs")


@hydra.main(version_base="1.3", config_path="../configs", config_name="train")
def main(cfg: DictConfig) -> None:
    with user_errors():
        from newsattrib.train import train  # after the config is checked: torch takes seconds to import
        train(cfg)


if __name__ == "__main__":
    check_config("train", sys.argv[1:], CONFIGS)
    main()
