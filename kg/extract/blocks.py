"""The types the readers share: a decoded source, a posting's block of lines, one line.

Every reader (:mod:`kg.extract.readers` for plain text and the dispatch,
:mod:`kg.extract.markdown`, :mod:`kg.extract.jsonld`) cuts a :class:`Source`
into :class:`Block` objects; the pipeline reads a block into a posting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import NamedTuple

from kg.models import Level, Location, Salary

log = logging.getLogger(__name__)

#: The characters of one posting that are read. A longer block (a dump pasted into one file, hostile input) is
#: read in its first lines up to this size, with a warning, so that the work per posting stays bounded: real
#: postings are under 30,000 characters.
MAX_POSTING = 200_000
#: The longest text (a line, a segment) whose analysis the per-line caches keep (see :mod:`kg.extract.line_caches`):
#: their memory is bounded by their number of entries times this.
LONGEST_KEPT = 2_000


class Line(NamedTuple):
    """One line of a posting: its 1-based line in the source, its text, and a section hint."""

    number: int
    text: str
    hint: Level | None = None


@dataclass
class Block:
    """The stretch of a source that holds one posting, with what its structure tells."""

    source: str
    lines: list[Line]
    domain_path: tuple[str, ...] = ()
    title: str | None = None
    company: str | None = None
    salary: Salary | None = None
    head: int | None = None
    date_posted: str | None = None
    location: Location | None = None
    row: int | None = None

    @property
    def start(self) -> int:
        """The first source line of the block (its ``+ skill set:`` line, if it has one)."""
        first = min((line.number for line in self.lines), default=1)
        return first if self.head is None else min(self.head, first)

    @property
    def end(self) -> int:
        """The last source line of the block."""
        return max((line.number for line in self.lines), default=1)


@dataclass
class Source:
    """A decoded source: its name as given, its text and the encoding that worked."""

    name: str
    text: str
    encoding: str = "utf-8"


def bounded(block: Block, max_chars: int | None) -> Block:
    """The block, or its first lines up to ``max_chars`` characters (a warning says so)."""
    if max_chars is None:
        return block
    total = 0
    for index, line in enumerate(block.lines):
        total += len(line.text) + 1
        if total > max_chars:
            size = total + sum(len(rest.text) + 1 for rest in block.lines[index + 1 :])
            log.warning("%s:%d: a posting of %s characters; only the %d lines in its first %s are read "
                        "(--max-posting)", block.source, block.start, f"{size:,}", index, f"{max_chars:,}")
            return replace(block, lines=block.lines[:index])
    return block
