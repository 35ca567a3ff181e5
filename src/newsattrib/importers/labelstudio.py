"""Label Studio JSON exports (the list of tasks) to articles.

A task's text is ``data[text_key]``; its first annotation that was not cancelled is read (a task with none
is skipped and counted). Results of type ``labels`` are spans (``value.start/end/labels``, one label each);
those whose label is one of ``options.claim_labels`` are claims, and ``relation`` results between a claim
and entities (either direction, of ``options.relation_types`` or any) name its sources, in result order.
Other result types (choices, text areas, ratings) are read past. Other keys of ``data`` are kept as the
article's metadata; ``data.lang``, where present, is the article's language.

Label Studio counts offsets in the browser's UTF-16 units: where ``value.text`` shows that a span's
offsets are such (a text with emoji), they are converted.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..errors import NewsAttribError
from .spans import Claim, Mention, Options, Summary, attach_sources, clean_text, make_record, same_words


def read_labelstudio(path: str | Path, options: Options, summary: Summary, text_key: str = "text") -> Iterator[dict]:
    """The annotated tasks of one export, in order, as corpus records."""
    path = Path(path)
    tasks = _load(path)
    for index, task in enumerate(tasks, start=1):
        where = f"{path}: task #{index}" + (f" (id {task['id']})" if isinstance(task, dict) and "id" in task else "")
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise NewsAttribError(f"{where}: a task is an object with a 'data' object")
        data = task["data"]
        if not isinstance(data.get(text_key), str):
            keys = ", ".join(sorted(data)) or "none"
            raise NewsAttribError(f"{where}: data.{text_key} is not a text (the data keys are {keys}; "
                                  "--text-key names another)")
        annotation = _first_annotation(task, where)
        if annotation is None:
            summary.notes["tasks without annotation skipped"] += 1
            continue
        article_id = str(task["id"]) if "id" in task else f"{path.stem}-{index}"
        meta = {k: v for k, v in data.items() if k not in (text_key, "id", "lang")}
        record = _article(article_id, data[text_key], annotation, where, options, summary, meta)
        if isinstance(data.get("lang"), str):
            record["lang"] = data["lang"]
        yield record


def _load(path: Path) -> list:
    try:
        tasks = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise NewsAttribError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise NewsAttribError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from None
    if isinstance(tasks, dict) and "data" in tasks:
        tasks = [tasks]  # a single task
    if not isinstance(tasks, list):
        raise NewsAttribError(f"{path}: not a Label Studio JSON export (a list of tasks), but a {type(tasks).__name__}")
    return tasks


def _first_annotation(task: dict, where: str) -> list | None:
    annotations = task.get("annotations", task.get("completions", []))
    if not isinstance(annotations, list):
        raise NewsAttribError(f"{where}: 'annotations' is not a list")
    for a in annotations:
        if isinstance(a, dict) and not a.get("was_cancelled"):
            if not isinstance(a.get("result"), list):
                raise NewsAttribError(f"{where}: annotation {a.get('id', '?')} has no 'result' list")
            return a["result"]
    return None


def _article(article_id: str, raw: str, results: list, where: str, options: Options, summary: Summary,
             meta: dict) -> dict:
    text, moved = clean_text(raw)
    mentions, claims, links = [], {}, []
    for n, r in enumerate(results, start=1):
        if not isinstance(r, dict):
            raise NewsAttribError(f"{where}: result #{n} is not an object")
        here = f"{where} result {r.get('id', f'#{n}')}"
        if r.get("type") == "relation":
            if not {"from_id", "to_id"} <= r.keys():
                raise NewsAttribError(f"{here}: a relation needs from_id and to_id")
            for label in r.get("labels") or [""]:
                links.append((label, [str(r["from_id"]), str(r["to_id"])], here))
        elif r.get("type") == "labels":
            start, end, label = _span(raw, r.get("value"), here)
            key = str(r.get("id", f"#{n}"))
            if label in options.claim_labels:
                claims[key] = Claim(moved(start), moved(end), here, key)
            else:
                mentions.append(Mention(moved(start), moved(end), label, here, key))
    known = {m.key for m in mentions} | set(claims)
    for _, args, here in links:
        for arg in args:
            if arg not in known:
                raise NewsAttribError(f"{here}: the relation names {arg}, which is no labelled span of this task")
    attach_sources(claims, links, options)
    return make_record(article_id, text, mentions, list(claims.values()), options, summary.notes, meta)


def _span(raw: str, value, here: str) -> tuple[int, int, str]:
    if not isinstance(value, dict) or not {"start", "end", "labels"} <= value.keys():
        raise NewsAttribError(f"{here}: a labels result needs value.start, value.end and value.labels")
    labels = value["labels"]
    if not isinstance(labels, list) or len(labels) != 1 or not isinstance(labels[0], str):
        raise NewsAttribError(f"{here}: value.labels must hold one label, not {labels!r}")
    start, end = value["start"], value["end"]
    if not (type(start) is int and type(end) is int):
        raise NewsAttribError(f"{here}: value.start and value.end must be whole numbers, not {start!r}, {end!r}")
    shown = value.get("text")
    if isinstance(shown, str) and not same_words(raw[start:end], shown):
        start, end = _from_utf16(raw, start), _from_utf16(raw, end)
        if not same_words(raw[start:end], shown):
            raise NewsAttribError(f"{here}: the text at [{value['start']}, {value['end']}) is "
                                  f"{raw[value['start']:value['end']][:40]!r}, value.text says {shown[:40]!r}")
    return start, end, labels[0]


def _from_utf16(text: str, units: int) -> int:
    """The code-point offset of the place ``units`` UTF-16 code units into ``text``."""
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
