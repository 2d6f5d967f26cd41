"""Read BIO-tagged CoNLL files: tokens, one or more tag columns, labelled spans.

A file holds one token a line with its columns separated by tabs (or spaces), a
blank line between sentences and, optionally, ``-DOCSTART-`` lines between
documents. SkillSpan's layout is the default: the token, then a SKILL and a
KNOWLEDGE column (``B-Skill``, ``I-Knowledge``, ``O``). Tags may also be IOB1 or
IOBES; each span's label is its tag without the prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, UsageError

_DOCSTART = "-DOCSTART-"
_OUTSIDE = ("O", "_", "-")


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled span of one sentence: tokens ``start`` to ``end`` (exclusive)."""

    label: str
    start: int
    end: int


@dataclass(slots=True)
class Sentence:
    """The tokens of one sentence and the gold spans of its tag columns."""

    tokens: list[str]
    spans: list[Span] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentence as one line: its tokens joined by single spaces."""
        return " ".join(self.tokens)

    def offsets(self) -> list[tuple[int, int]]:
        """The character span of each token in :attr:`text`."""
        out, position = [], 0
        for token in self.tokens:
            out.append((position, position + len(token)))
            position += len(token) + 1
        return out


@dataclass(slots=True)
class Document:
    """A run of sentences read as one posting: a whole file, or the part between two ``-DOCSTART-`` lines."""

    name: str
    sentences: list[Sentence]


@dataclass(frozen=True)
class Layout:
    """Which columns (1-based) hold the token and the tags; no tag columns means every column after the token."""

    token: int = 1
    tags: tuple[int, ...] = ()

    @classmethod
    def parse(cls, token: int, tags: str | None) -> Layout:
        """A layout from ``--token-column`` and ``--tag-columns 2,3``.

        Raises:
            UsageError: a column number is not a positive integer or repeats the token column.
        """
        numbers: tuple[int, ...] = ()
        if tags:
            try:
                numbers = tuple(int(part) for part in tags.split(",") if part.strip())
            except ValueError:
                raise UsageError(f"--tag-columns takes column numbers such as 2,3, not {tags!r}") from None
        if token < 1 or any(n < 1 for n in numbers) or token in numbers:
            raise UsageError("columns are numbered from 1, and the token column holds no tags")
        return cls(token, numbers)


def read_conll(path: Path, layout: Layout = Layout()) -> list[Document]:
    """The documents of one CoNLL file.

    Raises:
        InputError: the file is missing or unreadable, a line has too few columns, or it holds no token.
    """
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    documents: list[Document] = []
    sentences: list[Sentence] = []
    rows: list[list[str]] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if not line.strip():
            if rows:
                sentences.append(_sentence(rows, layout))
                rows = []
            continue
        columns = line.split("\t") if "\t" in line else line.split()
        if columns[0] == _DOCSTART:
            if rows:
                sentences.append(_sentence(rows, layout))
                rows = []
            if sentences:
                documents.append(Document(f"{path.name}#{len(documents) + 1}", sentences))
                sentences = []
            continue
        if len(columns) < max(layout.token, *layout.tags, 2):
            raise InputError(f"{path}:{number}: expected a token and tag columns, found {len(columns)} column(s)")
        rows.append(columns)
    if rows:
        sentences.append(_sentence(rows, layout))
    if sentences:
        documents.append(Document(f"{path.name}#{len(documents) + 1}" if documents else path.name, sentences))
    if not documents:
        raise InputError(f"{path}: holds no tokens")
    return documents


def _sentence(rows: list[list[str]], layout: Layout) -> Sentence:
    tokens = [row[layout.token - 1] for row in rows]
    columns = layout.tags or tuple(n for n in range(1, len(rows[0]) + 1) if n != layout.token)
    spans: list[Span] = []
    for column in columns:
        spans.extend(bio_spans([row[column - 1] if column <= len(row) else "O" for row in rows]))
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return Sentence(tokens, spans)


def bio_spans(tags: Sequence[str]) -> list[Span]:
    """The labelled spans of one column of BIO (or IOB1, IOBES) tags.

    An ``I-`` tag after ``O`` or after another label starts a span, as in IOB1.
    """
    spans: list[Span] = []
    label: str | None = None
    start = 0
    for index, tag in enumerate(tags):
        prefix, _, name = tag.partition("-")
        if tag in _OUTSIDE or not name:
            if label is not None:
                spans.append(Span(label, start, index))
            label = None
            continue
        prefix = prefix.upper()
        if prefix in ("B", "S") or prefix not in ("I", "E") or name != label:
            if label is not None:
                spans.append(Span(label, start, index))
            label, start = name, index
        if prefix in ("S", "E"):
            spans.append(Span(name, start, index + 1))
            label = None
    if label is not None:
        spans.append(Span(label, start, len(tags)))
    return spans
