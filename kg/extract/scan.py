"""Scan the lines of one posting for skills and years, under the levels their sections and clauses give.

A skill counts where it is asked for: not in sentences about the company, not as a
product or a team ("AI processors", "ML teams"), not as the field of a degree
("MS in Applied Mathematics"), not in legal boilerplate. Cheap tests run once over
the whole posting (:class:`Hints`) so that the costly ones run only on the lines
that may need them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING

import ahocorasick

from kg.extract import facts, sections
from kg.extract.blocks import LONGEST_KEPT
from kg.extract.matcher import LabelMatcher, Match, lower_same_length, skill_context
from kg.extract.sections import Section
from kg.models import PREFERRED, REQUIRED, Level, Salary

if TYPE_CHECKING:
    pass

_EXPERIENCE = re.compile(r"experience|skill|knowledge|proficien|familiar", re.IGNORECASE)
_HIRING = re.compile(r"\b(?:looking|hiring|seeking|searching|recruiting)\b")
_ADDRESSED = re.compile(r"\b(?:[Yy]ou|[Yy]our|[Rr]ole|[Pp]osition|[Cc]andidates?|[Rr]esponsib\w*)\b")
_NOT_ASKED = re.compile(  # what follows a skill (or the list it ends) that names a product or a team
    r"(?:/[\w+#.-]{1,20}){0,3}(?:\s{0,2}\([^()\n]{1,15}\))?"
    r"(?:\s{0,2}(?:,|\band\b|\bor\b|&)"
    r"(?:\s{1,3}(?!(?:of|for|in|on|at|with|to|the|a|an)\b)[\w+#/-][\w+#./-]{0,19}(?<!\.)){1,3}){0,4}"
    r"\s{1,3}(?:designs|products|processors|chips|accelerators|devices|"
    r"teams?|groups?|organi[sz]ations?|departments?|divisions?|consultants)\b"
    r"|\s{1,3}you\b"  # "our researchers will mentor you": what the company does for the reader
)
#: The words, as written, one of which ends every match of ``_NOT_ASKED``: where none starts after a skill, that
#: regex (whose lists make it backtrack, at up to 20 µs a try) is not tried.
_NOT_ASKED_WORDS = (
    "designs", "products", "processors", "chips", "accelerators", "devices", "team", "group", "organisation",
    "organization", "department", "division", "consultants", "you",
)
#: What names a value of the company, not a skill asked for: "a culture of experimentation".
_CULTURE = re.compile(r"\bculture\s{1,3}of\s{1,3}(?:\w+\s{1,3}){0,2}$", re.IGNORECASE)
#: Lower-cased substrings without which none of the tests of ``_asked`` can say no.
_NOT_ASKED_ANCHORS = (
    "designs", "products", "processors", "chips", "accelerators", "devices", "team", "group", "organisation",
    "organization", "department", "division", "consultants", "leadership", "management", "language", "you",
    "culture",
)
_PEOPLE = re.compile(r"(?i:leadership|management)\b")
_PEOPLE_BEFORE = re.compile(r"\b(?i:executive|senior|company|engineering|product|business|upper|top)\s{1,3}$")
_TEAM_LIST = re.compile(r"\b(?:teams?|groups?|consultants|departments?)\s{0,2}\([^()]{0,120}$")
_LANGUAGE_AFTER = re.compile(r"\s{0,2}languages?\b", re.IGNORECASE)


@dataclass
class Mention:
    """One place a skill is named: its level there, how firmly (2: a header or a cue says so), line, years,
    and where: the index of its line in the posting (-1: the title) and its span in that clean line."""

    level: Level
    weight: int
    line: int
    years: int | None
    row: int = -1
    start: int = 0
    end: int = 0


@dataclass
class Findings:
    """What the scan of one posting collects."""

    salary: Salary | None = None
    names: tuple[str, ...] = ()
    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    years: list[int] = field(default_factory=list)
    degrees: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    headed: bool = False
    house: frozenset[str] = frozenset()  # skills named like the company ("Splunk"): counted only in a skill context


# What a line may hold, as bits of ``Hints.flags``.
DEGREE, BOILERPLATE, CUE, NOT_ASKED, YEARS, MONEY, LANGUAGE = 1, 2, 4, 8, 16, 32, 64


@dataclass
class Hints:
    """For each line of a posting, which of the costly tests may find something (bits of ``flags``).

    Computed with one automaton pass over the whole posting, for the anchors of the tests: substrings
    without one of which a test cannot succeed (``facts.DEGREE_WORD_ANCHORS``...).
    """

    flags: list[int]

    @classmethod
    def of(cls, texts: list[str]) -> Hints:
        """The hints for the lines ``texts`` of one posting.

        A line's bits depend on its text alone (no anchor holds a line break, and the text is lower-cased
        without changing its length): they are kept per text (:data:`_FLAGS`), and only new lines are scanned."""
        if not texts:
            return cls([])
        known = _FLAGS
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        if not missing:
            return cls([known[text] for text in texts])
        new = "\n".join(missing)
        fresh = dict(zip(missing, _flags(missing, new)))
        out = [fresh[text] if text in fresh else known[text] for text in texts]
        if len(known) + len(fresh) > _FLAGS_MOST:
            known.clear()  # bounded: memory stays flat however much is read
        known.update((text, bits) for text, bits in islice(fresh.items(), _FLAGS_MOST) if len(text) <= LONGEST_KEPT)
        return cls(out)


#: The bits of lines read before (see :meth:`Hints.of`), at most ``_FLAGS_MOST`` of them.
_FLAGS: dict[str, int] = {}
_FLAGS_MOST = 100_000


def _flags(texts: list[str], joined: str) -> list[int]:
    """The bits of the lines ``texts``: ``joined`` is them joined by line breaks.

    Lower-cased as :func:`lower_same_length` does, so that each anchor found is in the line it is in: "İ" lower-cased
    is two characters, and a line after one holding many of them lost its bits to later lines ("5+ years" was not
    read)."""
    lower = lower_same_length(joined)
    flags = [0] * len(texts)
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    lowered, written = _anchor_automata()
    for haystack, automaton in ((lower, lowered), (joined, written)):
        for end, bit in automaton.iter(haystack):
            flags[bisect_right(starts, end) - 1] |= bit
    return flags


@cache
def _anchor_automata() -> tuple[ahocorasick.Automaton, ahocorasick.Automaton]:
    """Automata of the anchors of the costly tests: for lower-cased text, and for text as written."""
    lowered: dict[str, int] = {}
    anchors: tuple[str, ...]
    for bit, anchors in (
        (DEGREE, facts.DEGREE_WORD_ANCHORS),
        (BOILERPLATE, sections.BOILERPLATE_ANCHORS),
        (CUE, sections.CUE_ANCHORS),
        (NOT_ASKED, _NOT_ASKED_ANCHORS),
        (YEARS, ("year", "yr")),  # the substring test ``facts.find_years`` makes first
    ):
        for anchor in anchors:
            lowered[anchor] = lowered.get(anchor, 0) | bit
    written: dict[str, int] = {}
    for bit, anchors in (
        (DEGREE, facts.DEGREE_LETTER_ANCHORS),
        (MONEY, facts.MONEY_ANCHORS),
        (LANGUAGE, facts.LANGUAGE_NAMES),
    ):
        for anchor in anchors:
            written[anchor] = written.get(anchor, 0) | bit
    automata = []
    for words in (lowered, written):
        automaton = ahocorasick.Automaton()
        for word, bit in words.items():
            automaton.add_word(word, bit)
        automaton.make_automaton()
        automata.append(automaton)
    return automata[0], automata[1]


def house_skills(names: tuple[str, ...], matcher: LabelMatcher) -> frozenset[str]:
    """The skills whose label is the company's name: "Salesforce" at Salesforce is the employer, not the CRM."""
    house: set[str] = set()
    for name in names:
        house.update(m.iri for m in matcher.find(name) if m.start == 0 and m.end == len(name))
    return frozenset(house)


