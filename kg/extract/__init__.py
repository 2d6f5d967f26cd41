"""Extract job postings from text, markdown and JSON-LD files.

The public entry points::

    extract_files(paths, *, vocab=None, unknown=False, on_file=None) -> Extraction
    extract_text(text, source="-", *, vocab=None) -> list[Posting]
    unknown_terms(paths, *, vocab=None, min_count=1) -> list[Candidate]
    load_vocabulary() -> Vocabulary

Library code never prints; errors are :class:`kg.errors.KgError` subclasses
whose one-line messages name the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kg.extract.blocks import MAX_POSTING, Block
from kg.extract.clean import clean_line
from kg.extract.readers import MAX_BYTES, MAX_LINE
from kg.extract.tables import MAX_ROW
from kg.extract.unknown import Candidate
from kg.extract.vocabulary import Concept, Vocabulary, load_vocabulary
from kg.models import Posting, postings_to_json

__all__ = [
    "Candidate",
    "Concept",
    "Extraction",
    "Vocabulary",
    "extract_files",
    "extract_text",
    "load_vocabulary",
    "postings_to_json",
    "unknown_terms",
]


@dataclass
class Extraction:
    """What ``extract_files`` found: the postings (duplicates flagged) and, if asked, unknown terms."""

    postings: list[Posting] = field(default_factory=list)
    unknown: list[Candidate] | None = None
    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    layouts: dict[str, str] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Posting]:
        return iter(self.postings)

    def __len__(self) -> int:
        return len(self.postings)

    def __getitem__(self, index: int) -> Posting:
        return self.postings[index]

    @property
    def distinct(self) -> list[Posting]:
        """The postings that are not duplicates of an earlier one."""
        return [p for p in self.postings if p.duplicate_of is None]

    def to_json(self) -> dict[str, Any]:
        """``{"postings": [...]}``, plus ``"unknown": [{"term", "count", "sources"}]`` when collected."""
        out = postings_to_json(self.postings)
        if self.unknown is not None:
            out["unknown"] = [candidate.to_json() for candidate in self.unknown]
        return out


def extract_files(
    paths: Iterable[str],
    *,
    vocab: Vocabulary | None = None,
    unknown: bool = False,
    max_bytes: int | None = MAX_BYTES,
    max_line: int | None = MAX_LINE,
    max_row: int | None = MAX_ROW,
    max_posting: int | None = MAX_POSTING,
    mapping: dict[str, str] | None = None,
    near: bool = True,
    on_file: Callable[[str, int], None] | None = None,
    on_posting: Callable[[Block, Posting], None] | None = None,
) -> Extraction:
    """Extract the postings of files (``-`` is stdin); duplicates, exact or near, get ``duplicate_of``.

    Args:
        paths: files as given by the user; each posting's ``source`` is the path as given.
        vocab: the vocabulary to match; the bundled one by default.
        unknown: also collect candidate terms missing from the vocabulary (and each posting's ``unknown`` spans;
            without it those stay empty, and the tagger reads only the lines where a mention stands: the rest of
            each posting is the same).
        max_bytes: refuse larger text files (None: no limit); tables are read row by row instead.
        max_line: refuse lines longer than this (None: no limit).
        max_row: skip table rows longer than this (None: no limit).
        max_posting: read a longer posting in its first lines up to this many characters, with a warning (None:
            all of it).
        mapping: posting field -> column, for tables (``--map``).
        near: also flag near-duplicates (:mod:`kg.extract.neardup`).
        on_file: called after each file with its path and its number of postings (for progress bars).
        on_posting: called with each posting and the block of lines it was read from (``kg extract -f html``).

    Raises:
        InputError: a file is missing, a directory, binary, empty, too large or has a too long line.
        ParseError: a JSON-LD file is malformed.
    """
    from kg.extract import unknown as unknown_module
    from kg.extract.neardup import Duplicates, signatures
    from kg.extract.sources import ReadOptions, analyse_many, batches, source_blocks
    from kg.extract.tables import ReadReport

    vocab = vocab or load_vocabulary()
    options = ReadOptions(max_bytes, max_line, max_row, tuple(sorted((mapping or {}).items())), max_posting)
    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    postings: list[Posting] = []
    report = ReadReport()
    duplicates = Duplicates(near=near)
    for path in paths:
        found = 0
        for batch in batches(source_blocks(path, options, report)):
            sigs = signatures(batch) if near else [None] * len(batch)
            for block, posting, sig in zip(batch, analyse_many(batch, vocab, unknown=unknown), sigs):
                duplicates.mark(posting, sig)
                postings.append(posting)
                if on_posting is not None:
                    on_posting(block, posting)
                found += 1
                if unknown:
                    lines = [(f"{path}:{line.number}", clean_line(line.text)) for line in block.lines]
                    read = [(f"{path}:{span.line}", span.text or "") for span in posting.unknown]
                    unknown_module.collect(lines, vocab.matcher("skills"), counts, where, read)
        if on_file is not None:
            on_file(path, found)
    return Extraction(postings, unknown_module.ranked(counts, where) if unknown else None, report.skipped,
                      dict(report.layouts))


def extract_text(
    text: str, source: str = "-", *, vocab: Vocabulary | None = None, max_line: int | None = MAX_LINE
) -> list[Posting]:
    """The postings in a text, read as a file named ``source`` would be (``.json`` for JSON-LD).

    Raises:
        InputError: the text is empty or has a line longer than ``max_line``.
        ParseError: ``source`` ends in ``.json``/``.jsonld`` and the text is malformed JSON.
    """
    from kg.extract import pipeline

    return pipeline.extract_text(text, source, vocab=vocab, max_line=max_line)


def unknown_terms(paths: Iterable[str], *, vocab: Vocabulary | None = None, min_count: int = 1) -> list[Candidate]:
    """Candidate skill terms in the files that the vocabulary lacks, with the number of postings naming each."""
    found = extract_files(paths, vocab=vocab, unknown=True).unknown or []
    return [candidate for candidate in found if candidate.count >= min_count]
