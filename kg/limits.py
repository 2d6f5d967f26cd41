"""Bounds on what one input file may make kg do: how deep it nests, how far it unpacks, how far its entities expand.

Oxigraph's JSON-LD parser recurses once per level (a 5,000-deep file overflows the stack),
XML entities can grow a kilobyte into gigabytes ("billion laughs"), and a small zip can hold
a gigabyte. Every reader checks its input against these limits *before* the parser or the
unpacker sees it, streaming, in bounded memory, and fails with an :class:`~kg.errors.LimitError`
that names the limit and the environment variable that raises it:

- :data:`DEPTH` (``KG_MAX_DEPTH``): levels of nesting of JSON, JSON-LD and XML elements;
- :data:`UNPACKED` (``KG_MAX_UNPACKED``): bytes one member of a zip (a taxonomy release, the
  parts of an Excel workbook) may unpack to;
- :data:`EXPANSION` (``KG_MAX_EXPANSION``): bytes XML entity references may add to a file.

How big a file may be is the reader's own limit (``--max-bytes`` for postings); RDF files are
streamed, so their size alone costs no memory.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import numpy as np

from kg.errors import LimitError, ParseError, UsageError

#: Bytes read at a time by the scanners.
CHUNK = 1 << 22


@dataclass(frozen=True)
class Limit:
    """One limit: the environment variable that sets it, its default, and what it counts."""

    env: str
    default: int
    unit: str

    def value(self) -> int:
        """The limit in force: ``$env`` if set, else the default.

        Raises:
            UsageError: the variable is not a positive whole number.
        """
        text = os.environ.get(self.env, "").strip().replace("_", "")
        if not text:
            return self.default
        if not text.isdigit() or int(text) < 1:
            raise UsageError(f"{self.env}={text!r} is not a positive whole number of {self.unit}")
        return int(text)

    def error(self, where: str, found: str) -> LimitError:
        """The error for ``where``, which ``found`` (e.g. "nests deeper than") the limit."""
        value = self.value()
        return LimitError(f"{where}: {found} the limit of {value:,} {self.unit} ({self.env}); "
                          f"if you trust the file, raise it: {self.env}={value * 10}")


def option_limit(option: str, value: int, unit: str) -> str:
    """How a reader's own limit is named in its messages: ``the limit of 1,000 characters (--max-row, KG_MAX_ROW;
    raise it if you trust the file: --max-row 10000)``.

    ``option`` is the command-line option (``--max-row``); its environment variable is the same in capitals.
    """
    env = "KG_" + option.lstrip("-").replace("-", "_").upper()
    return f"the limit of {value:,} {unit} ({option}, {env}; raise it if you trust the file: {option} {value * 10})"


#: Real JSON-LD, postings and RDF/XML nest a few dozen levels at most; Oxigraph's JSON-LD parser spends time and
#: memory that grow with the square of the depth (an object 500 levels deep: 1.2 s and 100 MB; 5,000: a crash).
DEPTH = Limit("KG_MAX_DEPTH", 100, "levels")
UNPACKED = Limit("KG_MAX_UNPACKED", 128 * 1024 * 1024, "bytes")
EXPANSION = Limit("KG_MAX_EXPANSION", 16 * 1024 * 1024, "bytes")


# ------------------------------------------------------------------ JSON nesting

_STEP = np.zeros(256, np.int64)
_STEP[[ord("["), ord("{")]] = 1
_STEP[[ord("]"), ord("}")]] = -1
#: Every byte but the ones that open or close a string, an object or an array.
_NOT_MARKS = bytes(c for c in range(256) if c not in b'"[]{}')


def check_json_depth(stream: IO[bytes], where: str) -> None:
    """Stop if the JSON in ``stream`` nests objects and arrays deeper than :data:`DEPTH`.

    A streaming count of the brackets outside strings, a chunk at a time (escaped quotes and
    backslashes removed first, so the quotes left open and close strings), in bounded memory
    and at about 50 MB/s. Malformed JSON is left to the parser to report.

    Raises:
        LimitError: it does; names ``where``, the limit and ``KG_MAX_DEPTH``.
    """
    limit = DEPTH.value()
    depth, in_string, carry = 0, 0, b""
    while data := stream.read(CHUNK):
        data = carry + data
        cut = len(data.rstrip(b"\\"))  # a run of backslashes may go on in the next chunk
        data, carry = data[:cut], data[cut:]
        marks = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_MARKS)
        if not marks:
            continue
        codes = np.frombuffer(marks, np.uint8)
        quote = codes == ord('"')
        quotes = np.cumsum(quote) + in_string
        levels = np.cumsum(np.where((quotes & 1) | quote, 0, _STEP[codes])) + depth
        if int(levels.max()) > limit:
            raise DEPTH.error(where, "JSON nests deeper than")
        depth, in_string = int(levels[-1]), int(quotes[-1] & 1)


def check_json_text(text: str, where: str) -> None:
    """:func:`check_json_depth` for JSON already read as text."""
    import io

    check_json_depth(io.BytesIO(text.encode("utf-8", "surrogatepass")), where)


# ------------------------------------------------------------------ XML nesting and entities


def check_xml(stream: IO[bytes], where: str, size: int) -> None:
    """Stop if the XML in ``stream`` nests deeper than :data:`DEPTH` or its entities expand past :data:`EXPANSION`.

    One pass of expat (streaming, no tree, no external entities fetched). The text and
    attribute values it reports are the document with its entities expanded; past the file's
    own ``size`` they can only come from entities, and that growth is what the limit counts.

    Raises:
        LimitError: a limit is reached (names it and its environment variable).
        ParseError: the XML is malformed (names the line).
    """
    import xml.parsers.expat as expat

    depth_limit = DEPTH.value()
    budget = size + EXPANSION.value()
    depth = chars = 0

    def start(_name: str, _attributes: list[str]) -> None:  # (an exception raised here comes out of Parse)
        nonlocal depth
        depth += 1
        if depth > depth_limit:
            raise DEPTH.error(where, "XML nests deeper than")

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def grow(count: int) -> None:
        nonlocal chars
        chars += count
        if chars > budget:
            raise EXPANSION.error(where, "its XML entities grow it by more than")

    def start_counting(name: str, attributes: list[str]) -> None:
        start(name, attributes)
        grow(sum(len(value) for value in attributes[1::2]))

    def entity(*_declaration: object) -> None:
        # Only a document that declares entities (or attribute defaults) can grow: count its text from here on (the
        # declarations come before the first element), and spare every other file the cost.
        parser.StartElementHandler = start_counting
        parser.CharacterDataHandler = lambda data: grow(len(data))

    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = parser.AttlistDeclHandler = entity
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    try:
        while data := stream.read(CHUNK):
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        if "amplification" in str(exc):  # expat's own guard against entity bombs went off first
            raise EXPANSION.error(where, "its XML entities grow it by more than") from None
        raise ParseError(f"{where} line {exc.lineno}: malformed XML: {expat.ErrorString(exc.code)}") from None


# ------------------------------------------------------------------ zips


def check_unpacked(info: zipfile.ZipInfo, where: str) -> None:
    """Stop if a zip member says it unpacks past :data:`UNPACKED`.

    Python's zipfile never gives more than the size a member declares (a member that lies
    fails its CRC check), so the declared size bounds what reading it costs.

    Raises:
        LimitError: it does.
    """
    if info.file_size > UNPACKED.value():
        raise UNPACKED.error(where, f"unpacks to {info.file_size:,} bytes, over")


#: openpyxl streams the sheets but holds the other parts of a workbook whole, its shared strings taking
#: about six times their size in memory (119 MB of them: 718 MB): those may take this share of :data:`UNPACKED`.
#: O*NET 29.2's largest shared strings: 1.9 MB.
HELD_SHARE = 8


def check_workbook(data: Any, where: str) -> None:
    """Stop before openpyxl reads an Excel workbook that unpacks too far or declares a DTD.

    Its parts together must unpack within :data:`UNPACKED`, those it holds in memory within
    1/:data:`HELD_SHARE` of it, and no XML part may declare a document type: Excel never
    writes one, and its entities are how an XML bomb expands. ``data`` (a seekable binary file) is left at its start.

    Raises:
        LimitError: a part is too big, or declares a DTD.
        InputError: not a zip (as openpyxl would say).
    """
    import xml.parsers.expat as expat

    try:
        with zipfile.ZipFile(data) as archive:
            infos = archive.infolist()
            total = sum(info.file_size for info in infos)
            if total > UNPACKED.value():
                raise UNPACKED.error(where, f"unpacks to {total:,} bytes, over")
            held = sum(info.file_size for info in infos if not info.filename.startswith("xl/worksheets/"))
            if held > UNPACKED.value() // HELD_SHARE:
                raise UNPACKED.error(where, f"has {held:,} bytes of parts that Excel readers hold in memory "
                                            f"(shared strings, styles), over 1/{HELD_SHARE} of")
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    continue
                with archive.open(info) as part:
                    _refuse_doctype(part, f"{where}:{info.filename}", expat)
    except zipfile.BadZipFile as exc:
        from kg.errors import InputError

        raise InputError(f"{where}: not a readable Excel workbook: {exc}") from None
    finally:
        data.seek(0)


class _PrologEndError(Exception):
    """The prolog is over: the scan for a document type declaration can stop."""


def _refuse_doctype(part: IO[bytes], where: str, expat: Any) -> None:
    def doctype(*_args: Any) -> None:
        raise LimitError(f"{where}: declares an XML document type (DTD), which Excel never writes and whose "
                         "entities can expand without bound; refused")

    def root(*_args: Any) -> None:
        raise _PrologEndError

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while data := part.read(1 << 16):
            parser.Parse(data, False)
    except (_PrologEndError, expat.ExpatError):
        return  # a malformed part is openpyxl's to report
