"""Every source a user brings, cut into posting blocks: which reader reads which file.

- ``.csv``, ``.tsv``, ``.jsonl``/``.ndjson``, ``.parquet``: one posting a row, read row by
  row (:mod:`kg.extract.tables`); text that is JSON Lines is read the same way.
- ``.html``/``.htm``: saved job pages with JobPosting JSON-LD (:mod:`kg.extract.pages`).
- anything else: text, markdown or JSON-LD (:func:`kg.extract.readers.split_source`).

:func:`analyse` turns a block into a posting: the same pure function runs in
``kg extract``, in ``kg ingest``'s worker processes and on Dask workers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kg.extract.blocks import MAX_POSTING, Block, bounded
from kg.extract.pages import PAGE_SUFFIXES, page_blocks
from kg.extract.readers import MAX_BYTES, MAX_LINE, read_source, split_source
from kg.extract.records import RowRecord, record_key
from kg.extract.tables import (
    MAX_ROW,
    ReadReport,
    json_lines_blocks,
    table_blocks,
    table_kind,
    table_records,
)
from kg.extract.vocabulary import Vocabulary
from kg.models import Posting

#: How many postings are read together (the tagger's numpy steps are shared by a batch).
BATCH = 64


@dataclass(frozen=True)
class ReadOptions:
    """Limits and the column map for reading sources."""

    max_bytes: int | None = MAX_BYTES
    max_line: int | None = MAX_LINE
    max_row: int | None = MAX_ROW
    mapping: tuple[tuple[str, str], ...] = ()
    max_posting: int | None = MAX_POSTING


def source_blocks(path: str, options: ReadOptions = ReadOptions(), report: ReadReport | None = None,
                  progress: Callable[[int], None] | None = None) -> Iterator[Block]:
    """The posting blocks of one file (``-`` is stdin), streamed for tables, each bounded by ``max_posting``.

    ``progress`` is called with the number of bytes read since its last call.

    Raises:
        InputError: the file is missing, unreadable, binary, empty or over a limit.
        ParseError: a JSON-LD file is malformed.
    """
    for block in _blocks(path, options, report if report is not None else ReadReport(), progress):
        yield bounded(block, options.max_posting)


def _blocks(path: str, options: ReadOptions, report: ReadReport,
            progress: Callable[[int], None] | None) -> Iterator[Block]:
    mapping = dict(options.mapping)
    kind = table_kind(path) if path != "-" else None
    if kind is not None:
        yield from table_blocks(path, kind, mapping=mapping, max_row=options.max_row, report=report,
                                progress=progress)
        return
    source = read_source(path, max_bytes=options.max_bytes)
    if progress is not None:
        progress(len(source.text))
    if path.lower().endswith(PAGE_SUFFIXES):
        yield from page_blocks(source, report)
    elif looks_like_json_lines(source.text):
        handle = io.BytesIO(source.text.encode("utf-8"))
        yield from json_lines_blocks(handle, path, mapping=mapping, max_row=options.max_row, report=report)
    else:
        yield from split_source(source, max_line=options.max_line)


def blocks_of(paths: Iterable[str], options: ReadOptions = ReadOptions(), report: ReadReport | None = None,
              progress: Callable[[int], None] | None = None,
              on_file: Callable[[str], None] | None = None) -> Iterator[Block]:
    """The posting blocks of several files, in order; ``on_file`` is called after each file."""
    for path in paths:
        yield from source_blocks(path, options, report, progress)
        if on_file is not None:
            on_file(path)


def items_of(paths: Iterable[str], options: ReadOptions = ReadOptions(), report: ReadReport | None = None,
             progress: Callable[[int], None] | None = None,
             on_file: Callable[[str], None] | None = None) -> Iterator[Block | RowRecord]:
    """What :func:`blocks_of` gives, except that a table's rows come as :class:`RowRecord`, to be made into
    blocks where they are extracted (worker processes)."""
    report = report if report is not None else ReadReport()
    for path in paths:
        kind = table_kind(path) if path != "-" else None
        if kind is not None:
            for record in table_records(path, kind, mapping=dict(options.mapping), max_row=options.max_row,
                                        report=report, progress=progress):
                yield replace(record, max_posting=options.max_posting)
        else:
            yield from source_blocks(path, options, report, progress)
        if on_file is not None:
            on_file(path)


def looks_like_json_lines(text: str) -> bool:
    """Whether a text is JSON Lines: two or more lines, the first two each a JSON object."""
    lines = [line for line in text.lstrip().split("\n", 3)[:3] if line.strip()]
    if len(lines) < 2 or not all(line.lstrip().startswith("{") for line in lines[:2]):
        return False
    try:
        return all(isinstance(json.loads(line), dict) for line in lines[:2])
    except (json.JSONDecodeError, RecursionError):
        return False


def analyse(block: Block, vocab: Vocabulary, *, unknown: bool = False) -> Posting:
    """The posting of one block (pure: the same block and vocabulary give the same posting).

    A posting from a row or a page block takes its id from its title and company as
    well as its text, so that one company's and another's postings with the same
    boilerplate stay two postings. ``unknown``: also read its unknown terms (``Posting.unknown``, which only
    ``kg extract --unknown`` lists); without them, the tagger reads only the lines where a mention stands.
    """
    return analyse_many([block], vocab, unknown=unknown)[0]


def analyse_many(blocks: Sequence[Block], vocab: Vocabulary, *, unknown: bool = False) -> list[Posting]:
    """``[analyse(b) for b in blocks]``, faster: the tagger reads the lines of all of them at once."""
    from kg.extract.pipeline import analyse_blocks

    postings = analyse_blocks(blocks, vocab, unknown=unknown)
    for block, posting in zip(blocks, postings):
        if block.row is not None:
            posting.id = record_key(posting.title, posting.company, posting.id)
    return postings


def batches(blocks: Iterable[Block], size: int = BATCH) -> Iterator[list[Block]]:
    """The blocks in lists of ``size`` (the last one shorter), in order."""
    batch: list[Block] = []
    for block in blocks:
        batch.append(block)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def is_table(path: str) -> bool:
    """Whether a file is read row by row."""
    return table_kind(path) is not None or Path(path).suffix.lower() in PAGE_SUFFIXES
