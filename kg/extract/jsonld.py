"""Read schema.org ``JobPosting`` JSON-LD: one object, a list, or an ``@graph``.

Fields read: title, hiringOrganization, description (HTML stripped), skills,
qualifications, experienceRequirements, educationRequirements, baseSalary.
Each posting's lines are the lines of its object in the file.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from typing import Any

from kg.errors import ParseError
from kg.extract.blocks import Block, Line, Source
from kg.extract.dates import parse_date
from kg.extract.places import job_location
from kg.models import PREFERRED, REQUIRED, Level, Period, Salary

_BREAK_TAGS = {"p", "br", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "tr", "section", "dt", "dd"}
_HIDDEN_TAGS = {"script", "style", "noscript", "template"}
_PERIODS: dict[str, Period] = {"year": "year", "annual": "year", "month": "month", "hour": "hour"}
_TEXT_FIELDS: tuple[tuple[str, Level | None], ...] = (
    ("description", None),
    ("responsibilities", None),
    ("qualifications", REQUIRED),
    ("skills", REQUIRED),
    ("experienceRequirements", REQUIRED),
    ("educationRequirements", REQUIRED),
    ("preferredQualifications", PREFERRED),
)


class _TextOfHtml(HTMLParser):
    """Collect the text of an HTML fragment, one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _HIDDEN_TAGS:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _HIDDEN_TAGS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # the code of a script or a style is not text of the posting
            self.parts.append(data)


def html_to_lines(text: str) -> list[str]:
    """The non-blank text lines of an HTML (or plain) string."""
    if "<" in text and ">" in text:
        parser = _TextOfHtml()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def read_jsonld(source: Source, *, strict: bool) -> list[Block] | None:
    """Posting blocks of a JSON-LD source; None if it is not JSON and ``strict`` is false.

    Raises:
        ParseError: the JSON is malformed (when ``strict``) or holds no JobPosting;
            the message names the file and line.
    """
    text = source.text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if not strict:
            return None
        raise ParseError(f"{source.name}:{exc.lineno}: malformed JSON: {exc.msg}") from None
    except RecursionError:
        raise ParseError(f"{source.name}: JSON nested too deeply") from None
    items = _postings(data)
    if not items:
        if not strict:
            return None
        raise ParseError(f"{source.name}: no schema.org JobPosting found")
    spans = _item_spans(text, data)
    blocks = []
    lines = _LineCounter(text)
    for index, item in enumerate(items):
        start, end = spans[index] if len(spans) == len(items) else (0, len(text))
        blocks.append(_block(source.name, text, item, start, end, lines))
    return blocks


def _postings(data: Any) -> list[dict[str, Any]]:
    """The JobPosting objects of a JSON-LD document, in order."""
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data = data["@graph"]
    items = data if isinstance(data, list) else [data]
    return [item for item in items if isinstance(item, dict) and _is_job_posting(item)]


def _is_job_posting(item: dict[str, Any]) -> bool:
    types = item.get("@type", item.get("type"))
    types = types if isinstance(types, list) else [types]
    return any(isinstance(t, str) and t.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == "JobPosting" for t in types)


def _item_spans(text: str, data: Any) -> list[tuple[int, int]]:
    """Character spans of the JobPosting objects: the items of a top-level list or ``@graph``, or the one object.

    One pass over the text (each item is decoded once more, to find where it ends), so that a document of
    thousands of postings costs in proportion to its size.
    """
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    if text[pos:pos + 1] == "{" and isinstance(data, dict) and isinstance(data.get("@graph"), list):
        pos = _graph_start(text, pos, decoder)
        if pos < 0:
            return []
    elif text[pos:pos + 1] != "[":
        return [(pos, len(text))]
    spans: list[tuple[int, int]] = []
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return spans
        try:
            item, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            return spans
        if isinstance(item, dict) and _is_job_posting(item):
            spans.append((pos, end))
        pos = end


def _graph_start(text: str, pos: int, decoder: json.JSONDecoder) -> int:
    """The offset of the ``[`` of the top-level object's ``@graph`` (the object starts at ``pos``), or -1."""
    pos += 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        try:
            key, pos = decoder.raw_decode(text, pos)
            pos = text.index(":", pos) + 1
            while text[pos] in " \t\r\n":
                pos += 1
            if key == "@graph":
                return pos
            _, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError, ValueError, IndexError):
            return -1


class _LineCounter:
    """Line numbers of offsets into a text, counted on from the last offset asked (linear for rising offsets)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def __call__(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _block(name: str, text: str, item: dict[str, Any], start: int, end: int, line_of: _LineCounter) -> Block:
    first, last = line_of(start), line_of(max(start, end - 1))
    raw = text[start:end]
    lines: list[Line] = []
    for key, hint in _TEXT_FIELDS:
        for value in _strings(item.get(key)):
            number = _field_line(raw, value, first)
            lines.extend(Line(number, part, hint) for part in html_to_lines(value))
    title = _first_string(item.get("title") or item.get("name"))
    lines.insert(0, Line(first, "", None))
    lines.append(Line(last, "", None))
    return Block(
        source=name,
        lines=lines,
        title=html_to_lines(title)[0] if title and html_to_lines(title) else None,
        company=_organisation(item.get("hiringOrganization")),
        salary=_salary(item.get("baseSalary") or item.get("estimatedSalary")),
        date_posted=parse_date(item.get("datePosted")),
        location=job_location(item),
    )


def _field_line(raw: str, value: str, first: int) -> int:
    """The file line where a string value sits inside its object (``first`` if not found)."""
    needle = json.dumps(value, ensure_ascii=False)[1:-1][:60]
    at = raw.find(needle) if needle else -1
    return first + raw.count("\n", 0, at) if at >= 0 else first


def _strings(value: Any) -> list[str]:
    """All strings in a JSON value: a string, a list, or objects with name/description/text."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for key in ("name", "description", "text", "credentialCategory") for s in _strings(value.get(key))]
    return []


def _first_string(value: Any) -> str | None:
    strings = _strings(value)
    return strings[0].strip() if strings and strings[0].strip() else None


def _organisation(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("legalName")
    return _first_string(value)


def _salary(value: Any) -> Salary | None:
    """A schema.org MonetaryAmount as a Salary, when it has numbers."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, dict):
        return None
    currency = str(value.get("currency") or "").strip().upper()
    amount = value.get("value")
    unit = str(value.get("unitText") or "")
    if isinstance(amount, dict):
        unit = str(amount.get("unitText") or unit)
        low, high = _number(amount.get("minValue")), _number(amount.get("maxValue"))
        single = _number(amount.get("value"))
        low, high = low if low is not None else single, high if high is not None else single
    else:
        low = high = _number(amount)
    if low is None and high is None:
        return None
    low = low if low is not None else high
    high = high if high is not None else low
    assert low is not None and high is not None
    period: Period = next((p for key, p in _PERIODS.items() if key in unit.lower()), "year")
    known = currency if re.fullmatch(r"[A-Z]{3}", currency) else None  # an unknown currency stays unset
    return Salary(min(low, high), max(low, high), known, period)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value and abs(value) < 1e12 else None
    if isinstance(value, str):
        try:
            return _number(float(value.replace(",", "").strip()))
        except ValueError:
            return None
    return None
