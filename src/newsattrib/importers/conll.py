"""CoNLL-style token files (one token per line, token first, tag last or in ``tag_column``) to articles.

Boundaries: a ``-DOCSTART-`` line always ends a document; in a file that opens with one, blank lines are
sentence breaks. Without it, ``blank_line`` says whether a blank line (or a run of them) ends an article or
only a sentence; ``sentences_per_article`` then cuts each document into articles of that many sentences
(for corpora with no document marks, like NER-uk). The text is rebuilt from the tokens: one space between
tokens (``natural`` spacing leaves it out before closing and after opening punctuation), one newline
between sentences; the offsets are those of the rebuilt text.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import NewsAttribError
from .spans import Mention, Options, Summary, make_record
from .tags import TagError, spans_of

DOCSTART = "-DOCSTART-"
CLOSING = set(".,;:!?)]}»…%")  # a token made only of these sticks to the one before it (natural spacing)
OPENING = set("([{«„")  # and one made only of these to the one after it


@dataclass
class ConllOptions:
    scheme: str = "iob2"
    tag_column: int | None = None  # 1-based; None: the last column
    blank_line: str = "article"  # or "sentence"
    sentences_per_article: int | None = None
    spacing: str = "tokens"  # or "natural"
    repair_tags: bool = False
    id_prefix: str | None = None  # default: the file's name without its suffix


Token = tuple[str, str, int]  # token, tag, line number


def read_conll(path: str | Path, options: Options, conll: ConllOptions, summary: Summary) -> Iterator[dict]:
    """The articles of one file, in order, as corpus records."""
    path = Path(path)
    prefix = conll.id_prefix or path.stem
    count = 0
    for document in _documents(path, conll):
        size = conll.sentences_per_article or len(document)
        for i in range(0, len(document), size):
            count += 1
            yield _article(path, f"{prefix}-{count}", document[i:i + size], options, conll, summary)


def _documents(path: Path, conll: ConllOptions) -> Iterator[list[list[Token]]]:
    """Documents as lists of sentences, each a list of tokens with their tags and line numbers."""
    document: list[list[Token]] = []
    sentence: list[Token] = []
    docstart_file = None  # known at the first line that is not blank
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, start=1):
            line = _decode(raw, path, lineno, first=lineno == 1)
            columns = line.split()
            if docstart_file is None and columns:
                docstart_file = columns[0] == DOCSTART
            if not columns or columns[0] == DOCSTART:
                if sentence:
                    document.append(sentence)
                    sentence = []
                ends_article = columns or (not docstart_file and conll.blank_line == "article")
                if ends_article and document:
                    yield document
                    document = []
                continue
            sentence.append((columns[0], _tag(columns, conll.tag_column, path, lineno), lineno))
    if sentence:
        document.append(sentence)
    if document:
        yield document


def _decode(raw: bytes, path: Path, lineno: int, first: bool) -> str:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NewsAttribError(f"{path}:{lineno}: not UTF-8 text (byte {exc.start + 1} of the line)") from None


def _tag(columns: list[str], tag_column: int | None, path: Path, lineno: int) -> str:
    if len(columns) < 2:
        raise NewsAttribError(f"{path}:{lineno}: {columns[0]!r} has no tag: a line needs the token and its tag "
                              "(2 or more columns)")
    if tag_column is None:
        return columns[-1]
    if tag_column > len(columns):
        raise NewsAttribError(f"{path}:{lineno}: --tag-column {tag_column}, but the line has {len(columns)} columns")
    return columns[tag_column - 1]


def _article(path: Path, article_id: str, sentences: list[list[Token]], options: Options, conll: ConllOptions,
             summary: Summary) -> dict:
    text_parts: list[str] = []
    length = 0
    mentions = []
    for sentence in sentences:
        if text_parts:
            text_parts.append("\n")
            length += 1
        starts, ends = [], []
        for k, (token, _, _) in enumerate(sentence):
            glued = conll.spacing == "natural" and (_only(token, CLOSING) or _only(sentence[k - 1][0], OPENING))
            if k and not glued:
                text_parts.append(" ")
                length += 1
            starts.append(length)
            text_parts.append(token)
            length += len(token)
            ends.append(length)
        try:
            spans, repaired = spans_of([tag for _, tag, _ in sentence], conll.scheme, conll.repair_tags)
        except TagError as exc:
            raise NewsAttribError(f"{path}:{sentence[exc.index][2]}: {exc}") from None
        summary.notes["tags repaired"] += repaired
        mentions += [Mention(starts[a], ends[b - 1], label, f"{path}:{sentence[a][2]}") for a, b, label in spans]
    summary.tokens += sum(len(s) for s in sentences)
    return make_record(article_id, "".join(text_parts), mentions, [], options, summary.notes)


def _only(token: str, marks: set[str]) -> bool:
    return all(ch in marks for ch in token)
