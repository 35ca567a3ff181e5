"""One checkpoint's errors on one evaluation set, as a single self-contained HTML page.

An evaluator reads why a score moved: each article's text twice (gold, predicted) with entities coloured by
type and every error marked with its ``breakdown`` category, the claims with both chains side by side, a
summary of the categories on top, and filters by language and error kind. Everything is inline (CSS, JS,
no fonts or network), so the page can be mailed or opened offline.
"""
from __future__ import annotations

import html
import itertools
import json
from collections import Counter
from pathlib import Path

from . import breakdown as bd
from .corpus import Article
from .evaluation import ALL, report_types
from .fileio import atomic_write_text
from .features import word_span_of, words_of

SHOWN = {"exact": "exact", "class_wrong": "wrong type", "ends_early_late": "ends early/late",
         "starts_early_late": "starts early/late", "split": "split", "merged": "merged",
         "other_overlap": "overlaps", "missed": "missed (FN)", "spurious": "spurious (FP)"}
KINDS = [f"{p}:{c}" for p in ("ent", "claim") for c in bd.CATEGORIES if c != "exact"] + ["chain:wrong"]
KIND_NAMES = {**{f"ent:{c}": f"entities: {SHOWN[c]}" for c in bd.CATEGORIES},
              **{f"claim:{c}": f"claims: {SHOWN[c]}" for c in bd.CATEGORIES}, "chain:wrong": "chains: differ"}
PALETTE = ("#ffd6a5", "#bde0fe", "#caffbf", "#e4c1f9", "#ffadad", "#fdffb6", "#9bf6ff", "#d8d8d8")  # by type order


def categorised(text: str, gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]):
    """The ``breakdown`` category of each gold and each predicted span (a prediction that overlaps gold gets
    that gold span's category: exact, wrong type, or the boundary error), and for a wrong type the other
    side's label. Spans that cover no word are not scored: category None."""
    words = words_of(text)
    g_ws, p_ws = bd.word_spans(words, gold), bd.word_spans(words, pred)
    cats, spurious = bd.categorise(g_ws, p_ws)
    g_cat = dict(zip(g_ws, cats))
    p_cat, other = {}, {}
    for p, is_spurious in zip(p_ws, spurious):
        over = [g for g in g_ws if g[0] < p[1] and p[0] < g[1]]
        same = [g for g in over if g[:2] == p[:2]]
        p_cat[p] = "spurious" if is_spurious else (("exact" if same[0][2] == p[2] else "class_wrong") if same
                                                     else g_cat[over[0]])
        if same and same[0][2] != p[2]:
            other[p], other[same[0]] = same[0][2], p[2]

    def look(spans, table):
        out = []
        for s, e, label in spans:
            ws = word_span_of(words, s, e)
            key = (*ws, label) if ws else None
            out.append((table.get(key), other.get(key)))
        return out

    return look(gold, g_cat), look(pred, p_cat)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def render_text(text: str, marks: list[tuple], claims: list[tuple]) -> str:
    """``text`` with entity ``marks`` (start, end, label, kind, note) as coloured <mark>s and ``claims``
    (start, end, id, kind) underlined; entities never overlap each other, nor claims each other."""
    cuts = sorted({0, len(text)} | {x for m in marks for x in m[:2]} | {x for c in claims for x in c[:2]})
    out, open_mark = [], None

    def close():
        nonlocal open_mark
        if open_mark is not None:
            out.append(f'<small class="lab">{_e(open_mark[4])}</small></mark>')
            open_mark = None

    for a, b in zip(cuts, cuts[1:]):
        m = next((m for m in marks if m[0] <= a and b <= m[1]), None)
        c = next((c for c in claims if c[0] <= a and b <= c[1]), None)
        if m is not open_mark:
            close()
        if c is not None and c[0] == a:  # a claim's bracket goes outside an entity that starts with it
            out.append(f'<span class="cid" data-kind="{_e(c[3])}">[{_e(c[2])}</span>')
        if m is not None and m is not open_mark:
            out.append(f'<mark class="ent t-{_e(m[2])}" data-kind="{_e(m[3])}" title="{_e(m[2])}: {_e(m[4])}">')
            open_mark = m
        out.append(f'<span class="cl">{_e(text[a:b])}</span>' if c else _e(text[a:b]))
        if c is not None and c[1] == b:
            if open_mark is not None and open_mark[1] == b:
                close()
            out.append(f'<span class="cid" data-kind="{_e(c[3])}">]</span>')
    close()
    return "".join(out)


