"""Posting lines without their markup, and where each character of the clean text came from.

The extractor reads a line without markdown links, URLs, emphasis, list markers
and HTML entities; a mention found in that clean text is reported at its place in
the line as written (:meth:`Cleaned.span`).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

from kg.extract.blocks import LONGEST_KEPT, Block

_LINK = re.compile(r"\[([^\]\[\n]{0,200})\]\([^()\s]{0,300}\)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+")
_EMPHASIS = re.compile(r"\*{1,3}|`+|(?<!\w)_{1,3}|_{1,3}(?!\w)")
#: A character reference, as :func:`html.unescape` finds them (one at a time gives the same text).
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_MARKER = re.compile(r"^[ \t]*(?:[-*+•][ \t]+|\d{1,3}[.)][ \t]+|#{1,6}[ \t]+)?")


class Cleaned(NamedTuple):
    """A clean line, and where its characters sit in the line as written.

    ``origin`` is an int when the clean text is a slice of the line starting there,
    else the position in the line of each clean character, plus the end of the line.
    """

    text: str
    origin: int | list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the line as written that the clean span ``start:end`` came from."""
        if isinstance(self.origin, int):
            return start + self.origin, end + self.origin
        if start >= end:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def clean(text: str) -> Cleaned:
    """A line without markdown links, URLs, emphasis, list markers and HTML entities, with its origin map."""
    return _kept_clean(text) if len(text) <= LONGEST_KEPT else _clean(text)


def _clean(text: str) -> Cleaned:
    origin: list[int] | None = None
    if "](" in text:
        text, origin = _tracked(_LINK, text, origin, lambda m: (m.group(1), m.start(1)))
    if "://" in text or "www." in text:
        text, origin = _tracked(_URL, text, origin, lambda m: (" ", m.start()))
    if "*" in text or "`" in text or "_" in text:
        text, origin = _tracked(_EMPHASIS, text, origin, lambda m: ("", m.start()))
    if "&" in text and ";" in text:
        text, origin = _tracked(_ENTITY, text, origin, lambda m: (html.unescape(m.group()), -1))
    marker = _MARKER.match(text)
    lead = marker.end() if marker else 0
    body = text[lead:]
    stripped = body.strip()
    lead += len(body) - len(body.lstrip())
    if origin is None:
        return Cleaned(stripped, lead)
    return Cleaned(stripped, [*origin[lead : lead + len(stripped)], origin[lead + len(stripped)]])


#: Lines repeat (a company's boilerplate, a large text's lines): their clean forms are kept.
_kept_clean = lru_cache(maxsize=1 << 16)(_clean)


def _tracked(
    pattern: re.Pattern[str],
    text: str,
    origin: list[int] | None,
    replace: Callable[[re.Match[str]], tuple[str, int]],
) -> tuple[str, list[int]]:
    """``pattern.sub`` that keeps the origin of every character.

    ``replace`` gives the replacement of a match and where in the match's text it comes
    from (-1: every character of it comes from the match's start).
    """
    where = origin if origin is not None else list(range(len(text) + 1))
    parts: list[str] = []
    out: list[int] = []
    position = 0
    for found in pattern.finditer(text):
        parts.append(text[position : found.start()])
        out.extend(where[position : found.start()])
        replacement, source = replace(found)
        parts.append(replacement)
        if source < 0:
            out.extend([where[found.start()]] * len(replacement))
        else:
            out.extend(where[source : source + len(replacement)])
        position = found.end()
    parts.append(text[position:])
    out.extend(where[position:])
    return "".join(parts), out


def clean_line(text: str) -> str:
    """A line without markdown links, URLs, emphasis, list markers and HTML entities."""
    return clean(text).text


def content_key(block: Block, cleaned: Iterable[str] | None = None) -> str:
    """A stable id from a block's text: the same words in the same order give the same key.

    ``cleaned`` are the block's lines already passed through :func:`clean_line`.
    """
    texts = cleaned if cleaned is not None else (clean_line(line.text) for line in block.lines)
    words = (" ".join(text.casefold().split()) for text in texts)
    return hashlib.sha256("".join(w + "\n" for w in words if w).encode("utf-8")).hexdigest()[:16]