def scan_title(title: str, number: int, matcher: LabelMatcher, found: Findings) -> set[str]:
    """The skills a title names ("RF Circuit Simulation Engineer") are the job's own, so required.

    A title's one-word names ("ML Engineer", "AI/ML Scientist") only say a skill the text asks for
    is required; they are returned, to be applied when the text is read.
    """
    short = set()
    for match in matcher.find(title):
        if not _asked(title, match.start, match.end, False):
            continue
        if " " in title[match.start : match.end].strip():
            mention = Mention(REQUIRED, 2, number, None, -1, match.start, match.end)
            found.mentions.setdefault(match.iri, []).append(mention)
        else:
            short.add(match.iri)
    return short


def scan(
    text: str,
    section: Section,
    where: tuple[int, int, int],
    matches: list[Match],
    found: Findings,
    flags: int,
) -> None:
    """Record the skills and years of one segment of a line under the levels of its clauses.

    ``where`` is (source line number, index of the line in the posting, start of the segment in
    the line); ``matches`` are the skill matches in ``text``; ``flags`` the line's bits of :class:`Hints`.
    What a segment gives depends only on it, its section, matches and bits, and the company's names and
    house skills it holds: it is kept (:data:`_SCANNED`), so that a segment read again is not scanned again.
    """
    if not matches and not flags & YEARS:
        return
    names = tuple(name for name in found.names if name in text)  # the others cannot start a sentence in it
    house = found.house.intersection(match.iri for match in matches) if found.house else found.house
    key = (text, section, tuple(matches), flags, names, house)
    effects = _SCANNED.get(key)
    if effects is None:
        effects = _scan(text, section, matches, flags, names, house)
        if len(text) <= LONGEST_KEPT:
            if len(_SCANNED) >= _SCANNED_MOST:
                _SCANNED.clear()  # bounded: memory stays flat however much is read
            _SCANNED[key] = effects
    years, mentions = effects
    found.years.extend(years)
    number, row, offset = where
    for iri, level, weight, most, start, end in mentions:
        found.mentions.setdefault(iri, []).append(Mention(level, weight, number, most, row, offset + start,
                                                          offset + end))


