"""Where a label found in text names a skill: the context rules for ambiguous labels.

Ambiguous labels (``kg:ambiguousLabel``: R, Go, Spark...) count only in a skill
context: next to another skill in a list, after a cue such as "experience with",
or before a word such as "programming"; outside lists they must also be written
as in the vocabulary. A one-word label after another skill is the head of a
compound ("machine learning algorithms") and names nothing of its own.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import NamedTuple

from kg.namespaces import SKILL

#: Words just before an ambiguous label that make it a skill: "experience with Go", "such as R".
_CUE_WORDS = frozenset(
    ["experience", "experienced", "proficient", "proficiency", "expertise", "expert", "knowledge", "familiar",
     "familiarity", "fluent", "fluency", "skill", "skills", "skilled", "background", "programming", "coding",
     "written", "developing", "development", "language", "languages", "including", "like", "using", "in-depth",
     "hands-on", "mastery", "competence", "competency", "competent", "excellent", "strong", "good", "effective",
     "great", "solid", "outstanding", "e.g.", "e.g", "know", "knows"]
)
_ADJECTIVES = frozenset(["excellent", "strong", "good", "effective", "great", "solid", "outstanding", "written"])
#: What ends the text before a sentence's first word: a bullet, a number, a header's colon.
_SENTENCE_OPENER = re.compile(r"(?:[\n\t]|\s{2,}|\d[.)]|[☞⌲►▪●·])$")
_PLACE_AFTER = re.compile(
    r",\s{0,2}(?:Indonesia|Malaysia|Singapore|Java|Bali|Sumatra|Oregon|Washington|California|[A-Z]{2}\b)"
)
_NUMBER_AFTER = re.compile(r"\s{0,2}['’]?\d")
#: A capitalised word just before a name, and one just after it.
_CAPITALISED_BEFORE = re.compile(r"(?<![\w.&'-])[A-Z][\w&'-]* $")
_CAPITALISED_AFTER = re.compile(r" [A-Z]")
#: What ends the text before an item of a list written in title case: "CFD, Shape and Design Optimization".
_LIST_BEFORE = re.compile(r"(?:[,;/(&]|\b(?:and|or))$")
_SENTENCE_ENDS = (". ", "? ", "! ")
#: An article or a determiner just before a name: it may be an everyday noun's modifier ("a Sentinel object").
_DETERMINER_BEFORE = re.compile(r"\b(?i:an?|the|this|that|our|your|their|its|each|every) $")
#: A verb's "-ing" form and "in" or "with" just before a name: "drafting in AutoCAD", "modelling in Revit", "working
#: with Tableau" (a tool one works in).
_WORKING_IN = re.compile(r"\b[a-z]{3,}ing\s{1,3}(?:in|with)\s{1,3}$")
#: "in" or "with" just before a name: "services in Go", "tooling with Go".
_IN_BEFORE = re.compile(r"\b(?:in|with) $")
_CUE_PAIRS = frozenset({("such", "as"), ("ability", "to"), ("able", "to")})
_VERB_PAIRS = frozenset({("ability", "to"), ("able", "to")})
_CUE_FILLERS = (frozenset({"and", "&"}), frozenset({"written", "verbal", "oral"}))
_TAIL_WORDS = re.compile(r"[\w.&-]+")
_LOOKBACK = 48
_USER_OF = re.compile(r"\b(?:users?|administrators?|admins?)\s{1,3}of\s{1,3}(?:the\s{1,3})?$", re.IGNORECASE)
#: What may stand between two items of a list: separators, "such as", one short capitalised word or one name
#: written in camel case ("SwiftUI", "HealthKit", "iOS": a product the vocabulary may not know).
_SEPARATOR_GAP = re.compile(
    r"[\s,/;|()\[\]+:]{0,6}(?:(?:and/or|and|or|as well as|e\.g\.|i\.e\.|etc\.|like|such as|including|plus|"
    r"incl\.)[\s,/;|()\[\]:]{0,6})?(?:(?-i:[A-Z0-9][\w.+#-]{0,5}|[A-Z]?[a-z]+[A-Z][\w.+#-]{0,12})"
    r"[\s,/;|()]{1,4}(?:(?:and|or)\s{1,3})?)?",
    re.IGNORECASE,
)
#: The rest of a line that lists names after its first one: "Rust or Elixir", "Swift, Kotlin / Dart" (each name
#: capitalised or in camel case, each after a comma, slash, "and", "or"...).
_NAMES_AFTER = re.compile(
    r"(?:\s{0,2}(?:[,/;|&]|and/or|and|or)\s{1,3}(?-i:[A-Z][\w.+#-]{0,19}|[a-z]+[A-Z][\w.+#-]{0,15}))+",
    re.IGNORECASE,
)
#: Words that, before a colon, open a list of what is asked for: "Must have: Swift, ...", "Tech stack: Go, ...".
_LIST_OPENERS = frozenset(
    ["have", "required", "requirements", "preferred", "stack", "technologies", "technology", "tools", "bonus",
     "plus", "qualifications", "desired", "desirable", "needed", "must", "mandatory", "essential", "toolset",
     "toolkit", "frameworks", "platforms", "tech", "requisites", "prerequisites"]
)
#: Words just after an ambiguous label that make it a skill: "Go programming", "R is a plus", "CPA preferred",
#: "PALS certification".
_CUE_AFTER = re.compile(
    r"(?:-based|\s{1,3}(?:programming|language|languages|code|coding|developer|developers|development|scripts?|"
    r"scripting|packages?|libraries|library|ecosystem|streaming|cluster|jobs|framework|frameworks|"
    r"applications?|spreadsheets?|macros|stack|knowledge|experience|skills|expertise|environments?|tools|models|"
    r"certifications?|certified|certificates?|licen[cs]es?|licensure|designation|credentials?|required|preferred)|"
    r"(?:\s{1,3}(?:and|or|&)\s{1,3}[\w+#.]{1,20}|/[\w+#.]{1,20})?\s{1,3}(?:is|are)\s{1,3}"
    r"(?:a\s{1,3}(?:big\s{1,3})?plus|"
    r"required|preferred|a\s{1,3}must|desirable|an\s{1,3}asset|needed|essential|mandatory))\b",
    re.IGNORECASE,
)


class Match(NamedTuple):
    """A label found in text: the concept IRI and the span of the text it covers."""

    iri: str
    start: int
    end: int
    ambiguous: bool = False
    exact_case: bool = True


def word_char(char: str) -> bool:
    """True for a letter, a digit or an underscore."""
    return char.isalnum() or char == "_"


def drop_compound_heads(text: str, matches: list[Match]) -> list[Match]:
    """Drop a one-word label that is the head of a compound after a skill of several words:
    "algorithms" in "machine learning algorithms" names no skill of its own.

    After a one-word name, a one-word label is the next item of a list written without
    commas ("Java Python Docker", "javascript reactjs java") and is kept; after an
    abbreviation it is a head again ("applying ML Algorithms"), unless it is capitalised and the abbreviation is an
    item of a list itself: the next name ("Skills: PHP Python Java").
    """
    kept: list[Match] = []
    for match in matches:
        written = text[match.start : match.end]
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and (written.islower() or written.istitle())
            and " " not in written
            and 0 < match.start - previous.end <= 2
            and not text[previous.end : match.start].strip()
            and _names_a_field(text[previous.start : previous.end].strip(), written, _listed(text, kept))
        ):
            continue
        kept.append(match)
    return kept


def _names_a_field(written: str, head: str, listed: bool) -> bool:
    """True for a skill written in several words ("machine learning"), or as an abbreviation ("ML", "NLP"), that
    ``head`` after it may be the head of: not a capitalised name after an item of a list ("PHP Python")."""
    abbreviation = written.isupper() and written.isalpha() and len(written) <= 4
    return " " in written or (abbreviation and (head.islower() or not listed))


def _listed(text: str, kept: list[Match]) -> bool:
    """True when the last match kept starts an item of a list: after a line's start, a colon, a comma, a bracket
    or a bullet, or right after the match before it ("Java PHP")."""
    before = text[: kept[-1].start].rstrip()
    return not before or before[-1] in ":,;(/|•*-" or (len(kept) > 1 and kept[-2].end == len(before))


def in_context(text: str, matches: list[Match]) -> list[Match]:
    """Keep the unambiguous matches and the ambiguous ones that stand in a skill context."""
    accepted = [not m.ambiguous for m in matches]
    first = len(text) - len(text.lstrip(" \t-*+•:"))
    last = len(text.rstrip(" \t.,;:"))
    if _only_names(text, matches, first, last):
        return matches  # a line that lists names and nothing else: "Customer service and sales"
    for index, match in enumerate(matches):
        if accepted[index]:
            continue
        before = text[max(0, match.start - _LOOKBACK) : match.start]
        if not match.exact_case:  # "java" for "Java": only right after a cue such as "experience with"
            accepted[index] = _cue_before(before, strict=True)
        elif _cue_before(before) or _CUE_AFTER.match(text, match.end) or (match.start <= first and match.end >= last):
            accepted[index] = True
        elif text[match.start].isupper() and _WORKING_IN.search(before):
            accepted[index] = True  # a tool one works in, named as names are: "drafting in AutoCAD"
        elif match.start <= first and _NAMES_AFTER.fullmatch(text, match.end, last):
            accepted[index] = True  # a line that only lists names: "Rust or Elixir"
        elif (
            match.iri.startswith(SKILL)
            and _proper_noun(text, match)
            and not _PLACE_AFTER.match(text, match.end)
            and not _in_longer_name(text, matches, index)
            and not _common_noun(text, matches, index)
        ):
            accepted[index] = True  # but not "an office in Java, Indonesia"; nor a taxonomy's word ("English")
    for index in range(1, len(matches)):  # acceptance spreads along a list: rightwards...
        if not accepted[index] and accepted[index - 1] and _spreads(text, matches[index - 1], matches[index]):
            accepted[index] = True
    for index in range(len(matches) - 2, -1, -1):  # ... and leftwards
        if not accepted[index] and accepted[index + 1] and _spreads(text, matches[index + 1], matches[index]):
            accepted[index] = True
    return [m for m, ok in zip(matches, accepted) if ok]


def _only_names(text: str, matches: list[Match], first: int, last: int) -> bool:
    """True when the line from ``first`` to ``last`` is two or more names and the separators between them, as a
    line that is one name is ("Customer service and sales", "Cash handling, merchandising")."""
    if len(matches) < 2 or matches[0].start != first or matches[-1].end != last:
        return False
    return all(_adjacent(text, one, two) for one, two in pairwise(matches))


def _spreads(text: str, source: Match, target: Match) -> bool:
    """True when the acceptance of ``source`` reaches ``target``, its neighbour in a list: an item written in lower
    case where the vocabulary capitalises it only from another in lower case ("javascript reactjs java"), not from
    a name written otherwise ("Databricks workspace" names no Google Workspace, "Confluence docs" no Google Docs)."""
    first, second = (source, target) if source.start < target.start else (target, source)
    if not _adjacent(text, first, second):
        return False
    written = text[target.start : target.end]
    return target.exact_case or not written.islower() or text[source.start : source.end].islower()


def skill_context(text: str, start: int, end: int) -> bool:
    """True when the span ``start:end`` of ``text`` stands where a skill is asked for:
    after "experience with", "user of", "such as"..., or before "experience", "skills"..."""
    before = text[max(0, start - _LOOKBACK) : start]
    if _USER_OF.search(before):
        return True
    return _cue_before(before) or _CUE_AFTER.match(text, end) is not None


def _proper_noun(text: str, match: Match) -> bool:
    """True for a one-word name capitalised in the middle of a sentence, where the everyday word would not be:
    "load data into Snowflake", "services in Go" (but not "Spring 2025", nor the first word of a sentence)."""
    written = text[match.start : match.end]
    if not written.istitle() or not written.isalpha():
        return False
    if len(written) < 3 and (not _IN_BEFORE.search(text, max(0, match.start - 6), match.start)
                             or _CAPITALISED_AFTER.match(text, match.end)):
        return False  # "Let's Go", "Go Live", "with Go Daddy": a two-letter name only after "in" or "with", alone
    if _starts_sentence(text, match.start):
        return False
    return not _NUMBER_AFTER.match(text, match.end)


def _starts_sentence(text: str, start: int) -> bool:
    """True for a word at ``start`` that is the first of a sentence, a bullet or a header's list, capitalised for
    that: after nothing, an end mark, a colon, a bullet, a bracket or a quote."""
    before = text[max(0, start - 8) : start].rstrip()
    return not before or before[-1] in ".!?:;•*-([\"'" or _SENTENCE_OPENER.search(before) is not None


def _in_longer_name(text: str, matches: list[Match], index: int) -> bool:
    """True for a name that ends a longer capitalised name: "Vault" in "records in Veeva Vault and ...".

    The capitalised words before it must name no skill ("Bitbucket Bamboo Puppet" is a list written without
    commas), one of them must stand in the middle of a sentence ("Use Vault" starts one, "An Agile outlook" is
    an article's), and they must not follow a list's separator ("Shape and Design Optimization" is an item of a
    list written in title case); a capitalised word after the name makes a title-case phrase ("Senior Backend
    Java Engineer"), which says nothing either way.
    """
    match = matches[index]
    if _CAPITALISED_AFTER.match(text, match.end):
        return False
    start, inside = match.start, False
    while True:
        word = _CAPITALISED_BEFORE.search(text, max(0, start - 24), start)
        if word is None:
            return inside and not _LIST_BEFORE.search(text[max(0, start - 8) : start].rstrip())
        if index and matches[index - 1].end > word.start():
            return False  # a skill: the names are items of a list
        if _DETERMINER_BEFORE.fullmatch(word.group()):
            return inside
        start = word.start()
        if _starts_sentence(text, start):
            return inside  # the first word of a sentence, capitalised for that
        inside = True


def _common_noun(text: str, matches: list[Match], index: int) -> bool:
    """True for a name after an article or a determiner in a sentence that names no other of kg's skills, where
    the everyday word is meant: "Return a Sentinel object when ...", "by the Elixir river" (but not in a title-case
    phrase: "the Android Platform")."""
    match = matches[index]
    if _CAPITALISED_AFTER.match(text, match.end):
        return False
    if not _DETERMINER_BEFORE.search(text, max(0, match.start - 8), match.start):
        return False
    start = max(text.rfind(mark, 0, match.start) for mark in _SENTENCE_ENDS)
    end = min((e for e in (text.find(mark, match.end) for mark in _SENTENCE_ENDS) if e >= 0), default=len(text))
    return not any(
        other != index and found.iri.startswith(SKILL) and start < found.start < end
        for other, found in enumerate(matches)
    )


def _cue_before(before: str, *, strict: bool = False) -> bool:
    """True when ``before`` ends with a cue: "experience with (the)", "such as", "proficient in".

    ``strict``: adjectives ("strong", "great") are no cue, for words written in lower case.
    """
    if not before or before[-1] not in " \t,:(":
        return False
    words = _TAIL_WORDS.findall(before.lower())[-6:]
    if words and words[-1] in _LIST_OPENERS and before.rstrip().endswith(":"):
        return True  # "Must have: Swift", "Tech stack: go, rust"
    if len(words) >= 3 and words[-1] in _CUE_FILLERS[0] and words[-2] in _CUE_FILLERS[1]:
        words = words[:-2]  # "excellent written and" + "verbal communication"
    if words and words[-1] == "the":
        words.pop()
    cues = _CUE_WORDS - _ADJECTIVES if strict else _CUE_WORDS
    if words and words[-1] in cues:
        return True
    pairs = _CUE_PAIRS - _VERB_PAIRS if strict else _CUE_PAIRS  # "ability to dig into" is a verb
    if words and words[-1] in ("in", "with", "of", "on"):
        if len(words) >= 2 and (words[-2], words[-1]) in pairs:
            return True
        words.pop()
    if not words:
        return False
    return words[-1] in cues or (len(words) >= 2 and (words[-2], words[-1]) in pairs)


def _adjacent(text: str, first: Match, second: Match) -> bool:
    """True when only list separators ("," "/" "and" "or"...) stand between two matches."""
    gap = text[first.end : second.start]
    return len(gap) <= 24 and _SEPARATOR_GAP.fullmatch(gap) is not None
