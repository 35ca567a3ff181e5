"""Counts that describe a corpus: what the data card shows and the corpus checks assert."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .corpus import Article
from .schema import NEWS, Schema
from .textunits import quotation_regions

# forms of real news, recognised on the text (a heuristic count for the data card, not a label)
FORMS = {
    "capitals": re.compile(r"^(?=.*\b[^\W\d_]{2,}\b)[^a-zа-яёіїєґ]*$", re.M),   # a line with no lower-case letter
    "markdown": re.compile(r"\*\*\w|\]\(https?://|(?<!\w)#\w"),                  # bold, links, hashtags
    "tokenised": re.compile(r"\w [.,:;!?] \w|[«„“] \w"),                            # spaces around punctuation
    "interview": re.compile(r"^(?:Q:|A:|В:|О:|Питання|Вопрос|— .*\?$)", re.M),       # question-and-answer lines
}


def _quantiles(values: list[int]) -> str:
    v = sorted(values) or [0]
    return "/".join(str(v[int(q * (len(v) - 1))]) for q in (0.5, 0.9)) + f"/{v[-1]}"


def corpus_stats(articles: list[Article], schema: Schema = NEWS) -> dict:
    """Per language and overall: articles, words, mentions and distinct names per label, claims per class."""
    groups = defaultdict(list)
    for a in articles:
        groups[a.lang].append(a)
        groups["all"].append(a)
    out = {}
    for lang, arts in groups.items():
        words = [len(re.findall(r"\w+", a.text)) for a in arts]
        mentions, names, classes = Counter(), defaultdict(set), Counter()
        for a in arts:
            for e in a.entities:
                mentions[e.label] += 1
                names[e.label].add(a.text[e.start:e.end])
            classes.update(att.label for att in a.attributions)
        n_claims = sum(classes.values())
        claim_words = [len(re.findall(r"\w+", a.text[c.start:c.end])) for a in arts for c in a.attributions]
        styles = Counter(q.opener for a in arts for q in quotation_regions(a.text))
        out[lang] = {
            "words_median": sorted(words)[len(words) // 2],
            "claim_words_median_p90_max": _quantiles(claim_words),
            "claims_60_words": sum(n >= 60 for n in claim_words),
            "claims_over_paragraphs": sum("\n\n" in a.text[c.start:c.end] for a in arts for c in a.attributions),
            "quote_styles": dict(styles.most_common()),
            "forms": {name: sum(len(pat.findall(a.text)) >= (1 if name != "tokenised" else 3) for a in arts)
                      for name, pat in FORMS.items()},
            "articles": len(arts), "words_min": min(words), "words_max": max(words),
            "words_mean": round(sum(words) / len(words), 1),
            "mentions": {l: mentions[l] for l in schema.entities},
            "distinct": {l: len(names[l]) for l in schema.entities},
            "claims": n_claims,
            "classes": {c: classes[c] for c in schema.chain_classes},
            "class_share": {c: round(classes[c] / n_claims, 3) if n_claims else 0.0 for c in schema.chain_classes},
        }
    return out


def format_stats(stats: dict) -> str:
    langs = sorted(k for k in stats if k != "all") + ["all"]
    rows = [("articles", lambda s: s["articles"]),
            ("words min/mean/max", lambda s: f"{s['words_min']}/{s['words_mean']:.0f}/{s['words_max']}")]
    first = stats["all"]
    rows += [(f"{l} mentions (distinct)", lambda s, l=l: f"{s['mentions'][l]} ({s['distinct'][l]})")
             for l in first["mentions"]]
    rows += [("words median", lambda s: s["words_median"])]
    rows += [("claims", lambda s: s["claims"])]
    rows += [(c, lambda s, c=c: f"{s['classes'][c]} ({100 * s['class_share'][c]:.0f}%)") for c in first["classes"]]
    rows += [
             ("claim words median/p90/max", lambda s: s["claim_words_median_p90_max"]),
             ("claims of 60+ words", lambda s: s["claims_60_words"]),
             ("claims over paragraphs", lambda s: s["claims_over_paragraphs"])]
    rows += [(f"quotes {o}…", lambda s, o=o: s["quote_styles"].get(o, 0)) for o in "\"“«„‘"]
    rows += [(f"articles: {f}", lambda s, f=f: s["forms"][f]) for f in FORMS]
    lines = [f"| {'':<30} | " + " | ".join(f"{l:>14}" for l in langs) + " |",
             "|" + "-" * 32 + "|" + "|".join("-" * 16 for _ in langs) + "|"]
    lines += [f"| {name:<30} | " + " | ".join(f"{str(get(stats[l])):>14}" for l in langs) + " |"
              for name, get in rows]
    return "\n".join(lines)
