"""When a posting was posted: a date from a column, a JSON-LD ``datePosted`` or a "Date posted:" line
(also a "Posted 2026-11-20" part of a job board's line under the title: :mod:`kg.extract.when_where`).

Dates come back as ISO 8601 calendar dates (``2024-03-01``), the form of
``xsd:date``. What cannot be read as a plausible date is ``None``, never a guess
from a number that might mean something else.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

#: Dates outside these years are refused as implausible for a job posting.
FIRST_YEAR, LAST_YEAR = 1990, 2100

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_SLASHED_YMD = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})([/.])(\d{1,2})\2(\d{4})")
_MONTH_FIRST = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_FIRST = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
#: A label, then a colon, a dash, a table's bar or only a space ("Posted on Nov 20, 2026", as job boards write
#: it): the value must then be all of a date, so "Posted 3 days ago" or a sentence gives none.
_DATE_LINE = re.compile(
    r"^\W*(?:date\s+posted|posted\s+on|posted|posting\s+date|date\s+of\s+posting|published(?:\s+on)?)"
    r"(?:\s*[:\-–|]\s*|\s+)(?P<value>.{4,40}?)[\s|]*$",
    re.IGNORECASE,
)


def parse_date(value: object) -> str | None:
    """An ISO date (``YYYY-MM-DD``) from what a data set or page gives, or ``None``.

    Reads ISO dates and date-times, ``YYYY/MM/DD``, ``MM/DD/YYYY`` (``DD/MM/YYYY`` when
    the first number cannot be a month; ``DD.MM.YYYY`` with dots), ``March 1, 2024``,
    ``1 March 2024``, and Unix times in seconds or milliseconds (as the LinkedIn data
    set's ``listed_time``).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, dt.datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, dt.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, (int, float)):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if re.fullmatch(r"\d{9,13}(?:\.\d+)?", text):
        return _from_epoch(float(text))
    if match := _ISO.fullmatch(text) or _SLASHED_YMD.fullmatch(text):
        return _checked(int(match[1]), int(match[2]), int(match[3]))
    if match := _SLASHED.fullmatch(text):
        first, second, year = int(match[1]), int(match[3]), int(match[4])
        day_first = match[2] == "." or first > 12
        return _checked(year, second, first) if day_first else _checked(year, first, second)
    if match := _MONTH_FIRST.fullmatch(text):
        month = _MONTHS.get(match[1].lower())
        return _checked(int(match[3]), month, int(match[2])) if month else None
    if match := _DAY_FIRST.fullmatch(text):
        month = _MONTHS.get(match[2].lower())
        return _checked(int(match[3]), month, int(match[1])) if month else None
    return None


def find_date_line(lines: Iterable[tuple[int, str]]) -> tuple[str, int] | None:
    """The date of the first "Date posted:" (or "Posted on", "Published:") line, and its line number."""
    for number, text in lines:
        if len(text) < 80 and (match := _DATE_LINE.match(text)):
            date = parse_date(match["value"].strip(" .;"))
            if date:
                return date, number
    return None


def month_of(date: str) -> str:
    """``2024-03`` for ``2024-03-17``."""
    return date[:7]


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000.0
    if not 6e8 < seconds < 4.2e9:
        return None
    moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    return _checked(moment.year, moment.month, moment.day)


def _checked(year: int, month: int | None, day: int) -> str | None:
    if month is None or not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
