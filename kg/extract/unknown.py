"""Candidate skills that are not in the vocabulary, so that it can grow.

A candidate is an item of a list that also names a known skill ("Scala,
Scalding, Luigi and Hive"), written like a product name (capitals, digits,
``+``/``#``/``.``), and not itself a known skill, company or stop word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from kg.extract import sections
from kg.extract.matcher import LabelMatcher

_ITEM_SPLIT = re.compile(
    r"[,;/()\[\]:]|"
    r"\s(?:and|or|and/or|as well as|e\.g\.|i\.e\.|etc\.?|such as|including|like|with|using|via|in|of|for)\s",
    re.IGNORECASE,
)
_NOT_A_TERM = re.compile(r"\d+|\w+(?:ing|ed|ly)|[A-Z]\.?", re.IGNORECASE)
_TECH_WORD = re.compile(r"[A-Z][\w+#.-]{0,29}|[a-z][a-z0-9]{0,14}[A-Z][\w+#.-]{0,20}|\w{0,10}\d\w{0,10}")
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


def candidates(text: str, known: LabelMatcher) -> set[str]:
    """Unknown product-like list items of one clause that also names a known skill."""
    if not known.find(text):
        return set()
    found = set()
    for index, raw in enumerate(_ITEM_SPLIT.split(text)):
        item = _LEADING.sub("", raw.strip(" .*\"'")).strip()
        words = item.split()
        if not 1 <= len(words) <= 3 or len(item) > 40:
            continue
        if len(words) == 1 and (_NOT_A_TERM.fullmatch(item) or (index == 0 and item.istitle())):
            continue
        if not all(_TECH_WORD.fullmatch(w) for w in words):
            continue
        if item.casefold() in _STOP or all(w.casefold() in _STOP for w in words):
            continue
        if known.find(item):
            continue
        found.add(item)
    return found


def collect(lines: Iterable[str], known: LabelMatcher, counts: Counter[str]) -> None:
    """Add the candidates of one posting's cleaned lines to ``counts`` (each term once per posting)."""
    terms: set[str] = set()
    state = sections.DEFAULT
    for text in lines:
        state, segments = sections.split_headers(text, state)
        for segment, section, _ in segments:
            if section.skip or sections.is_boilerplate(segment):
                continue
            for clause in sections.clauses(segment):
                terms |= candidates(segment[clause.start : clause.end], known)
    counts.update(terms)


def ranked(counts: Counter[str], min_count: int = 1) -> list[tuple[str, int]]:
    """Terms with their counts, most frequent first, then alphabetically."""
    kept = [(term, count) for term, count in counts.items() if count >= min_count]
    return sorted(kept, key=lambda tc: (-tc[1], tc[0].casefold(), tc[0]))