#: What :func:`scan` found in segments: (years asked for, mentions as (IRI, level, weight, years, start, end)).
_SCANNED: dict[tuple[str, Section, tuple[Match, ...], int, tuple[str, ...], frozenset[str]],
               tuple[list[int], list[tuple[str, Level, int, int | None, int, int]]]] = {}
_SCANNED_MOST = 50_000


def forget_segments() -> None:
    """Empty the caches of what lines and segments gave (:data:`_FLAGS`, :data:`_SCANNED`)."""
    _FLAGS.clear()
    _SCANNED.clear()


def _scan(
    text: str, section: Section, matches: list[Match], flags: int, names: tuple[str, ...], house: frozenset[str]
) -> tuple[list[int], list[tuple[str, Level, int, int | None, int, int]]]:
    """What :func:`scan` records for a segment: the years asked for, and the mentions (IRI, level, weight,
    years, start, end in the segment), in order."""
    spans = sections.sentence_spans(text)
    skipped = _company_sentences(text, names, spans) if names else []
    if skipped and skipped[0] == (0, len(text)):
        return [], []
    boilerplate = bool(flags & BOILERPLATE) and sections.is_boilerplate(text)
    degrees = _degree_starts(text, spans) if flags & DEGREE else []
    position = skip = 0
    asked_years: list[int] = []
    hints: tuple[int, bool] | None = None  # for ``_asked``, made for the first match it tests
    recorded: list[tuple[str, Level, int, int | None, int, int]] = []
    for clause in sections.clauses(text, cued=bool(flags & CUE), spans=spans):
        body = text[clause.start : clause.end]
        inside: list[Match] = []
        while position < len(matches) and matches[position].start < clause.start:
            position += 1
        while position < len(matches) and matches[position].start < clause.end:
            inside.append(matches[position])
            position += 1
        if boilerplate and sections.is_boilerplate(body):
            continue
        while skip < len(skipped) and skipped[skip][1] <= clause.start:
            skip += 1
        if skip < len(skipped) and skipped[skip][0] <= clause.start:
            continue  # a sentence about the company
        level = clause.level or section.level
        weight = 2 if clause.level is not None or section.explicit else 1
        years = facts.find_years(body) if flags & YEARS else []
        if years and level == REQUIRED:
            asked_years.extend(y.years for y in years)
        if inside:
            human = bool(flags & NOT_ASKED) and _LANGUAGE_AFTER.search(body) is not None
            human = human and bool(facts.find_languages(body))
            if flags & NOT_ASKED and hints is None:
                hints = _asked_hints(text)
            _record(text, clause.start, inside, (level, weight), years, degrees, hints, human, house, recorded)
    return asked_years, recorded


