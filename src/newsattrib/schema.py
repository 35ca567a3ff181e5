"""The label schema: entity types, which of them can be sources, the chain classes and their rule.

One object says what a corpus may contain and what a model predicts, so a corpus with other labels
(PER/ORG/LOC/MISC) trains with ``schema=conll task=entities`` and no code change. It comes from the
config's ``schema`` group, and is saved in the model's ``newsattrib.json`` beside the tag lists it
implies (as SpanMarker keeps ``id2label``), so a model folder always says what its outputs mean.

The chain classes keep ANNOTATION.md's rule whatever they are called: no source is the
``unattributed`` class, one source ``quoted`` (direct speech) or ``reported`` (indirect), two or
more ``relayed``.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

CHAIN_KINDS = ("quoted", "reported", "relayed", "unattributed")  # the order of the claim head's types


def bio_tags(types: tuple[str, ...] | list[str]) -> list[str]:
    """``O`` then ``B-T``/``I-T`` for each type: the tag vocabulary of one head."""
    return ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]


@dataclass(frozen=True)
class Schema:
    """Defaults are ANNOTATION.md's labels (``configs/schema/news.yaml`` says the same)."""
    entities: tuple[str, ...] = ("SPEAKER", "ORG", "PROGRAM", "QUANTITY")
    sources: tuple[str, ...] = ("SPEAKER", "ORG")  # entity types a chain may hold
    person: str | None = "SPEAKER"  # a mention of this type is kept only if the person is a source somewhere
    quoted: str = "DIRECT"
    reported: str = "INDIRECT"
    relayed: str = "RELAYED"
    unattributed: str = "UNATTRIBUTED"

    @property
    def chain_classes(self) -> tuple[str, ...]:
        return tuple(getattr(self, k) for k in CHAIN_KINDS)

    @property
    def entity_tags(self) -> list[str]:
        return bio_tags(self.entities)

    @property
    def claim_tags(self) -> list[str]:
        return bio_tags(self.chain_classes)

    def chain_class(self, n_sources: int, quoted: bool) -> str:
        """The class a chain of ``n_sources`` members has (``quoted``: the claim is in quotation marks)."""
        if n_sources == 0:
            return self.unattributed
        if n_sources > 1:
            return self.relayed
        return self.quoted if quoted else self.reported

    def agrees(self, label: str, n_sources: int) -> bool:
        """ANNOTATION.md's rule tying a chain's class to its length."""
        if label == self.unattributed:
            return n_sources == 0
        if label == self.relayed:
            return n_sources >= 2
        return n_sources == 1

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, raw: Any) -> "Schema":
        """A schema from a plain mapping (a resolved config, ``newsattrib.json``); ValueError says what is wrong."""
        if raw is None:
            return cls()
        if isinstance(raw, Schema):
            return raw
        if not isinstance(raw, dict):
            raise ValueError(f"a schema must be a mapping, not {type(raw).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"unknown schema key(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}")
        schema = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()})
        schema.check()
        return schema

    def check(self) -> None:
        def names(v):
            return isinstance(v, tuple) and all(isinstance(x, str) and x and "-" not in x for x in v)

        if not self.entities or not names(self.entities) or len(set(self.entities)) != len(self.entities):
            raise ValueError(f"schema.entities must be distinct non-empty names without '-', got {list(self.entities)}")
        if not names(self.sources) or not set(self.sources) <= set(self.entities):
            raise ValueError(f"schema.sources {list(self.sources)} must be among schema.entities {list(self.entities)}")
        if self.person is not None and self.person not in self.sources:
            raise ValueError(f"schema.person {self.person!r} must be null or one of schema.sources {list(self.sources)}")
        classes = self.chain_classes
        if not names(classes) or len(set(classes)) != len(classes):
            raise ValueError(f"the chain classes {list(classes)} must be four distinct names without '-'")


NEWS = Schema()


def read_schema(path: str | Path | None) -> Schema:
    """A schema from a YAML file like ``configs/schema/*.yaml`` (None: ANNOTATION.md's), for the tools
    that read corpora without Hydra (``validate.py --schema``); a bad file is one NewsAttribError."""
    if path is None:
        return NEWS
    import yaml

    from .errors import NewsAttribError
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return Schema.from_dict(raw)
    except OSError as exc:
        raise NewsAttribError(f"{path}: cannot read the schema ({exc.strerror or exc})") from None
    except (yaml.YAMLError, TypeError, ValueError) as exc:
        raise NewsAttribError(f"{path}: not a label schema ({str(exc).splitlines()[0]})") from None
