"""Candidate skills that are not in the vocabulary, so that it can grow.

A candidate is an item of a list that also names a known skill ("Scala,
Scalding, Luigi and Hive"), written like a product name (capitals, digits,
``+``/``#``/``.``), and not itself a known skill, company, place or stop word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from kg import resources
from kg.extract import sections
from kg.extract.matcher import LabelMatcher
from kg.extract.places import read_place

_ITEM_SPLIT = re.compile(
    r"[,;/()\[\]:]|"
    r"\s(?:and|or|and/or|as well as|e\.g\.|i\.e\.|etc\.?|such as|including|like|with|using|via|in|of|for)\s",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"\d[\d,.]{3,}|\d{4,}")
_NOT_A_TERM = re.compile(r"\d+|\w+(?:ing|ed|ly)|[A-Z]\.?", re.IGNORECASE)
_TECH_WORD = re.compile(r"[A-Z][\w+#.-]{0,29}|[a-z][a-z0-9]{0,14}[A-Z][\w+#.-]{0,20}|\w{0,10}\d\w{0,10}")
#: What each word ``_TECH_WORD`` matches holds.
_CAPITAL_OR_DIGIT = re.compile(r"[A-Z\d]")
_LEADING = re.compile(r"^(?:e\.g\.|i\.e\.|etc\.?|and|or|the|a|an|with|in|of|using)\s+", re.IGNORECASE)
_STOP = {
    "experience", "strong", "knowledge", "ability", "familiarity", "proficiency", "excellent", "good", "solid",
    "understanding", "expertise", "skills", "skill", "the", "and", "or", "etc", "ms", "bs", "ba", "phd", "degree",
    "bachelor", "master", "masters", "we", "you", "our", "your", "this", "that", "it", "is", "a", "an", "in",
    "with", "for", "on", "at", "to", "of", "years", "year", "plus", "preferred", "required", "must", "other",
    "similar", "equivalent", "related", "some", "any", "all", "more", "one", "two", "three", "us", "usa", "e.g",
    "i.e", "ideally", "bonus", "nice", "have", "has", "eg", "ie", "ai", "ml", "hands-on", "deep", "advanced",
    "basic", "expert", "senior", "junior", "lead", "team", "teams", "work", "working", "computer", "science",
    "engineering", "mathematics", "statistics", "physics", "english", "field", "fields", "area", "areas",
}


@cache
def common_words() -> frozenset[str]:
    """The most frequent English words (``data/vocabulary/common-words.txt``; none if it is missing)."""
    path = resources.data_dir() / "vocabulary" / "common-words.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#"))


def _everyday(words: list[str]) -> bool:
    """True when every word is a common English word written plainly ("Engineering Managers", "Tools")."""
    common = common_words()
    return all(w.casefold() in common and (w.islower() or w.istitle()) for w in words)


def candidates(text: str, known: LabelMatcher) -> set[str]:
    """Unknown product-like list items of one clause that also names a known skill.

    The items are read first: most clauses have none that reads like a product, and then the vocabulary need not
    be matched in the clause (it costs more than reading the items)."""
    items = _product_like(text)
    if not items or not known.find(text):
        return set()
    return {item for item in items if not known.find(item)}


def _product_like(text: str) -> list[str]:
    """The list items of a clause written like product names, not stop words or everyday words."""
    found: list[str] = []
    if not _CAPITAL_OR_DIGIT.search(text):
        return found
    for index, raw in enumerate(_ITEM_SPLIT.split(text)):
        if not _CAPITAL_OR_DIGIT.search(raw):
            continue  # no word of it reads like a product (``_TECH_WORD``)
        item = _LEADING.sub("", raw.strip(" .*\"'")).strip().rstrip(")]:;")
        if _NUMBERED.search(item):
            continue  # "MD-021784", "42,500students": numbers, not names
        words = item.split()
        if not 1 <= len(words) <= 3 or len(item) > 40:
            continue
        if len(words) == 1 and (_NOT_A_TERM.fullmatch(item) or (index == 0 and item.istitle())):
            continue
        if not all(_TECH_WORD.fullmatch(w) for w in words):
            continue
        if item.casefold() in _STOP or all(w.casefold() in _STOP for w in words) or _everyday(words):
            continue
        found.append(item)
    return found


@dataclass(frozen=True)
class Candidate:
    """A term that reads like a skill but links to nothing: its text, the postings naming it, where."""

    term: str
    count: int
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {"term": self.term, "count": self.count, "sources": list(self.sources)}


def spans(lines: Iterable[str], known: LabelMatcher) -> Iterator[tuple[int, int, int, str]]:
    """(index of the line, start, end, term) of each candidate in a posting's cleaned lines."""
    state = sections.DEFAULT
    for index, text in enumerate(lines):
        state, segments = sections.split_headers(text, state)
        for segment, section, offset in segments:
            if section.skip or sections.is_boilerplate(segment):
                continue
            for clause in sections.clauses(segment):
                body = segment[clause.start : clause.end]
                for term in sorted(candidates(body, known)):
                    at = body.find(term)
                    if at >= 0:
                        start = offset + clause.start + at
                        yield index, start, start + len(term), term


def collect(
    lines: Iterable[tuple[str, str]], known: LabelMatcher, counts: Counter[str], where: dict[str, list[str]],
    read: Iterable[tuple[str, str]] = (),
) -> None:
    """Add the candidates of one posting's (place, cleaned line) pairs to ``counts`` (each term once per posting)
    and their first places in it to ``where``; ``read``: the (place, term) pairs the tagger read as unknown terms
    (``Posting.unknown``), added too."""
    places = list(lines)
    found: dict[str, str] = {}
    for index, _, _, term in spans([text for _, text in places], known):
        if read_place(term) is None:
            found.setdefault(term, places[index][0])
    for place, term in read:
        if term and term.casefold() not in _STOP and read_place(term) is None:  # "Amsterdam, Netherlands", "Hybrid"
            found.setdefault(term, place)
    counts.update(found.keys())
    for term, place in found.items():
        where.setdefault(term, []).append(place)


def ranked(counts: Counter[str], where: dict[str, list[str]] | None = None, min_count: int = 1) -> list[Candidate]:
    """The candidates, most frequent first, then alphabetically, each with (up to 5 of) its places."""
    kept = [(term, count) for term, count in counts.items() if count >= min_count]
    kept.sort(key=lambda tc: (-tc[1], tc[0].casefold(), tc[0]))
    return [Candidate(term, count, tuple((where or {}).get(term, [])[:5])) for term, count in kept]