def _note(label: str, cat: str | None, other: str | None, side: str) -> str:
    if cat is None:
        return f"{label} · not on words"
    if cat == "class_wrong":
        return f"{label} · wrong type ({'predicted' if side == 'gold' else 'gold'} {other})"
    return label if cat == "exact" else f"{label} · {SHOWN[cat]}"


def _chain_html(members: list[str], entities: dict) -> str:
    if not members:
        return '<span class="none">(no source)</span>'
    return " → ".join(f'<span class="chip t-{_e(entities[m][2])}">{_e(entities[m][3])}</span>' for m in members)


def article_html(gold: Article, pred: dict, with_claims: bool = True) -> tuple[str, set[str]]:
    """One article's section, and the error kinds found in it (for the filters); claims only where the
    checkpoint predicts them."""
    text = gold.text
    ents = {"gold": {e.id: (e.start, e.end, e.label, text[e.start:e.end]) for e in gold.entities},
            "predicted": {e["id"]: (e["start"], e["end"], e["label"], text[e["start"]:e["end"]])
                          for e in pred["entities"]}}
    claims = {"gold": [(a.start, a.end, a.label, a.id, list(a.chain)) for a in gold.attributions if with_claims],
              "predicted": [(a["claim"]["start"], a["claim"]["end"], a["label"], a["id"], list(a["chain"]))
                            for a in pred["attributions"] if with_claims]}
    e_cats = dict(zip(ents, categorised(text, *([v[:3] for v in ents[s].values()] for s in ents))))
    c_cats = dict(zip(claims, categorised(text, *([c[:3] for c in claims[s]] for s in claims))))
    panes, kinds = [], set()
    for side in ents:
        marks = [(s, e, label, f"ent:{cat}", _note(label, cat, other, side))
                 for (s, e, label, _), (cat, other) in zip(ents[side].values(), e_cats[side])]
        cl = [(s, e, cid, f"claim:{cat}") for (s, e, _, cid, _), (cat, _) in zip(claims[side], c_cats[side])]
        kinds |= {m[3] for m in marks} | {c[3] for c in cl}
        panes.append(f'<div class="pane" data-side="{side}"><h4>{side}</h4>'
                     f'<div class="text">{render_text(text, marks, cl)}</div></div>')
    rows, row_kinds = claim_rows(text, ents, claims, c_cats)
    errors = sorted(k for k in kinds | row_kinds if k in KINDS)
    table = ('<table class="claims"><thead><tr><th>gold claim</th><th>class</th><th>gold chain</th>'
             '<th>predicted claim</th><th>class</th><th>predicted chain</th><th>verdict</th></tr></thead><tbody>'
             + "".join(rows) + "</tbody></table>") if rows else '<p class="none">no claims, gold or predicted</p>'
    head = (f'<h3>{_e(gold.id)} <span class="lang">{_e(gold.lang)}</span> <span class="errs">'
            f'{_e(", ".join(KIND_NAMES[k] for k in errors) or "no errors")}</span></h3>')
    return (f'<article class="doc" id="doc-{_e(gold.id)}" data-lang="{_e(gold.lang)}" data-kinds="{" ".join(errors)}">'
            f'{head}<div class="panes">{"".join(panes)}</div>{table}</article>'), set(errors)


def claim_rows(text: str, ents: dict, claims: dict, cats: dict) -> tuple[list[str], set[str]]:
    """A table row per gold claim, beside the prediction with the same words (if any), then a row per other
    prediction; a pair's chains are compared as ``evaluation.chain_counts`` does, on the members' words."""
    words = words_of(text)

    def info(side):
        return [(c, cat, word_span_of(words, *c[:2]), [word_span_of(words, *ents[side][m][:2]) for m in c[4]])
                for c, (cat, _) in zip(claims[side], cats[side])]

    g_info, p_info = info("gold"), info("predicted")
    pairs = [(g, next((p for p in p_info if g[2] is not None and p[2] == g[2]), None)) for g in g_info]
    paired = {id(p) for _, p in pairs if p}
    pairs += [(None, p) for p in p_info if id(p) not in paired]
    rows, kinds = [], set()
    for g, p in sorted(pairs, key=lambda gp: (gp[0] or gp[1])[0][0]):
        verdict = SHOWN.get((g or p)[1], "not on words")
        row_kinds = {f"claim:{x[1]}" for x in (g, p) if x and x[1]}
        if g and p:
            row_kinds.add("chain:exact" if g[3] == p[3] else "chain:wrong")
            verdict += "; chain exact" if g[3] == p[3] else "; chain differs"
        kinds |= row_kinds
        cells = []
        for x, side in ((g, "gold"), (p, "predicted")):
            cells += ([f"<q>{_e(text[x[0][0]:x[0][1]])}</q>", _e(x[0][2]), _chain_html(x[0][4], ents[side])] if x
                      else ['<span class="none">—</span>'] * 3)
        rows.append(f'<tr data-kind="{" ".join(sorted(row_kinds))}">' + "".join(f"<td>{c}</td>" for c in cells)
                    + f'<td class="verdict">{_e(verdict)}</td></tr>')
    return rows, kinds


