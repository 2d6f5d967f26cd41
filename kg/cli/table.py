"""Tables in the terminal: readable on a screen, plain when piped, fast, and safe from what the data holds.

- On a terminal, a small table is drawn by rich; a big one, or any table sent
  to a file or a pipe, is plain text: aligned columns, no box drawing,
  streamed row by row (column widths come from the first rows).
- Columns of IRIs are left out unless asked for (``kg --iris``) where a column
  of text is left to say which row is which: the label columns say the same
  for people (a table of graphs and their sizes keeps its graphs).
- Every number has one format: shares as ``33% (1 of 3)`` where the count is
  known (else ``33%``), other fractions with two decimals, counts with
  thousands separators.
- Control characters, escape sequences and invisible format characters in
  the data are shown escaped (``\\x1b``), never sent to the terminal.
"""

from __future__ import annotations

import itertools
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import IO, Any

from kg.namespaces import Iri
from kg.numbers import count, percent

#: Rows that decide the column widths of a plain table (and up to which a terminal gets a rich one).
HEAD_ROWS = 200
#: Columns that hold a share (0..1), shown as a percentage.
SHARE_COLUMNS = frozenset({"share", "coverage", "gain"})
#: Columns that hold the count a share was computed from, in the order they are looked for.
COUNT_COLUMNS = ("postings", "support", "count")
#: A plain cell is cut to this many characters for the width of its column (not for its text).
MAX_WIDTH = 60


#: Categories of characters that never reach the terminal as they are: controls, invisible format
#: characters (bidirectional overrides, zero-width ones), line and paragraph separators, surrogates.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def clean(text: str) -> str:
    """``text`` with control, escape and invisible format characters shown as ``\\x1b``, ``\\n``, ``\\u202e``."""
    if text.isprintable():
        return text
    return "".join(_escape(char) if unicodedata.category(char) in _HIDDEN else char for char in text)


def _escape(char: str) -> str:
    point = ord(char)
    return _NAMED.get(char) or (f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000
                                else f"\\U{point:08x}")


def cell(value: Any, column: str = "", row: dict[str, Any] | None = None) -> str:
    """The text of one cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and column in SHARE_COLUMNS:
        return _share(float(value), row or {})
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        return f"{value:,.2f}" if not value.is_integer() else count(value)
    return clean(str(value))


def _share(share: float, row: dict[str, Any]) -> str:
    part = next((row[name] for name in COUNT_COLUMNS if isinstance(row.get(name), int)), None)
    if part is not None and share > 0:
        total = round(part / share)
        return f"{percent(share)} ({part:,} of {total:,})"
    return percent(share)


def iri_columns(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> set[str]:
    """The columns whose values (in ``rows``) are all IRIs."""
    found = set()
    for column in columns:
        values = [row.get(column) for row in rows if row.get(column) is not None]
        if values and all(isinstance(value, Iri) for value in values):
            found.add(column)
    return found


def write_table(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None, *, title: str | None = None,
                iris: bool = False, stream: IO[str] | None = None, terminal: bool | None = None) -> int:
    """Write ``rows`` as a table; returns how many rows were written.

    Args:
        columns: the columns in order (default: the keys of the first row).
        title: a line above the table.
        iris: keep the columns of IRIs.
        stream: where to write (default stdout).
        terminal: draw for a terminal (default: whether ``stream`` is one).
    """
    out = stream or sys.stdout
    on_terminal = out.isatty() if terminal is None else terminal
    rows = iter(rows)
    head = list(itertools.islice(rows, HEAD_ROWS))
    names = list(columns or (head[0].keys() if head else []))
    if not iris:
        hidden = iri_columns(head, names)
        kept = [name for name in names if name not in hidden]
        if any(type(row.get(name)) is str for row in head for name in kept):  # a label says which row is which
            names = kept
    if on_terminal and len(head) < HEAD_ROWS:
        _rich(head, names, title, out)
        return len(head)
    return _plain(head, rows, names, title, out)


def _rich(rows: list[dict[str, Any]], columns: list[str], title: str | None, out: IO[str]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=clean(title) if title else None, header_style="bold")
    for column in columns:
        numeric = bool(rows) and all(isinstance(r.get(column), (int, float)) for r in rows if r.get(column) is not None)
        table.add_column(column, justify="right" if numeric else "left")
    for row in rows:
        table.add_row(*(Text(cell(row.get(c), c, row)) for c in columns))
    Console(file=out, soft_wrap=False).print(table)


def _plain(head: list[dict[str, Any]], rest: Iterable[dict[str, Any]], columns: list[str], title: str | None,
           out: IO[str]) -> int:
    numeric = {c for c in columns
               if head and all(isinstance(r.get(c), (int, float)) for r in head if r.get(c) is not None)}
    widths = [min(MAX_WIDTH, max([len(c)] + [len(cell(r.get(c), c, r)) for r in head])) for c in columns]
    last = len(columns) - 1
    template = "  ".join(f"{{:>{width}}}" if column in numeric else ("{}" if i == last else f"{{:<{width}}}")
                         for i, (column, width) in enumerate(zip(columns, widths, strict=True))) + "\n"
    formatters = [_formatter(column, head) for column in columns]
    if title:
        out.write(clean(title) + "\n")
    out.write(template.format(*columns).rstrip() + "\n")
    written = 0
    batch = []
    for row in itertools.chain(head, rest):
        batch.append(template.format(*[format_cell(row) for format_cell in formatters]).rstrip(" \n") + "\n")
        written += 1
        if len(batch) >= 2000:
            out.write("".join(batch))
            batch = []
    out.write("".join(batch))
    out.flush()
    return written


def _formatter(column: str, head: list[dict[str, Any]]) -> Callable[[dict[str, Any]], str]:
    """The fastest way to print ``column``, judged on the first rows; any other value takes :func:`cell`."""
    values = [row.get(column) for row in head if row.get(column) is not None]
    if values and column not in SHARE_COLUMNS and all(type(v) is str or isinstance(v, Iri) for v in values):
        def text(row: dict[str, Any]) -> str:
            value = row.get(column)
            if type(value) is str or isinstance(value, Iri):
                return value if value.isprintable() else clean(value)
            return cell(value, column, row)
        return text
    if column in SHARE_COLUMNS:
        counted = next((name for name in COUNT_COLUMNS if any(type(row.get(name)) is int for row in head)), "")

        def share(row: dict[str, Any]) -> str:
            value, part = row.get(column), row.get(counted)
            if type(value) is not float or type(part) is not int or value <= 0 or value >= 1 or part <= 0:
                return cell(value, column, row)
            rounded = round(value * 100)
            percentage = "<1%" if rounded == 0 else f"{rounded}%"
            return f"{percentage} ({part:,} of {round(part / value):,})"
        return share
    if values and all(type(v) is int for v in values):
        def whole(row: dict[str, Any]) -> str:
            value = row.get(column)
            return f"{value:,}" if type(value) is int else cell(value, column, row)
        return whole
    return lambda row: cell(row.get(column), column, row)
