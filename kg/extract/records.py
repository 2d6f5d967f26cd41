"""One row of a table or one JSON record, as the block of a posting.

A row is a mapping from column names to values. Its fields are found with a
:class:`~kg.extract.layouts.ColumnMap`; a row whose JSON is a schema.org
``JobPosting`` is read by :mod:`kg.extract.jsonld` as a ``.jsonld`` file would be.
The description's HTML is stripped; every line of the posting sits on the row's
first line in the file, and the posting remembers its row.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.extract import facts
from kg.extract.blocks import Block, Line, Source, bounded
from kg.extract.dates import parse_date
from kg.extract.jsonld import html_to_lines, read_jsonld
from kg.extract.layouts import ColumnMap
from kg.extract.places import location_of
from kg.models import PREFERRED, REQUIRED, Level, Period, Salary

_PERIODS: dict[str, Period] = {"year": "year", "annual": "year", "yearly": "year", "month": "month",
                               "monthly": "month", "hour": "hour", "hourly": "hour"}
_TEXTS: tuple[tuple[str, Level | None], ...] = (
    ("description", None), ("skills", REQUIRED), ("qualifications", REQUIRED), ("preferred", PREFERRED))


class RowError(ValueError):
    """A row that cannot be read as a posting; the message says why, in a few words."""


@dataclass(frozen=True)
class Where:
    """Where a row sits: its file, its 1-based row number (header not counted), and its lines in the file."""

    source: str
    row: int
    line: int
    end_line: int


@dataclass(frozen=True)
class RowRecord:
    """A row read from its file but not yet made into blocks: that is done where the posting is extracted
    (``kg ingest``'s worker processes), since it is most of the cost of reading a row."""

    where: Where
    row: Mapping[str, Any]
    columns: ColumnMap
    max_posting: int | None = None

    def blocks(self) -> list[Block]:
        """:func:`blocks_of_row` of this row, each block bounded by ``max_posting`` characters.

        Raises:
            RowError: the row has neither a title nor a description.
        """
        return [bounded(block, self.max_posting) for block in blocks_of_row(self.row, self.columns, self.where)]


def blocks_of_row(row: Mapping[str, Any], columns: ColumnMap, where: Where) -> list[Block]:
    """The posting blocks of one row: one, or those of a schema.org JobPosting record.

    Raises:
        RowError: the row has neither a title nor a description.
    """
    if _is_job_posting(row) and columns.layout != "your --map":
        text = json.dumps(row, ensure_ascii=False)
        blocks = read_jsonld(Source(where.source, text), strict=False) or []
        for block in blocks:
            _place(block, where)
        if blocks:
            return blocks
    return [block_of_fields(row, columns, where)]


def block_of_fields(row: Mapping[str, Any], columns: ColumnMap, where: Where) -> Block:
    """The block of a flat row: title, company, texts, date, place and salary from their columns.

    Raises:
        RowError: the row has neither a title nor a description.
    """
    title = _one_line(columns.value(row, "title"))
    lines: list[Line] = []
    for name, hint in _TEXTS:
        for text in _texts(columns.value(row, name)):
            lines.extend(Line(where.line, part, hint) for part in html_to_lines(text))
    if not title and not lines:
        raise RowError("no title and no description")
    company = columns.value(row, "company")
    if isinstance(company, Mapping):
        company = company.get("name")
    block = Block(
        source=where.source,
        lines=[Line(where.line, ""), *lines, Line(where.end_line, "")],
        title=title,
        company=_one_line(company),
        salary=_salary(row, columns),
        date_posted=parse_date(columns.value(row, "date_posted")),
        location=location_of({name: columns.value(row, name)
                              for name in ("location", "city", "region", "country", "remote")}),
        row=where.row,
    )
    block.head = where.line
    return block


def record_key(title: str | None, company: str | None, content_key: str) -> str:
    """A posting id for a row: its text's content key together with its title and company."""
    words = " ".join(f"{title or ''}\n{company or ''}".casefold().split())
    return hashlib.sha256(f"{words}\n{content_key}".encode()).hexdigest()[:16]


def _place(block: Block, where: Where) -> None:
    """Put a block read from one record's text on the record's lines in its file."""
    block.lines = [Line(where.line, line.text, line.hint) for line in block.lines]
    block.lines[-1] = Line(where.end_line, block.lines[-1].text, block.lines[-1].hint)
    block.row = where.row


def _is_job_posting(row: Mapping[str, Any]) -> bool:
    kind = row.get("@type", row.get("type"))
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting" for k in kinds)


def _one_line(value: object) -> str | None:
    if value is None or isinstance(value, (Mapping, list)):
        return None
    lines = html_to_lines(str(value))
    return " ".join(lines)[:300] if lines else None


def _texts(value: object) -> list[str]:
    """The strings in a cell: a string, a list of strings, or a JSON array written into a cell."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()]
    if isinstance(value, Mapping):
        return [str(v) for k, v in value.items() if k in ("name", "description", "text") and isinstance(v, str)]
    return [str(value)]


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None
    return number if not math.isnan(number) and 0 < number < 1e9 else None


def _salary(row: Mapping[str, Any], columns: ColumnMap) -> Salary | None:
    """A salary from min/max/currency/period columns, a schema.org MonetaryAmount, or a salary text."""
    low, high = _number(columns.value(row, "salary_min")), _number(columns.value(row, "salary_max"))
    if low is None and high is None:
        given = columns.value(row, "salary")
        if isinstance(given, Mapping):
            text = json.dumps({"@type": "JobPosting", "baseSalary": given})
            blocks = read_jsonld(Source("-", text), strict=False)
            return blocks[0].salary if blocks else None
        return facts.find_salary(f"Salary: {given}") if given is not None else None  # the column says it is pay
    low, high = (low if low is not None else high), (high if high is not None else low)
    assert low is not None and high is not None
    period = _PERIODS.get(str(columns.value(row, "period") or "year").strip().lower())
    if period is None:
        return None  # weekly, daily: not a period kg keeps
    currency = str(columns.value(row, "currency") or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        return None  # an amount without its currency is not a fact kg can state
    return Salary(min(low, high), max(low, high), currency, period)