def summary_html(report: dict, kind_articles: Counter) -> str:
    """The error categories of ``evaluation``'s breakdown: per language (all types), then per type."""
    parts = []
    for kind, types in report_types(report).items():
        prefix = {"entities": "ent", "claims": "claim"}[kind]
        bdk = report.get("breakdown", {}).get(kind)
        if not bdk:
            continue
        langs = sorted(k for k in bdk if k != ALL) + [ALL]
        cols = [(lang, lang, bd.ALL_TYPES) for lang in langs] + [(t, ALL, t) for t in types]
        head = "".join(f"<th>{_e(c)}</th>" for c, _, _ in cols)
        body = ""
        for cat in (*bd.CATEGORIES, "gold", "predicted"):
            key = f"{prefix}:{cat}"
            name = (f'<a href="#kind={key}" data-filter="{key}">{_e(SHOWN[cat])}</a> '
                    f'<small>({kind_articles[key]} art.)</small>' if key in KINDS else _e(SHOWN.get(cat, cat)))
            body += f'<tr data-cat="{key}"><th>{name}</th>' + "".join(
                f"<td>{bdk[lang][t][cat]}</td>" for _, lang, t in cols) + "</tr>"
        parts.append(f'<table class="summary" id="summary-{kind}"><caption>{kind}: spans per error category '
                     f'(spurious counts predictions, the rest gold spans)</caption><thead><tr><th>category</th>'
                     f"{head}</tr></thead><tbody>{body}</tbody></table>")
    if "chains" in report:
        ch = report["chains"][ALL]
        parts.append(f'<p class="chains">chains on exactly matched claims: {ch["matched_claims"]} of '
                     f'{ch["gold_claims"]} gold claims matched; exact chain {ch["exact_match"]:.3f}; link F1 '
                     f'{ch["links"]["f1"]:.3f}; <a href="#kind=chain:wrong" data-filter="chain:wrong">chains differ</a>'
                     f' in {kind_articles["chain:wrong"]} articles'
                     + "".join(f"; {kind} {n}" for kind, n in ch.get("errors", {}).items() if n) + "</p>")
    return "".join(parts)


def page(gold: list[Article], pred: list[dict], report: dict, title: str, source: str = "") -> str:
    by_id = {p["id"]: p for p in pred}
    sections, kind_articles = [], Counter()
    for art in gold:
        body, kinds = article_html(art, by_id[art.id], with_claims="claims" in report)
        sections.append(body)
        kind_articles.update(kinds)
    langs = sorted({a.lang for a in gold})
    scores = [f"entities F1 {report['entities'][ALL]['micro']['f1']:.3f}"]
    if "claims" in report:
        scores += [f"claims F1 {report['claims'][ALL]['micro']['f1']:.3f}",
                   f"link F1 {report['chains'][ALL]['links']['f1']:.3f}",
                   f"chain exact {report['chains'][ALL]['exact_match']:.3f}"]
    kind_opts = "".join(f'<option value="{k}">{_e(KIND_NAMES[k])} ({kind_articles[k]})</option>' for k in KINDS)
    lang_opts = "".join(f'<option value="{_e(lang)}">{_e(lang)}</option>' for lang in langs)
    legend = "".join(f'<span class="chip t-{t}">{t}</span> ' for t in report_types(report)["entities"])
    colours = "".join(f".t-{t},mark.ent.t-{t}{{background:{c}}}"
                      for t, c in zip(report_types(report)["entities"], itertools.cycle(PALETTE)))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{_e(title)}</title><style>{CSS}{colours}</style></head>
