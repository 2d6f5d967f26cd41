"""The rules' shortcuts taken for speed compute what their plain definitions compute.

A header looked for with one pattern of the kinds in order, sentence ends found from their mark, the
product-or-team and culture tests tried only where their words are written, a line's cues found once for all
its clauses and pieces. Each plain definition below is the code the shortcut replaced.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import scan, sections
from kg.extract.sections import Clause, Section
from kg.models import PREFERRED, REQUIRED, Level


def _words(*words: str, size: int = 14) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(words), max_size=size).map("".join)


HEADER_LINES = _words("Preferred", "qualifications", "Requirements", "Nice", "to", "have", "About", "Acme", "the",
                      "role", "Skills", "you", "'ll", "’ll", "bring", "What", "*", "_", "#", "`", "-", "1.", ":", ".",
                      "!", " ", "\t", "•", "x" * 30)


def _plain_header_section(text: str) -> Section | None:
    if len(text) > 80 and len(text) - sum(text.count(c) for c in "*_#`") > 90:
        return None
    clean = sections._CLEAN_HEADER.sub("", sections.normalise_quotes(text)).strip()
    if not clean or len(clean) > 80 or len(clean.split()) > 9:
        return None
    colon = clean.endswith(":")
    if colon:
        clean = clean[:-1].rstrip()
    elif clean[-1:] in ".;,!?":
        return None
    if sections._ABOUT_COMPANY.fullmatch(clean):
        return sections._SKIP_SECTION
    for section, pattern in sections._LINE_KINDS if colon else sections._KINDS:
        if pattern.fullmatch(clean):
            return section
    return None


@given(HEADER_LINES)
@settings(max_examples=400, deadline=None)
def test_a_header_is_the_first_kind_whose_pattern_matches(text: str) -> None:
    assert sections.header_section(text) == _plain_header_section(text)


def test_a_header_with_a_colon_takes_the_first_kind_that_matches() -> None:
    """"Preferred qualifications:" fits the required kind too ("... qualifications:"): the preferred comes first."""
    assert sections.header_section("**Preferred qualifications:**") == Section(PREFERRED, True)
    assert sections.header_section("- Minimum qualifications:") == Section(REQUIRED, True)


SENTENCES = _words("Python", "e.g", "B.S", "etc", "a", " ", "  ", ".", ";", "!", "?", "(", "\"", "'", "Go", "x")


def _plain_sentence_spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for found in re.finditer(r";|(?<=[.!?])\s+(?=[A-Z(\"'])", text):
        if found.group() != ";" and sections._ABBREVIATION.search(text, max(0, found.start() - 8), found.start()):
            continue
        out.append((start, found.start()))
        start = found.end()
    out.append((start, len(text)))
    return out


@given(SENTENCES)
@settings(max_examples=400, deadline=None)
def test_sentence_ends_found_from_their_mark_are_those_found_from_the_space_after_it(text: str) -> None:
    assert sections.sentence_spans(text) == _plain_sentence_spans(text)


ASKED = _words("Python", "AI", "teams", "team", "you", "You", "products", "culture", "Culture", "CULTURE", "of",
               "executive", "leadership", " ", ", ", " and ", "/", "(", ")", "chips", "organization", "Language")


def _plain_asked(text: str, start: int, end: int, human: bool) -> bool:
    if scan._NOT_ASKED.match(text, end) or ("(" in text[max(0, start - 120) : start] and scan._TEAM_LIST.search(
        text, max(0, start - 120), start
    )):
        return False
    if scan._PEOPLE.match(text, start) and scan._PEOPLE_BEFORE.search(text, max(0, start - 20), start):
        return False
    if scan._CULTURE.search(text, max(0, start - 40), start):
        return False
    return not (human and scan._LANGUAGE_AFTER.match(text, end))


@given(ASKED, st.data())
@settings(max_examples=400, deadline=None)
def test_a_skill_is_asked_for_as_the_plain_tests_say(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for human in (False, True):
        expected = _plain_asked(text, start, end, human)
        assert scan._asked(text, start, end, human) == expected
        assert scan._asked(text, start, end, human, scan._asked_hints(text)) == expected


CUED = _words("Python", "is a plus", "a big plus", "preferred", "required", "must", "ideally", "nice to have",
              "bonus", "an asset", "not required", "the following:", "Go", "and", "(", ")", ",", ";", ". ", " ", "e.g.")


def _plain_clause_levels(text: str, start: int, end: int) -> list[Clause]:
    body = text[start:end].lower()
    if not body.strip():
        return []
    if sections._PREFERRED_CUE.search(body) is None and sections._REQUIRED_CUE.search(body) is None:
        return [Clause(start, end, None)]
    pieces = [(m.start() + start, m.end() + start, m.group()) for m in sections._PIECE.finditer(body)]
    levels: list[Level | None] = []
    leading: list[bool] = []
    enclosed: list[bool] = []
    for piece_start, _, piece in pieces:
        preferred, required = sections._PREFERRED_CUE.search(piece), sections._REQUIRED_CUE.search(piece)
        levels.append(PREFERRED if preferred and not required else REQUIRED if required else None)
        cued = levels[-1] is not None
        leading.append(bool(sections._LEADING_CUE.match(piece)) or (cued and sections._INTRODUCES.search(piece)
                                                                     is not None))
        in_parenthesis = piece_start > 0 and text[piece_start - 1] == "("
        enclosed.append(in_parenthesis and cued and len(sections._CUE_WORDS.sub(" ", piece).split()) >= 2)
    resolved = list(levels)
    for index in range(1, len(pieces)):
        if resolved[index] is None and leading[index - 1] and resolved[index - 1]:
            resolved[index] = resolved[index - 1]
            leading[index] = True
    for index in range(len(pieces) - 2, -1, -1):
        if resolved[index] is None and resolved[index + 1] and not leading[index + 1] and not enclosed[index + 1]:
            resolved[index] = resolved[index + 1]
    return [Clause(s, e, level) for (s, e, _), level in zip(pieces, resolved)]


def _plain_clauses(text: str) -> list[Clause]:
    spans = sections.sentence_spans(text)
    lowered = text.lower()
    if sections._PREFERRED_CUE.search(lowered) is None and sections._REQUIRED_CUE.search(lowered) is None:
        return [Clause(start, end, None) for start, end in spans]
    out = [clause for start, end in spans for clause in _plain_clause_levels(text, start, end)]
    for index in range(1, len(out)):
        previous = out[index - 1]
        if out[index].level is None and previous.level and sections._INTRODUCES.search(text, previous.start,
                                                                                        previous.end):
            out[index] = out[index]._replace(level=previous.level)
    return out


@given(CUED)
@settings(max_examples=400, deadline=None)
def test_cues_found_once_in_a_line_give_the_levels_found_clause_by_clause(text: str) -> None:
    assert sections.clauses(text) == _plain_clauses(text)


def test_clauses_with_a_dotted_capital_i_are_those_with_a_plain_one() -> None:
    """"İ" lower-cased is two characters: the clauses' spans are still the line's (they were shifted, and a
    parenthesis looked for past the line's end raised IndexError)."""
    text = "İzmir, İİİİ office; experience (Python is a plus), Go required"
    assert sections.clauses(text) == sections.clauses(text.replace("İ", "I"))
    assert sections.clauses("İ" * 40 + ", experience (Python is a plus)")[-1] == Clause(54, 70, PREFERRED)
