"""Postings from tables and record files, read row by row: CSV, TSV, JSON Lines and Parquet.

Memory stays flat however large the file: rows are read one at a time and each
is held to a size limit (``max_row`` characters) instead of the whole-file limit
of a text posting. A malformed row is a one-line warning that names the file and
row, and is counted in :class:`ReadReport`; the other rows go in.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError, LimitError
from kg.extract.blocks import Block
from kg.extract.layouts import ColumnMap, column_map
from kg.extract.records import RowError, RowRecord, Where
from kg.limits import DEPTH, check_json_depth, option_limit

log = logging.getLogger(__name__)

#: Refuse rows longer than this many characters (a posting with a 1 MB description is not a posting).
MAX_ROW = 1_000_000
KINDS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
         ".jsonlines": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
_SNIFF = 1 << 20


@dataclass
class ReadReport:
    """What the readers skipped (file, row, why) and the layout each table was read as."""

    skipped: list[tuple[str, int, str]] = field(default_factory=list)
    layouts: dict[str, str] = field(default_factory=dict)

    def skip(self, source: str, row: int, reason: str, unit: str = "row") -> None:
        """Count a row (or a page's block) that was not read and say so in one line."""
        log.warning("%s: %s %d: skipped: %s", source, unit, row, reason)
        self.skipped.append((source, row, reason))

    def merge(self, other: ReadReport) -> None:
        self.skipped.extend(other.skipped)
        self.layouts.update(other.layouts)


def table_kind(path: str) -> str | None:
    """``csv``, ``tsv``, ``jsonl`` or ``parquet`` for a file read row by row, from its name."""
    return KINDS.get(Path(path).suffix.lower())


def table_blocks(path: str, kind: str, *, mapping: Mapping[str, str] | None = None, max_row: int | None = MAX_ROW,
                 report: ReadReport | None = None, progress: Callable[[int], None] | None = None) -> Iterator[Block]:
    """The posting blocks of a table or record file, one row at a time.

    Raises:
        InputError: the file is missing, unreadable, binary or empty, has no header,
            or has no column a posting can be read from.
        UsageError: ``mapping`` names a column the file does not have.
    """
    report = report if report is not None else ReadReport()
    yield from row_blocks(table_records(path, kind, mapping=mapping, max_row=max_row, report=report,
                                        progress=progress), report)


def table_records(path: str, kind: str, *, mapping: Mapping[str, str] | None = None, max_row: int | None = MAX_ROW,
                  report: ReadReport | None = None,
                  progress: Callable[[int], None] | None = None) -> Iterator[RowRecord]:
    """The rows of a table or record file, one at a time, not yet made into blocks (see :func:`table_blocks`)."""
    report = report if report is not None else ReadReport()
    file = _checked(path)
    if kind == "parquet":
        yield from _records(_parquet_rows(file, path, mapping or {}, max_row, report, progress))
        return
    with _Counted(file.open("rb", buffering=0), progress) as handle:
        if kind == "jsonl":
            yield from _records(_json_lines(handle, path, mapping or {}, max_row, report))
        else:
            yield from _records(_csv_rows(handle, path, kind, _encoding(file), mapping or {}, max_row, report))


def json_lines_blocks(handle: IO[bytes], name: str, *, mapping: Mapping[str, str] | None = None,
                      max_row: int | None = MAX_ROW, report: ReadReport | None = None) -> Iterator[Block]:
    """The posting blocks of JSON Lines read from a binary handle, one line at a time."""
    report = report if report is not None else ReadReport()
    yield from row_blocks(_records(_json_lines(handle, name, mapping or {}, max_row, report)), report)


def row_blocks(records: Iterable[RowRecord], report: ReadReport) -> Iterator[Block]:
    """The blocks of rows; a row that is no posting is skipped, with a warning naming its file and row."""
    for record in records:
        try:
            yield from record.blocks()
        except RowError as exc:
            report.skip(record.where.source, record.where.row, str(exc))


def _records(rows: Rows) -> Iterator[RowRecord]:
    return (RowRecord(where, row, columns) for where, row, columns in rows)


class _Counted(io.BufferedReader):
    """A buffered binary file that tells ``progress`` how many bytes it has read."""

    def __init__(self, raw: Any, progress: Callable[[int], None] | None) -> None:
        super().__init__(raw, buffer_size=1 << 16)
        self._progress = progress

    def _count(self, data: bytes) -> bytes:
        if self._progress is not None and data:
            self._progress(len(data))
        return data

    def read(self, size: int | None = -1) -> bytes:
        return self._count(super().read(size))

    def read1(self, size: int = -1) -> bytes:
        return self._count(super().read1(size))

    def readline(self, size: int | None = -1) -> bytes:
        return self._count(super().readline(size))


Rows = Iterator[tuple[Where, Mapping[str, Any], ColumnMap]]


def _checked(path: str) -> Path:
    file = Path(path)
    try:
        if file.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        if file.stat().st_size == 0:
            raise InputError(f"{path}: is empty")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    return file


def _encoding(path: Path) -> str:
    """UTF-8 if the first megabyte decodes as UTF-8, else cp1252 (with a warning)."""
    with path.open("rb") as handle:
        head = handle.read(_SNIFF)
    if b"\x00" in head[:65536]:
        raise InputError(f"{path}: looks like a binary file, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        log.warning("%s: not valid UTF-8; read as cp1252", path)
        return "cp1252"


def _too_long(max_row: int | None) -> str:
    """Why a row over ``max_row`` characters is skipped, naming the limit and how to raise it."""
    return f"longer than {option_limit('--max-row', max_row or 0, 'characters')}"


def _columns(path: str, header: list[str], mapping: Mapping[str, str], report: ReadReport) -> ColumnMap:
    columns = column_map(header, mapping)
    if "title" not in columns.columns and "description" not in columns.columns:
        raise InputError(f"{path}: no column for the title or the description (columns: {', '.join(header[:20])}); "
                         f"name them with --map title=COLUMN,description=COLUMN")
    report.layouts.setdefault(path, columns.layout or "columns by name")
    return columns


def _csv_rows(binary: IO[bytes], path: str, kind: str, encoding: str, mapping: Mapping[str, str],
              max_row: int | None, report: ReadReport) -> Rows:
    csv.field_size_limit(max_row or 2**31 - 1)
    with io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="") as handle:
        reader = csv.reader(handle, dialect="excel-tab" if kind == "tsv" else "excel")
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(f"{path}: is empty") from None
        except csv.Error as exc:
            reason = _too_long(max_row) if "field limit" in str(exc) else f"malformed header: {exc}"
            raise InputError(f"{path}:1: {reason}") from None
        header = [name.strip() for name in header]
        columns = _columns(path, header, mapping, report)
        number, last_line = 0, reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                report.skip(path, number, _too_long(max_row) if "field limit" in str(exc) else f"malformed CSV: {exc}")
                last_line = reader.line_num
                continue
            first, last_line = last_line + 1, reader.line_num
            if not values or not any(v.strip() for v in values):
                continue
            number += 1
            if len(values) != len(header):
                report.skip(path, number, f"{len(values)} fields where the header has {len(header)}")
                continue
            if max_row is not None and sum(map(len, values)) > max_row:
                report.skip(path, number, _too_long(max_row))
                continue
            yield Where(path, number, first, last_line), dict(zip(header, values)), columns


def _json_lines(handle: IO[bytes], path: str, mapping: Mapping[str, str], max_row: int | None,
                report: ReadReport) -> Rows:
    limit = max_row if max_row is not None else -1
    depth = DEPTH.value()
    columns_by_keys: dict[tuple[str, ...], ColumnMap] = {}
    number = 0
    for raw in _lines(handle, limit):
        number += 1
        if raw is None:
            report.skip(path, number, _too_long(max_row))
            continue
        if not raw.strip():
            continue
        try:
            if raw.count(b"{") + raw.count(b"[") > depth:  # else it cannot nest deeper: spare the scan
                check_json_depth(io.BytesIO(raw), "it")
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            report.skip(path, number, f"malformed JSON: {exc.msg} (column {exc.colno})")
            continue
        except LimitError as exc:
            report.skip(path, number, str(exc).removeprefix("it: "))
            continue
        except RecursionError:
            report.skip(path, number, f"nests deeper than Python's JSON reader can follow ({DEPTH.env}={depth} "
                                      "is above it)")
            continue
        except UnicodeDecodeError:
            report.skip(path, number, "not UTF-8 text")
            continue
        if not isinstance(row, dict):
            report.skip(path, number, f"a JSON {type(row).__name__}, not an object")
            continue
        keys = tuple(sorted(row))
        columns = columns_by_keys.get(keys)
        if columns is None:
            if len(columns_by_keys) > 1000:
                columns_by_keys.clear()
            try:
                columns = columns_by_keys[keys] = _columns(path, list(row), mapping, report)
            except InputError as exc:
                report.skip(path, number, str(exc).split(": ", 1)[-1].split(" (columns")[0])
                continue
        yield Where(path, number, number, number), row, columns


def _lines(handle: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Each line of a binary file, or ``None`` for one longer than ``limit`` bytes (read past, never held)."""
    while True:
        line = handle.readline(limit + 1) if limit >= 0 else handle.readline()
        if not line:
            return
        if limit >= 0 and len(line) > limit and not line.endswith(b"\n"):
            while (more := handle.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _parquet_rows(file: Path, path: str, mapping: Mapping[str, str], max_row: int | None, report: ReadReport,
                  progress: Callable[[int], None] | None) -> Rows:
    from kg.extract.parquet import parquet_rows

    names, rows = parquet_rows(file, path, max_row)
    columns = _columns(path, names, mapping, report)
    for number, compressed, row in rows:
        if progress is not None and compressed:
            progress(compressed)
        if row is None:
            report.skip(path, number, _too_long(max_row))
            continue
        yield Where(path, number, number, number), row, columns
