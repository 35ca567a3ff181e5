"""Token tags to entity spans under the IOB1, IOB2 and BIOES rules, strict or repaired.

A sentence's tags become ``(first token, last token + 1, label)`` spans. A tag sequence the scheme does
not allow (IOB2 ``O I-PER``, BIOES ``B-PER O``) is an error at that token, or, with ``repair``, read
the way conlleval reads it (an ``I-``/``E-`` that continues nothing starts an entity, an entity left open
ends at the last token of its type) and counted.
"""
from __future__ import annotations

SCHEMES = {"iob1": "BIO", "iob2": "BIO", "bioes": "BIOES"}


class TagError(ValueError):
    """A tag at ``index`` of the sentence that is malformed or breaks the scheme's rules."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


def split_tag(tag: str, scheme: str, index: int) -> tuple[str, str]:
    """``B-PER`` -> ``("B", "PER")``, ``O`` -> ``("O", "")``; anything else the scheme lacks is a TagError."""
    if tag == "O":
        return "O", ""
    prefix, dash, label = tag.partition("-")
    if not dash or not label or len(prefix) != 1:
        raise TagError(index, f"tag {tag!r} is not O or PREFIX-LABEL")
    if prefix not in SCHEMES[scheme]:
        hint = " (these look like BIOES tags: --scheme bioes)" if prefix in "ES" else ""
        raise TagError(index, f"tag {tag!r}: {scheme.upper()} has no {prefix}- prefix{hint}")
    return prefix, label


def spans_of(tags: list[str], scheme: str, repair: bool = False) -> tuple[list[tuple[int, int, str]], int]:
    """Entity spans of one sentence's tags, and how many invalid tags were repaired."""
    spans: list[tuple[int, int, str]] = []
    open_at, open_label, repaired = None, "", 0

    def close(end: int) -> None:
        nonlocal open_at
        if open_at is not None:
            spans.append((open_at, end, open_label))
        open_at = None

    def invalid(index: int, message: str) -> None:
        nonlocal repaired
        if not repair:
            raise TagError(index, message + " (--repair-tags reads it as conlleval does)")
        repaired += 1

    for i, tag in enumerate(tags):
        prefix, label = split_tag(tag, scheme, i)
        continues = open_at is not None and label == open_label
        before = repr(tags[i - 1]) if i else "the start of the sentence"
        if scheme == "bioes" and open_at is not None and prefix in "BSO":
            invalid(i, f"{tags[i - 1]!r} is followed by {tag!r}: a BIOES entity ends with E- (or is one S-)")
            close(i)
            continues = False
        if prefix == "O":
            close(i)
        elif prefix == "I" and continues:
            pass
        elif prefix == "I":
            if scheme != "iob1":
                invalid(i, f"{tag!r} after {before} continues no {label} entity")
            close(i)
            open_at, open_label = i, label
        elif prefix == "B":
            if scheme == "iob1" and not continues:
                invalid(i, f"{tag!r} after {before}: IOB1 uses B- only to start a {label} entity right after "
                           f"another")
            close(i)
            open_at, open_label = i, label
        elif prefix == "E":
            if not continues:
                invalid(i, f"{tag!r} after {before} ends no {label} entity")
                close(i)
                open_at, open_label = i, label
            close(i + 1)
        else:  # S
            close(i)
            spans.append((i, i + 1, label))
    if scheme == "bioes" and open_at is not None:
        invalid(len(tags) - 1, f"the sentence ends inside a {open_label} entity (BIOES ends it with E-)")
    close(len(tags))
    return spans, repaired