<body><header><h1>{_e(title)}</h1><p>{_e(source)} · {len(gold)} articles · {_e("; ".join(scores))}</p>
<p class="legend">{legend} <mark class="ent" data-kind="ent:missed">missed</mark>
<mark class="ent" data-kind="ent:spurious">spurious</mark> <mark class="ent" data-kind="ent:class_wrong">wrong type</mark>
<mark class="ent" data-kind="ent:split">boundary</mark> <span class="cl">claim</span></p></header>
<section id="summary"><h2>Summary</h2>{summary_html(report, kind_articles)}</section>
<nav id="filters"><label>language <select id="f-lang"><option value="">all</option>{lang_opts}</select></label>
<label>error <select id="f-kind"><option value="">all articles</option><option value="any">any error</option>
{kind_opts}</select></label> <span id="shown"></span></nav>
<main id="docs">{"".join(sections)}</main>
<script>const KINDS = {json.dumps(KIND_NAMES)};{JS}</script></body></html>
"""


def write(path: Path, gold: list[Article], pred: list[dict], report: dict, title: str, source: str = "") -> Path:
    atomic_write_text(path, page(gold, pred, report, title, source))
    return path


CSS = """
body{font:14px/1.5 system-ui,sans-serif;margin:0 1.5em 3em;color:#222}
h1{font-size:1.4em;margin:.6em 0 .2em}h3{margin:.2em 0}h4{margin:.2em 0;color:#666;font-weight:normal}
.lang{background:#eee;border-radius:3px;padding:0 .4em;font-size:.8em}.errs{font-size:.75em;color:#a33}
#filters{position:sticky;top:0;background:#fafafa;border-bottom:1px solid #ddd;padding:.4em 0;z-index:2}
#filters label{margin-right:1em}#shown{color:#555}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:right}
table.summary th:first-child,caption{text-align:left}caption{font-weight:bold}
table.claims td,table.claims th{text-align:left;vertical-align:top;max-width:26em}
article.doc{border-top:2px solid #ccc;padding:.6em 0}
.panes{display:grid;grid-template-columns:1fr 1fr;gap:1em}.text{white-space:pre-wrap;border:1px solid #eee;padding:.4em}
mark.ent{border-radius:3px;padding:0 1px;color:inherit;background:#eee}
.lab{font-size:.7em;color:#444;margin-left:2px}
[data-kind="ent:missed"]{outline:2px dashed #d00}[data-kind="ent:spurious"]{outline:2px solid #d00}
[data-kind="ent:class_wrong"]{outline:2px double #e80;outline-width:3px}
[data-kind="ent:split"],[data-kind="ent:merged"],[data-kind="ent:ends_early_late"],
[data-kind="ent:starts_early_late"],[data-kind="ent:other_overlap"]{outline:2px dotted #80c}
.cl{text-decoration:underline;text-decoration-color:#36c;text-underline-offset:3px}.cid{color:#36c;font-size:.75em}
.cid:not([data-kind="claim:exact"]){color:#d00;font-weight:bold}
.chip{border-radius:3px;padding:0 4px}.none{color:#999}
tr[data-kind*="chain:wrong"] td.verdict,tr[data-kind*="missed"] td.verdict,tr[data-kind*="spurious"] td.verdict,
tr[data-kind*="class_wrong"] td.verdict{color:#d00}
.filtering mark.ent[data-kind]:not(.focus){opacity:.35}.focus{box-shadow:0 0 0 3px #fc0}
"""

JS = """
(function () {
  const lang = document.getElementById('f-lang'), kind = document.getElementById('f-kind');
  const shown = document.getElementById('shown'), main = document.getElementById('docs');
  const docs = Array.from(document.querySelectorAll('article.doc'));
  function apply() {
    const l = lang.value, k = kind.value; let n = 0;
    for (const d of docs) {
      const kinds = d.dataset.kinds.split(' ').filter(Boolean);
      const ok = (!l || d.dataset.lang === l) && (!k || (k === 'any' ? kinds.length > 0 : kinds.includes(k)));
      d.hidden = !ok; if (ok) n++;
    }
    main.classList.toggle('filtering', k.startsWith('ent:'));  // dim the other entities
    document.querySelectorAll('#docs [data-kind]').forEach(e => e.classList.toggle('focus',
      !!k && k !== 'any' && e.dataset.kind.split(' ').includes(k)));
    shown.textContent = 'showing ' + n + ' of ' + docs.length + ' articles'
      + (k && k !== 'any' ? ' with ' + KINDS[k] : '');
    document.body.dataset.filter = l + '|' + k;
  }
  function fromHash() {
    const p = new URLSearchParams(location.hash.slice(1));
    lang.value = p.get('lang') || ''; kind.value = p.get('kind') || ''; apply();
  }
  function toHash() {
    history.replaceState(null, '', '#' + new URLSearchParams({lang: lang.value, kind: kind.value}));
    apply();
  }
  lang.addEventListener('change', toHash); kind.addEventListener('change', toHash);
  window.addEventListener('hashchange', fromHash);
  fromHash();
})();
"""