def _record(
    text: str,
    clause_start: int,
    inside: list[Match],
    level: tuple[Level, int],
    years: list[facts.Years],
    degrees: list[tuple[int, int, int]],
    hints: tuple[int, bool] | None,
    human: bool,
    house: frozenset[str],
    recorded: list[tuple[str, Level, int, int | None, int, int]],
) -> None:
    """Add the mentions (IRI, level, weight, years, start, end) of the matches of one clause that are asked for
    to ``recorded``, at the ``level`` (level, weight) of the clause (``house``: the skills named like the company,
    see :attr:`Findings.house`; ``hints``: the text's :func:`_asked_hints`, None where no test of ``_asked`` can say
    no)."""
    stated, most = 0, None  # the years stated before the match: "5+ years of Python"
    for match in inside:
        if hints is not None and not _asked(text, match.start, match.end, human, hints):
            continue
        if match.iri in house and not skill_context(text, match.start, match.end):
            continue
        if degrees and _field_of_study(text, match.start, degrees):
            continue
        offset = match.start - clause_start
        while stated < len(years) and years[stated].start <= offset:
            most = max(most or 0, years[stated].years)
            stated += 1
        recorded.append((match.iri, *level, most, match.start, match.end))


#: The section after a higher degree follows a bachelor's in a list without headers.
IMPLIED_PREFERRED = Section(PREFERRED, False)


def _about_company(body: str, names: tuple[str, ...]) -> bool:
    """True for a sentence that describes the company ("Acme builds ...", "At Acme, we ...")."""
    text = body.lstrip(" \t-*•")
    if text.startswith(("At ", "at ")):
        text = text[3:]
    for name in names:
        if text.startswith(name) and not text[len(name) : len(name) + 1].isalnum():
            return _HIRING.search(text, 0, 200) is None
    return False


def _company_sentences(text: str, names: tuple[str, ...], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans (of the sentence ``spans`` of a line) that describe the company: a sentence that starts
    with its name, and the sentences after it until one speaks of the job or to the reader ("you", "role")."""
    if not any(name in text for name in names):
        return []
    about_spans: list[tuple[int, int]] = []
    about = False
    for start, end in spans:
        sentence = text[start:end]
        if _about_company(sentence, names):
            about = True
        elif about:  # the company goes on until the text turns to the job or to the reader
            about = _HIRING.search(sentence, 0, 200) is None and _ADDRESSED.search(sentence, 0, 200) is None
        if about:
            about_spans.append((start, end))
    return about_spans


def _degree_starts(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(sentence start, sentence end, where its first degree is named) for the sentences naming a degree."""
    positions = facts.degree_positions(text)
    if not positions:
        return []
    out, index = [], 0
    for start, end in spans:
        while index < len(positions) and positions[index] < start:
            index += 1
        if index < len(positions) and positions[index] < end:
            out.append((start, end, positions[index]))
    return out


def _field_of_study(text: str, position: int, degrees: list[tuple[int, int, int]]) -> bool:
    """True for a skill named after a degree in its sentence, as its field ("MS in Applied Mathematics"),
    unless experience is spoken of in between ("BS and 3 years of experience in Python")."""
    index = bisect_right(degrees, (position, len(text) + 1, 0)) - 1
    if index < 0:
        return False
    start, end, degree = degrees[index]
    return start <= position < end and position > degree and _EXPERIENCE.search(text, degree, position) is None


def _asked_hints(text: str) -> tuple[int, bool]:
    """What spares :func:`_asked` its costly tests in a text: where the last of ``_NOT_ASKED_WORDS`` starts (-1:
    none), and whether "culture" is written in it (in any case)."""
    return max(text.rfind(word) for word in _NOT_ASKED_WORDS), "culture" in text.lower()


def _asked(text: str, start: int, end: int, human: bool, hints: tuple[int, bool] | None = None) -> bool:
    """False for a skill named as a product or team ("AI processors", "ML teams"), as a team's
    field ("consultants (Big Data, IoT)"), as people ("executive leadership"), or as a human
    language's label ("Communication Language:"). ``hints``: the text's :func:`_asked_hints`, if known."""
    last_word, culture = _asked_hints(text) if hints is None else hints
    if (last_word > end and _NOT_ASKED.match(text, end)) or (
        "(" in text[max(0, start - 120) : start] and _TEAM_LIST.search(text, max(0, start - 120), start)
    ):
        return False
    if _PEOPLE.match(text, start) and _PEOPLE_BEFORE.search(text, max(0, start - 20), start):
        return False
    if culture and _CULTURE.search(text, max(0, start - 40), start):
        return False
    return not (human and _LANGUAGE_AFTER.match(text, end))
