"""brat standoff (``NAME.txt`` and ``NAME.ann``) to articles.

Entities are the ``T`` lines. A discontinuous one (``T1 ORG 0 5;10 16``) is an error, or with
``discontinuous="hull"`` the span from its first fragment's start to its last fragment's end. Lines of
types the corpus has no place for (attributes ``A``, notes ``#``, normalisations ``N``, equivalences
``*``) are read past.

Attributions: a ``T`` span whose type is one of ``options.claim_labels`` is a claim, not an entity. Its sources are
the entities linked to it by a relation (``R1 Source Arg1:T4 Arg2:T2``, either direction) or named with it
in an event (``E1 Said:T9 Content:T4 Speaker:T2``; the trigger is the cue and is no entity), of the types
in ``options.relation_types`` (any type when it is empty). The chain lists them in the order of the ``.ann`` file:
relations by line, an event's roles as written, outermost relay first, origin last. A claim with no source
is UNATTRIBUTED; the class of the others follows from the chain and the quotation marks (``schema.Schema.chain_class``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NewsAttribError
from .spans import Claim, Mention, Options, Summary, attach_sources, clean_text, make_record, same_words

IGNORED = ("A", "M", "#", "N", "*")


@dataclass
class _Ann:
    """The lines of one .ann file that matter here, by id."""
    spans: dict[str, tuple[int, int, str, str]] = field(default_factory=dict)  # id -> start, end, type, where
    links: list[tuple[str, list[str], str]] = field(default_factory=list)  # type, argument ids, where
    triggers: set[str] = field(default_factory=set)


def documents(inputs: list[str]) -> list[tuple[Path, str]]:
    """(``.ann`` path, article id) of every document named: a ``.ann`` or ``.txt`` file (its pair is
    implied) or a folder, searched below for ``.ann`` files, whose ids are their paths inside it."""
    found = []
    for name in inputs:
        p = Path(name)
        if p.is_dir():
            anns = sorted(p.rglob("*.ann"))
            if not anns:
                raise NewsAttribError(f"{p}: no .ann files in this folder")
            found += [(a, a.relative_to(p).with_suffix("").as_posix()) for a in anns]
        elif p.suffix in (".ann", ".txt"):
            found.append((p.with_suffix(".ann"), p.stem))
        else:
            raise NewsAttribError(f"{p}: not a brat file: give NAME.ann, NAME.txt or a folder of them")
    return found


def read_brat(ann_path: Path, article_id: str, options: Options, discontinuous: str, summary: Summary) -> dict:
    """One document as a corpus record."""
    txt_path = ann_path.with_suffix(".txt")
    raw = _read(txt_path)
    text, moved = clean_text(raw)
    ann = _parse(ann_path, raw, discontinuous)
    mentions, claims = [], {}
    for key, (start, end, label, where) in ann.spans.items():
        if key in ann.triggers:
            continue
        if label in options.claim_labels:
            claims[key] = Claim(moved(start), moved(end), where, key)
        else:
            mentions.append(Mention(moved(start), moved(end), label, where, key))
    for kind, args, where in ann.links:
        for arg in args:
            if arg not in ann.spans:
                raise NewsAttribError(f"{where}: {arg} is not a text-bound annotation (T line) of this file")
    attach_sources(claims, ann.links, options)
    return make_record(article_id, text, mentions, list(claims.values()), options, summary.notes)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise NewsAttribError(f"{path}: missing (a brat document is NAME.txt with NAME.ann)") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise NewsAttribError(f"{path}:{line}: not UTF-8 text") from None


def _parse(path: Path, raw: str, discontinuous: str) -> _Ann:
    ann, seen = _Ann(), set()
    for lineno, line in enumerate(_read(path).splitlines(), start=1):
        where = f"{path}:{lineno}"
        if not line.strip() or line.startswith(IGNORED):
            continue
        key, _, rest = line.partition("\t")
        if key in seen:
            raise NewsAttribError(f"{where}: id {key} is used twice")
        seen.add(key)
        fields = rest.split("\t")
        if key.startswith("T") and len(fields) >= 2:
            ann.spans[key] = _text_bound(fields, raw, discontinuous, where)
        elif key.startswith("R") and len(fields[0].split()) == 3:
            kind, *args = fields[0].split()
            ann.links.append((kind, [_argument(a, where) for a in args], where))
        elif key.startswith("E") and fields[0].split():
            kind, trigger = _role(fields[0].split()[0], where)
            ann.triggers.add(trigger)
            ann.links.append((kind, [_argument(a, where) for a in fields[0].split()[1:]], where))
        else:
            raise NewsAttribError(f"{where}: not a brat annotation line (T, R, E, A, M, N, # or *): {line[:60]!r}")
    return ann


def _text_bound(fields: list[str], raw: str, discontinuous: str, where: str) -> tuple[int, int, str, str]:
    label, _, offsets = fields[0].partition(" ")
    try:
        fragments = [tuple(int(x) for x in f.split()) for f in offsets.split(";")]
        if not fragments or any(len(f) != 2 for f in fragments):
            raise ValueError
    except ValueError:
        raise NewsAttribError(f"{where}: offsets {offsets!r} are not START END[;START END...]") from None
    for start, end in fragments:
        if not 0 <= start < end <= len(raw):
            raise NewsAttribError(f"{where}: span [{start}, {end}) is out of range for {len(raw)} characters of text")
    shown = " ".join(raw[s:e] for s, e in fragments)
    if not same_words(shown, fields[1]):
        raise NewsAttribError(f"{where}: the text at {offsets} is {shown[:40]!r}, the line says {fields[1][:40]!r}")
    if len(fragments) > 1 and discontinuous == "error":
        raise NewsAttribError(f"{where}: discontinuous span {offsets}; the corpus has only continuous ones "
                              "(--discontinuous hull takes the span from the first fragment to the last)")
    return fragments[0][0], fragments[-1][1], label, where


def _role(arg: str, where: str) -> tuple[str, str]:
    role, colon, ref = arg.partition(":")
    if not colon or not role or not ref:
        raise NewsAttribError(f"{where}: argument {arg!r} is not ROLE:ID")
    return role, ref


def _argument(arg: str, where: str) -> str:
    return _role(arg, where)[1]
