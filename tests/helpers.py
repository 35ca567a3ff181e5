"""Composing the project's Hydra configs for a tiny run in a temporary folder."""
from __future__ import annotations

from pathlib import Path

from hydra import compose, initialize_config_dir

from newsattrib.corpus import write_corpus

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = str(ROOT / "configs")


def write_splits(tmp: Path, articles) -> dict[str, str]:
    files = {}
    for split, part in (("train", articles), ("validation", articles[:3]), ("test", articles[3:6])):
        files[split] = str(tmp / f"{split}.jsonl")
        write_corpus(files[split], part)
    return files


def tiny_overrides(tmp, model_dir: str, articles, *overrides: str, config: str = "train") -> list[str]:
    """Command-line overrides for a run of the tiny model on ``articles``, writing under ``tmp/run``."""
    tmp = Path(tmp)
    files = write_splits(tmp, articles)
    base = [f"data.train=[{files['train']}]", f"data.validation=[{files['validation']}]",
            f"data.test=[{files['test']}]", "data.generated=0", f"output_dir={tmp / 'run'}"]
    if config == "train":
        base += [f"model.name_or_path={model_dir}", "model.max_length=24", "model.stride=6",
                 "model.frozen_layers=1",
                 "++task.heads.link_hidden=16", "trainer.num_train_epochs=2", "trainer.learning_rate=1e-3",
                 "trainer.logging_steps=1", "trainer.disable_tqdm=true", "trainer.warmup_steps=0"]
    return base + list(overrides)


def tiny_config(tmp, model_dir: str, articles, *overrides: str, config: str = "train"):
    with initialize_config_dir(config_dir=CONFIGS, version_base="1.3"):
        return compose(config_name=config, overrides=tiny_overrides(tmp, model_dir, articles, *overrides,
                                                                     config=config))
