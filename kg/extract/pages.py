"""Postings from saved job pages: every schema.org ``JobPosting`` in a page's
``<script type="application/ld+json">`` blocks, as job boards publish them for search engines.

The page is parsed with the standard library's HTML parser; each block's JSON is
read by :mod:`kg.extract.jsonld`, and each posting remembers the page, the line
of its block and its number among the page's postings (its "row"). A block that
is not valid JSON is a one-line warning and counted as skipped. A page with no
JobPosting at all is read as the text of one posting, each line with its line in the page, scripts, styles,
navigation and footer left out; its first ``<h1>`` is the title, and the ``<title>`` that repeats it names the
company after it ("Senior Frontend Engineer - Nimbus Maps | Careers").
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from kg.errors import LimitError
from kg.extract.blocks import Block, Line, Source
from kg.extract.jsonld import read_jsonld
from kg.extract.tables import ReadReport
from kg.limits import check_json_text

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "head", "svg", "nav", "footer"}
_BREAKING_TAGS = {"p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "ul", "ol",
                  "dt", "dd", "header", "main", "aside", "table", "blockquote", "pre"}
#: What follows a job title in a page's ``<title>`` before the company: "Title - Acme", "Title | Acme", "Title at Acme".
_AFTER_TITLE = re.compile(r"\s*(?:[-–—|·:@]|\bat\b)\s*", re.IGNORECASE)
#: A part of a ``<title>`` that names the site or the page, not the employer.
_SITE_WORDS = re.compile(
    r"\b(?:careers?|jobs?|job\s+board|hiring|apply|vacanc(?:y|ies)|openings?|positions?|linkedin|indeed|glassdoor|"
    r"greenhouse|lever|workday|monster|ziprecruiter|welcome\s+to\s+the\s+jungle|stepstone|smartrecruiters)\b",
    re.IGNORECASE,
)


class _Page(HTMLParser):
    """The JSON-LD blocks of a page (with their first line), its visible text (pieces with the line each starts
    on), its first ``<h1>`` and its ``<title>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self.text: list[tuple[int, str]] = []
        self.heading: list[str] | None = None  # the first h1's text, once it is open
        self.title: list[str] = []
        self._json: list[str] | None = None
        self._json_line = 0
        self._skipping = 0
        self._in_title = self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(k == "type" and (v or "").split(";")[0].strip().lower() == "application/ld+json"
                                   for k, v in attrs):
            self._json, self._json_line = [], self.getpos()[0]
        elif tag == "title":
            self._in_title = True
        elif tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BREAKING_TAGS:
            self.text.append((self.getpos()[0], "\n"))
            if tag == "h1" and self.heading is None and not self._skipping:
                self.heading, self._in_heading = [], True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self.blocks.append((self._json_line, "".join(self._json)))
            self._json = None
        elif tag == "title":
            self._in_title = False
        elif tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1
        elif tag in _BREAKING_TAGS:
            self.text.append((self.getpos()[0], "\n"))
            self._in_heading = self._in_heading and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif self._in_title:
            self.title.append(data)
        elif not self._skipping:
            self.text.append((self.getpos()[0], data))
            if self._in_heading and self.heading is not None:
                self.heading.append(data)

    def lines(self) -> list[Line]:
        """The page's non-blank lines of text, each with the line of the page it starts on."""
        out: list[Line] = []
        current: list[str] = []
        start: int | None = None  # the page line of the current line's first text, once it has some
        for number, piece in self.text:
            for offset, part in enumerate(piece.split("\n")):
                if offset:  # a line break ends the line
                    if start is not None:
                        out.append(Line(start, " ".join("".join(current).split())))
                    current, start = [], None
                if start is None and part.strip():
                    start = number + offset  # a piece's k-th part is k lines below where the piece starts
                current.append(part)
        if start is not None:
            out.append(Line(start, " ".join("".join(current).split())))
        return out

    def title_and_company(self) -> tuple[str | None, str | None]:
        """The first ``<h1>`` as the title, and the company the ``<title>`` names after it, if any."""
        heading = " ".join("".join(self.heading or []).split()) or None
        if heading is None:
            return None, None
        page_title = " ".join("".join(self.title).split())
        if not page_title.casefold().startswith(heading.casefold()):
            return heading, None
        rest = page_title[len(heading):]
        joint = _AFTER_TITLE.match(rest)
        if joint is None or not joint.group().strip():
            return heading, None
        company = re.split(r"\s+[-–—|·]\s+", rest[joint.end():])[0].strip()
        words = company.split()
        if not 1 <= len(words) <= 5 or not company[:1].isupper() or _SITE_WORDS.search(company):
            return heading, None
        return heading, company


def page_blocks(source: Source, report: ReadReport | None = None) -> list[Block]:
    """The posting blocks of a decoded HTML page."""
    report = report if report is not None else ReadReport()
    page = _Page()
    page.feed(source.text)
    page.close()
    blocks: list[Block] = []
    for number, (line, text) in enumerate(page.blocks, start=1):
        try:
            check_json_text(text, "it")
        except LimitError as exc:
            report.skip(source.name, number, f"JSON-LD at line {line}: {str(exc).removeprefix('it: ')}", unit="block")
            continue
        try:
            json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            report.skip(source.name, number, f"malformed JSON-LD at line {line}: "
                        f"{getattr(exc, 'msg', type(exc).__name__)}", unit="block")
            continue
        found = read_jsonld(Source(source.name, text, source.encoding), strict=False) or []
        for block in found:
            offset = line - 1
            block.lines = [Line(item.number + offset, item.text, item.hint) for item in block.lines]
            block.row = len(blocks) + 1
            blocks.append(block)
    if blocks or (page.blocks and report.skipped):
        return blocks
    lines = page.lines()
    if not lines:
        return []
    title, company = page.title_and_company()
    return [Block(source.name, lines, title=title, company=company)]
