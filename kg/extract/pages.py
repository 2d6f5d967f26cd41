"""Postings from saved job pages: every schema.org ``JobPosting`` in a page's
``<script type="application/ld+json">`` blocks, as job boards publish them for search engines.

The page is parsed with the standard library's HTML parser; each block's JSON is
read by :mod:`kg.extract.jsonld`, and each posting remembers the page, the line
of its block and its number among the page's postings (its "row"). A block that
is not valid JSON is a one-line warning and counted as skipped. A page with no
JobPosting at all is read as the text of one posting, scripts and styles left out.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

from kg.errors import LimitError
from kg.extract.blocks import Block, Line, Source
from kg.extract.jsonld import html_to_lines, read_jsonld
from kg.extract.tables import ReadReport
from kg.limits import check_json_text

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
_SKIPPED_TAGS = {"script", "style", "noscript", "template", "head", "svg"}


class _Page(HTMLParser):
    """The JSON-LD blocks of a page (with their first line) and its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, str]] = []
        self.text: list[str] = []
        self._json: list[str] | None = None
        self._json_line = 0
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(k == "type" and (v or "").split(";")[0].strip().lower() == "application/ld+json"
                                   for k, v in attrs):
            self._json, self._json_line = [], self.getpos()[0]
        elif tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in ("p", "br", "li", "div", "tr", "h1", "h2", "h3", "h4", "section", "article"):
            self.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._json is not None:
            self.blocks.append((self._json_line, "".join(self._json)))
            self._json = None
        elif tag in _SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if self._json is not None:
            self._json.append(data)
        elif not self._skipping:
            self.text.append(data)


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
    lines = html_to_lines("".join(page.text))
    return [Block(source.name, [Line(1, text) for text in lines])] if lines else []
