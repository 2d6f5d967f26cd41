"""Read sources safely and cut them into blocks, one per posting.

A source is decoded (UTF-8, then cp1252, then latin-1), checked against size
limits and sniffed: schema.org JSON-LD goes to :mod:`kg.extract.jsonld`, text
with fenced blocks or ``+`` posting bullets to :mod:`kg.extract.markdown`, and
any other text is one posting.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from kg.errors import InputError
from kg.extract import jsonld, markdown
from kg.extract.blocks import Block, Line, Source
from kg.limits import check_json_text, option_limit

__all__ = ["MAX_BYTES", "MAX_LINE", "Block", "Line", "Source", "decode", "read_source", "split_source"]

log = logging.getLogger(__name__)

#: Refuse files larger than this many bytes (issue 7: default 50 MB).
MAX_BYTES = 50 * 1024 * 1024
#: Refuse lines longer than this many characters.
MAX_LINE = 100_000
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_JSON_SUFFIXES = (".json", ".jsonld")


def read_source(path: str, *, max_bytes: int | None = MAX_BYTES) -> Source:
    """Read and decode one file (``-`` is stdin), refusing what is not text.

    Raises:
        InputError: the file is missing, a directory, unreadable, too large,
            binary or empty. The message names the file.
    """
    if path == "-":
        data = sys.stdin.buffer.read() if max_bytes is None else sys.stdin.buffer.read(max_bytes + 1)
    else:
        data = _read_bytes(Path(path), path, max_bytes)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"{path}: larger than {option_limit('--max-bytes', max_bytes, 'bytes')}")
    return decode(data, path)


def _read_bytes(file: Path, name: str, max_bytes: int | None) -> bytes:
    try:
        if file.is_dir():
            raise InputError(f"{name}: is a directory, not a file")
        size = file.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(f"{name}: {size:,} bytes is larger than {option_limit('--max-bytes', max_bytes, 'bytes')}")
        with file.open("rb") as handle:
            return handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None


def decode(data: bytes, name: str) -> Source:
    """Decode bytes as UTF-8, else cp1252, else latin-1; refuse binary and empty input.

    Raises:
        InputError: the data holds NUL bytes (binary) or nothing but white space.
    """
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file, not text")
    text, encoding = _decode(data)
    if encoding != "utf-8":
        log.warning("%s: not valid UTF-8; read as %s", name, encoding)
    if not text.strip():
        raise InputError(f"{name}: is empty")
    return Source(name, text.replace("\r\n", "\n").replace("\r", "\n"), encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the first encoding of UTF-8, cp1252, latin-1 that decodes it (latin-1 always does)."""
    for encoding in _ENCODINGS[:-1]:
        try:
            return data.decode("utf-8-sig" if encoding == "utf-8" else encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode(_ENCODINGS[-1]), _ENCODINGS[-1]


def check_lines(source: Source, max_line: int | None = MAX_LINE) -> list[str]:
    """The lines of a source, refusing any longer than ``max_line`` characters.

    Raises:
        InputError: a line is too long; the message names the file and line.
    """
    lines = source.text.split("\n")
    if max_line is not None and max(map(len, lines)) > max_line:  # the loop only to name the line
        for number, text in enumerate(lines, start=1):
            if len(text) > max_line:
                raise InputError(f"{source.name}:{number}: line longer than "
                                 f"{option_limit('--max-line', max_line, 'characters')}")
    return lines


def split_source(source: Source, *, max_line: int | None = MAX_LINE) -> list[Block]:
    """Cut a decoded source into posting blocks, choosing the reader by name and content."""
    stripped = source.text.lstrip()
    if source.name.lower().endswith(_JSON_SUFFIXES) or stripped[:1] in ("{", "["):
        check_json_text(source.text, source.name)  # a bound of our own, named in the error, not Python's recursion
        blocks = jsonld.read_jsonld(source, strict=source.name.lower().endswith(_JSON_SUFFIXES))
        if blocks is not None:
            return blocks
    lines = check_lines(source, max_line)
    blocks = markdown.split_markdown(source.name, lines)
    if blocks is not None:
        return blocks
    return [whole_text_block(source.name, lines)]


def whole_text_block(name: str, lines: list[str]) -> Block:
    """A plain text source: one posting from its first to its last non-blank line."""
    numbered = [Line(number, text) for number, text in enumerate(lines, start=1) if text.strip()]
    return Block(name, numbered)
