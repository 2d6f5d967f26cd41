"""Find a taxonomy's files in folders and zips, and stream their rows.

A release comes as zips, as the unzipped files, or as a folder of either; kg
finds each file it needs by its base name, wherever it sits, and reads it in
place: CSV rows go through the ``csv`` module straight off the zip member,
Excel rows through openpyxl's read-only mode. Nothing is unpacked to disk.
"""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import InputError
from kg.limits import check_unpacked, check_workbook

#: Called with the number of bytes (CSV) or rows (Excel) just read.
Progress = Callable[[int], None]

DATA_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class Member:
    """One data file: a plain file, or a member of a zip."""

    name: str
    path: Path
    member: str | None = None
    size: int = 0

    def where(self) -> str:
        """Where the file is, for messages: ``PATH`` or ``ZIP:MEMBER``."""
        return f"{self.path}:{self.member}" if self.member else str(self.path)

    @contextlib.contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """The file's bytes, read in place.

        Raises:
            InputError: the file or zip cannot be read.
        """
        try:
            if self.member is None:
                with open(self.path, "rb") as handle:
                    yield handle
            else:
                with zipfile.ZipFile(self.path) as archive:
                    check_unpacked(archive.getinfo(self.member), self.where())
                    with archive.open(self.member) as handle:
                        yield handle
        except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a damaged zip or deflate stream
            raise InputError(f"{self.where()}: cannot read: {exc}") from None


def find_members(paths: Sequence[Path]) -> dict[str, Member]:
    """Every CSV and Excel file in ``paths`` (files, zips, folders of either), by base name.

    Raises:
        InputError: a path is missing, a zip is damaged, or two files share a name.
    """
    found: dict[str, Member] = {}
    for path in paths:
        for member in _members_of(Path(path)):
            other = found.get(member.name)
            if other is not None:
                raise InputError(f"{member.name} is there twice ({other.where()} and {member.where()}); pass only one")
            found[member.name] = member
    return found


def _members_of(path: Path) -> Iterator[Member]:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and child.suffix.lower() in (*DATA_SUFFIXES, ".zip") and not child.name.startswith("."):
                yield from _members_of(child)
        return
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
        except (OSError, zipfile.BadZipFile) as exc:
            raise InputError(f"{path}: not a readable zip: {exc}") from None
        for info in infos:
            name = info.filename.rsplit("/", 1)[-1]
            if not info.is_dir() and name.lower().endswith(DATA_SUFFIXES) and not name.startswith((".", "~$")):
                yield Member(name, path, info.filename, info.file_size)
        return
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise InputError(f"{path}: expected a folder, a .zip, or a {' or '.join(DATA_SUFFIXES)} file")
    yield Member(path.name, path, None, path.stat().st_size)


class _Counting(io.RawIOBase):
    """A binary stream that reports how many bytes were read from it."""

    def __init__(self, raw: IO[bytes], on_bytes: Progress) -> None:
        self._raw = raw
        self._on_bytes = on_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        if data:
            self._on_bytes(len(data))
        return len(data)


def csv_rows(
    member: Member, columns: Sequence[str], on_progress: Progress | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file: ``(line, values of columns)``, line being where the row ends.

    Raises:
        InputError: the file lacks one of ``columns``, is not UTF-8, or is malformed (names file and line).
    """
    with member.open() as raw:
        stream: IO[bytes] = raw
        if on_progress:
            stream = io.BufferedReader(_Counting(raw, on_progress))
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{member.where()}: the file is empty")
            index = [_column(header, name, member) for name in columns]
            width = max(index) + 1
            for row in reader:
                if len(row) < width:
                    if not any(row):
                        continue
                    raise InputError(f"{member.where()} line {reader.line_num}: expected {len(header)} columns")
                yield reader.line_num, [row[i] for i in index]
        except UnicodeDecodeError:
            raise InputError(f"{member.where()} line {reader.line_num}: not UTF-8 text") from None
        except csv.Error as exc:
            raise InputError(f"{member.where()} line {reader.line_num}: malformed CSV: {exc}") from None


def _column(header: list[str], name: str, member: Member) -> int:
    try:
        return header.index(name)
    except ValueError:
        raise InputError(f"{member.where()}: no column {name!r} (found: {', '.join(header)})") from None


def xlsx_rows(
    member: Member, columns: Sequence[str], on_progress: Progress | None = None
) -> Iterator[tuple[int, list[object]]]:
    """The rows of the first sheet of an Excel file: ``(row number, values of columns)``.

    Raises:
        InputError: the file is not a readable workbook or lacks one of ``columns``.
    """
    import openpyxl

    with member.open() as raw:
        data = raw if member.member is None else io.BytesIO(raw.read())  # openpyxl needs to seek
        check_workbook(data, member.where())
        try:
            workbook = openpyxl.load_workbook(data, read_only=True, data_only=True)
        except (OSError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
            raise InputError(f"{member.where()}: not a readable Excel workbook: {exc}") from None
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
            if not header:
                raise InputError(f"{member.where()}: the sheet is empty")
            index = [_column(header, name, member) for name in columns]
            for number, row in enumerate(rows, start=2):
                if on_progress:
                    on_progress(1)
                if row and any(cell is not None for cell in row):
                    yield number, [row[i] if i < len(row) else None for i in index]
        finally:
            workbook.close()


def xlsx_row_count(member: Member) -> int:
    """The number of data rows the first sheet says it has (for progress), or 0 if unknown."""
    import openpyxl

    with member.open() as raw:
        data = raw if member.member is None else io.BytesIO(raw.read())
        check_workbook(data, member.where())
        try:
            workbook = openpyxl.load_workbook(data, read_only=True)
        except (OSError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
            raise InputError(f"{member.where()}: not a readable Excel workbook: {exc}") from None
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()
