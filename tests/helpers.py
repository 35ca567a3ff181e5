"""Composing the project's Hydra configs for a tiny run in a temporary folder."""
from __future__ import annotations

from pathlib import Path

from hydra import compose, initialize_config_dir

from newsattrib.corpus import write_corpus

CONFIGS = str(Path(__file__).resolve().parents[1] / "configs")


def write_splits(tmp: Path, articles) -> dict[str, str]:
    files = {}
    for split, part in (("train", articles), ("validation", articles[:3]), ("test", articles[3:6])):
        files[split] = str(tmp / f"{split}.jsonl")
        write_corpus(files[split], part)
    return files


def tiny_config(tmp, model_dir: str, articles, *overrides: str, config: str = "train"):
    tmp = Path(tmp)
    files = write_splits(tmp, articles)
    base = [f"data.train=[{files['train']}]", f"data.validation=[{files['validation']}]",
            f"data.test=[{files['test']}]", f"output_dir={tmp / 'run'}"]
    if config == "train":
        base += [f"model.name_or_path={model_dir}", "model.max_length=24", "model.stride=6",
                 "task.link_hidden=16", "trainer.num_train_epochs=2", "trainer.learning_rate=1e-3",
                 "trainer.logging_steps=1", "trainer.disable_tqdm=true", "trainer.warmup_steps=0"]
    with initialize_config_dir(config_dir=CONFIGS, version_base="1.3"):
        return compose(config_name=config, overrides=base + list(overrides))
