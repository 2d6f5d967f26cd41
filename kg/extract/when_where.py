"""A posting's date and place: what its source said, else a "Date posted:" or "Location:" line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kg.extract.blocks import Block, Line
from kg.extract.dates import find_date_line
from kg.extract.places import find_location_line


def when_and_where(block: Block, cleaned: Sequence[tuple[Line, str]]) -> dict[str, Any]:
    """``date_posted``, ``location`` and ``row`` for a posting of ``block`` (its lines as cleaned text)."""
    date = block.date_posted
    location = block.location
    if date is None or location is None:
        numbered = [(line.number, text) for line, text in cleaned[:60]]
        if date is None and (found := find_date_line(numbered)):
            date = found[0]
        if location is None and (place := find_location_line(numbered)):
            location = place[0]
    return {"date_posted": date, "location": location, "row": block.row}
