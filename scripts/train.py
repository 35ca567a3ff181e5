#!/usr/bin/env python
"""Train newsattrib, then score the test split: `python scripts/train.py [overrides]` (`-m` sweeps)."""
import hydra
from omegaconf import DictConfig

from newsattrib.errors import user_errors
from newsattrib.train import train


@hydra.main(version_base="1.3", config_path="../configs", config_name="train")
def main(cfg: DictConfig) -> None:
    with user_errors():
        train(cfg)


if __name__ == "__main__":
    main()
