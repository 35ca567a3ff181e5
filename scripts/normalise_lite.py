#!/usr/bin/env python
"""Bring lite sources in line with the clarified ANNOTATION.md, in place, so the change is reviewable.

`python scripts/normalise_lite.py [data/lite/*/*.json ...]` applies three rules and prints one line
per change:
1. a direct quote's claim keeps the punctuation that stands inside its closing mark;
2. claims inside one quotation region (several sentences or paragraphs, no cue between) are one;
3. named platforms (data/platforms.json) are ORG.
Run `python scripts/build_corpus.py` afterwards to rebuild the JSONL splits.
"""
import argparse
import json
import re
import sys
from pathlib import Path

from newsattrib.errors import NewsAttribError, user_errors
from newsattrib.schema import NEWS
from newsattrib.textunits import (opens_quote, punctuation_inside_marks, quotation_regions, quote_claim_span,
                                 quote_claims)

ROOT = Path(__file__).resolve().parents[1]


def occurrences(text: str, s: str) -> list[int]:
    """Start of each occurrence of ``s`` at word boundaries (the lite format's ``occ`` counts these)."""
    pat = re.escape(s)
    if re.match(r"\w", s[0]):
        pat = r"(?<!\w)" + pat
    if re.match(r"\w", s[-1]):
        pat += r"(?!\w)"
    return [m.start() for m in re.finditer(pat, text)]


def locate(text: str, ref: dict) -> int:
    return occurrences(text, ref["text"])[ref.get("occ", 1) - 1]


def reference(text: str, start: int, end: int) -> dict:
    """A lite ``{text, occ}`` naming the span ``[start, end)``."""
    s = text[start:end]
    return {"text": s, "occ": occurrences(text, s).index(start) + 1}


def platform_pattern(table: dict) -> re.Pattern:
    names = "|".join(table["names"])
    after = "|".join(table["x_after"])
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)|(?<!\w)(?:{after}) (X)(?!\w)")


def normalise(lite: dict, platforms: re.Pattern) -> list[str]:
    """Apply the rules to one lite article in place; the changes, one line each."""
    text, changes = lite["text"], []
    claims = [(locate(text, a["claim"]), a) for a in lite.get("attributions", [])]
    for start, a in claims:
        end = start + len(a["claim"]["text"])
        stop = punctuation_inside_marks(text, end) if opens_quote(text, start) else end
        if stop != end:
            a["claim"] = reference(text, start, stop)
            changes.append(f"claim {text[start:end][-30:]!r} keeps {text[end:stop]!r} inside its closing mark")
    kept = []
    for region in quotation_regions(text):
        r_start, r_end = quote_claim_span(text, region)
        inside = [(start, a) for start, a in claims if r_start <= start < r_end]
        if not inside or inside[0][0] != r_start or any(start + len(a["claim"]["text"]) > r_end for start, a in inside):
            continue  # a quote that is not (all) a claim: a name, a phrase inside reported speech
        spans = quote_claims(text, region, [(s, s + len(a["claim"]["text"])) for s, a in inside])
        groups = [[a for s, a in inside if q_start <= s < q_end] for q_start, q_end in spans]
        for (q_start, q_end), group in zip(spans, groups):
            first = group[0]
            if len(group) > 1 or first["claim"] != reference(text, q_start, q_end):
                what = f"{len(group)} claims in one quote merged" if len(group) > 1 else "claim fitted to its quote"
                changes.append(f"{what}: {text[q_start:q_start + 40]!r}...")
                first["claim"] = reference(text, q_start, q_end)
                kept.append((first, group[1:]))
    dropped = {id(a) for _, rest in kept for a in rest}
    lite["attributions"] = [a for a in lite.get("attributions", []) if id(a) not in dropped]
    for a in lite["attributions"]:
        if not NEWS.agrees(a["label"], len(a["chain"])):
            raise ValueError(f"claim {a['claim']['text'][:40]!r}: label {a['label']} with {len(a['chain'])} member(s)")
    tagged = {e["text"] for e in lite["entities"]}
    for name in sorted({m.group(1) or m.group() for m in platforms.finditer(text)} - tagged):
        lite["entities"].append({"text": name, "label": "ORG", "occ": "all"})
        changes.append(f"platform {name!r} tagged ORG")
    return changes


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--platforms", type=Path, default=ROOT / "data/platforms.json")
    args = ap.parse_args(argv)
    platforms = platform_pattern(json.loads(args.platforms.read_text(encoding="utf-8")))
    files = args.files or sorted((ROOT / "data/lite").glob("*/*.json"))
    total = 0
    for path in files:
        lite = json.loads(path.read_text(encoding="utf-8"))
        with user_errors():
            try:
                changes = normalise(lite, platforms)
            except (ValueError, IndexError) as exc:
                raise NewsAttribError(f"{path}: article {lite.get('id', '-')}: {exc}") from None
        if changes:
            path.write_text(json.dumps(lite, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            total += len(changes)
            for c in changes:
                print(f"{path}: {lite['id']}: {c}")
    print(f"{total} change(s) in {len(files)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
