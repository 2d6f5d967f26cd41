"""Find vocabulary labels in text: an Aho-Corasick automaton plus word-boundary checks.

Matching is linear in the text: one automaton pass, then passes over the hits.
Labels match in any case, with hyphens as spaces, and (for skills) in the
singular or plural of their last word. Two shorthands are expanded:
"supervised and unsupervised learning" and "web scraping/crawling" name two
skills each. Ambiguous labels (``kg:ambiguousLabel``: R, Go, Spark...) count
only in a skill context: next to another skill in a list, after a cue such as
"experience with", or before a word such as "programming"; outside lists they
must also be written as in the vocabulary.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from kg.extract.vocabulary import Concept

log = logging.getLogger(__name__)

_SEPARATOR_GAP = re.compile(
    r"[\s,/;|()\[\]+:]{0,6}(?:(?:and/or|and|or|as well as|e\.g\.|i\.e\.|etc\.|like|such as|including|plus|"
    r"incl\.)[\s,/;|()\[\]:]{0,6})?(?:(?-i:[A-Z0-9])[\w.+#-]{0,5}[\s,/;|()]{1,4}(?:(?:and|or)\s{1,3})?)?",
    re.IGNORECASE,
)
_CUE_BEFORE = re.compile(
    r"(?:experience|experienced|proficien(?:t|cy)|expertise|expert|knowledge|familiar(?:ity)?|fluen(?:t|cy)|"
    r"skills?|skilled|background|programming|coding|written|developing|development|languages?|"
    r"such as|e\.g\.|including|like|using|in-depth|hands-on|mastery|competen(?:ce|cy|t)|excellent|strong|good|"
    r"effective|great|solid|outstanding|ability\s+to|able\s+to)"
    r"[\s,:(]{1,4}(?:(?:in|with|of|using|on)\s{1,3})?(?:the\s{1,3})?(?:(?:written|verbal|oral)\s+(?:and|&)\s+)?$",
    re.IGNORECASE,
)
_CUE_AFTER = re.compile(
    r"(?:-based|\s{1,3}(?:programming|language|languages|code|coding|developer|developers|development|scripts?|"
    r"scripting|packages?|libraries|library|ecosystem|streaming|cluster|jobs|framework|frameworks|"
    r"applications?|spreadsheets?|macros|stack|knowledge|experience|skills|expertise|"
    r"is\s+(?:a\s+(?:big\s+)?plus|required|preferred|a\s+must|desirable|an\s+asset)))\b",
    re.IGNORECASE,
)
_ELLIPSIS_BEFORE = re.compile(r"([a-z0-9][a-z0-9+#.]{0,24})\s{0,2}(?:,|/|\band\b|\bor\b|&)\s{0,2}$")
_ELLIPSIS_AFTER = re.compile(r"\s{0,2}(?:/|\band\b|\bor\b|&)\s{0,2}([a-z0-9][a-z0-9+#]{0,24})")
_LOOKBACK = 48
_NOT_VERBAL = {
    "engineering", "learning", "computing", "marketing", "processing", "programming", "networking", "mining",
    "manufacturing", "building", "routing", "tuning", "modeling", "modelling", "writing", "planning", "testing",
    "scheduling", "clustering", "streaming", "training", "housing", "pricing", "accounting", "banking",
}
_UNCOUNTED = ("work", "ware", "ing", "ness", "ics", "ity", "ship")


@dataclass(frozen=True)
class Match:
    """A label found in text: the concept IRI and the span of the text it covers."""

    iri: str
    start: int
    end: int
    ambiguous: bool = False
    exact_case: bool = True


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def lower_same_length(text: str) -> str:
    """Lower-case text without changing its length (so spans stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normal_key(text: str) -> str:
    """The form labels and text are compared in: lower case, hyphens as spaces, same length."""
    return lower_same_length(text).replace("-", " ")


def number_variants(label: str) -> list[str]:
    """The label with its last word in the other grammatical number ("neural network(s)")."""
    head, _, last = label.rpartition(" ")
    if not last.isalpha() or len(last) < 3 or last.lower().endswith(_UNCOUNTED):
        return []
    lower = last.lower()
    if len(last) >= 3 and last.endswith("s") and last[:-1].isupper():
        forms = [last[:-1]]
    elif last.isupper():
        forms = [last + "s"] if len(last) >= 2 else []
    elif lower.endswith("ies") and len(lower) > 4:
        forms = [last[:-3] + "y"]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(lower) > 4:
        forms = [last[:-1]]
    elif lower.endswith("y") and lower[-2:-1] not in "aeiou":
        forms = [last[:-1] + "ies"]
    elif lower.endswith(("s", "x", "ch", "sh")):
        forms = [last + "es"]
    else:
        forms = [last + "s"]
    return [f"{head} {form}" if head else form for form in forms]


def verb_variants(label: str) -> list[str]:
    """The label with its last word as a verb: "debugging" -> "debug", "communication" -> "communicate"."""
    head, _, last = label.rpartition(" ")
    lower = last.lower()
    if not last.isalpha() or not last.islower() or lower in _NOT_VERBAL:
        return []
    if lower.endswith("ication") and len(lower) > 9:
        forms = [last[:-3] + "e", last[:-3] + "es", last[:-3] + "ing"]
    elif lower.endswith("ing") and len(lower) >= 7 and lower[-4] not in "aeiou":
        stem = last[:-3]
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            stem = stem[:-1]
        forms = [stem, stem + "s"]
    else:
        return []
    return [f"{head} {form}" if head else form for form in forms]


class LabelMatcher:
    """Leftmost-longest matching of labels at word boundaries.

    Args:
        labels: pairs of (label, IRI); the first IRI given for a label wins.
        case_sensitive: match labels only as written (or in capitals / title case).
        ambiguous: labels that need a context, see :meth:`find`.
        variants: also match the other grammatical number of each label's last word,
            and expand "A and B x" / "A x/y" shorthands.
    """

    def __init__(
        self,
        labels: Iterable[tuple[str, str]],
        *,
        case_sensitive: bool = False,
        ambiguous: Iterable[str] = (),
        variants: bool = False,
    ) -> None:
        self.case_sensitive = case_sensitive
        self.variants = variants
        fold = (lambda s: s) if case_sensitive else normal_key
        ambiguous_keys = {fold(a) for a in ambiguous}
        self._forms: dict[str, set[str]] = {}
        self._keys: dict[str, tuple[str, bool]] = {}
        labels = [(" ".join(label.split()), iri) for label, iri in labels]
        forms_of = [(label, label, iri) for label, iri in labels if label]
        if case_sensitive:
            forms_of = [(form, label, iri) for label, _, iri in forms_of for form in (label, label.upper(), label.title())]
        for form, label, iri in forms_of:
            self._register(fold(form), label, iri, fold(label) in ambiguous_keys)
        if variants:
            for label, iri in labels:
                if fold(label) in ambiguous_keys and (label.isupper() or len(label) < 5):
                    continue
                for variant in verb_variants(label):
                    if fold(variant) not in self._keys:
                        self._register(fold(variant), variant, iri, fold(label) in ambiguous_keys)
            for label, iri in labels:
                words = label.split(" ")
                if 2 <= len(words) <= 3 and fold(label) not in ambiguous_keys:
                    for i in range(len(words) - 1):
                        joined = " ".join(words[:i] + [words[i] + words[i + 1]] + words[i + 2 :])
                        if fold(joined) not in self._keys:
                            self._register(fold(joined), joined, iri, False)
            for label, iri in labels:
                if fold(label) in ambiguous_keys and (label.isupper() or len(label) < 5):
                    continue
                for variant in number_variants(label):
                    if fold(variant) not in self._keys:
                        self._register(fold(variant), variant, iri, fold(label) in ambiguous_keys)
        # One-letter labels (C, R) would hit inside every word: a regex finds them instead.
        letters = sorted({label for key in self._keys if len(key) == 1 for label in self._forms[key]})
        self._letters = (
            re.compile(r"(?<![\w&'\-])(?<!\w\.)(?:" + "|".join(map(re.escape, letters)) + r")(?![\w+#&'])(?!-(?!based))(?!\.\w)")
            if letters and not case_sensitive
            else None
        )
        self._automaton = ahocorasick.Automaton()
        for key, (iri, is_ambiguous) in self._keys.items():
            if len(key) > 1 or self._letters is None:
                self._automaton.add_word(key, (len(key), iri, is_ambiguous))
        self.empty = not self._keys
        if len(self._automaton):
            self._automaton.make_automaton()

    def _register(self, key: str, label: str, iri: str, ambiguous: bool) -> None:
        known = self._keys.get(key)
        if known is None:
            self._keys[key] = (iri, ambiguous or len(key) == 1)
        elif known[0] != iri:
            log.debug("label %r names both %s and %s; keeping the first", label, known[0], iri)
            return
        self._forms.setdefault(key, set()).add(label)

    def find(self, text: str) -> list[Match]:
        """Matches of the labels in ``text``, leftmost-longest, ambiguous ones only in context."""
        if self.empty or not text:
            return []
        haystack = text if self.case_sensitive else normal_key(text)
        candidates: list[tuple[int, int, str, bool, bool]] = []
        bounded, case_of = self._bounded, self._case
        hits = self._automaton.iter(haystack) if len(self._automaton) else ()
        for end_index, (length, iri, ambiguous) in hits:
            start = end_index - length + 1
            if start and text[start - 1].isalnum() and text[start].isalnum():
                continue
            if not bounded(text, start, end_index + 1, ambiguous):
                continue
            exact = True
            if ambiguous:
                case = case_of(text[start : end_index + 1], haystack[start : end_index + 1])
                if case is None:
                    continue
                exact = case
            candidates.append((start, -length, iri, ambiguous, exact))
        if self._letters is not None:
            for found in self._letters.finditer(text):
                iri = self._keys[found.group().lower()][0]
                candidates.append((found.start(), -1, iri, True, True))
        candidates.sort()
        chosen: list[Match] = []
        last_end = -1
        for start, negative, iri, ambiguous, exact in candidates:
            if start >= last_end:
                chosen.append(Match(iri, start, start - negative, ambiguous, exact))
                last_end = start - negative
        if self.variants and chosen:
            chosen = self._expand(text, haystack, _drop_compound_heads(text, chosen))
        if any(m.ambiguous for m in chosen):
            chosen = _in_context(text, chosen)
        return chosen

    def _expand(self, text: str, haystack: str, chosen: list[Match]) -> list[Match]:
        """Add the skills named by shorthands: "supervised and unsupervised learning", "web scraping/crawling"."""
        found = list(chosen)
        taken = [(m.start, m.end) for m in chosen]
        for match in chosen:
            key = haystack[match.start : match.end]
            if " " not in key:
                continue
            first_rest, last_rest = key.split(" ", 1)[1], key.rsplit(" ", 1)[0]
            window = haystack[max(0, match.start - 40) : match.start]
            before = (
                _ELLIPSIS_BEFORE.search(haystack, max(0, match.start - 40), match.start)
                if any(sep in window for sep in (",", "/", " and", " or", "&"))
                else None
            )
            if before:
                word = before.group(1)
                for candidate in (f"{word} {first_rest}", f"{word} {key}"):
                    if self._add(found, taken, text, candidate, before.start(1), before.end(1)):
                        break
            after = _ELLIPSIS_AFTER.match(haystack, match.end)
            if after:
                self._add(found, taken, text, f"{last_rest} {after.group(1)}", after.start(1), after.end(1))
        found.sort(key=lambda m: m.start)
        return found

    def _add(self, found: list[Match], taken: list[tuple[int, int]], text: str, key: str, start: int, end: int) -> bool:
        entry = self._keys.get(key)
        if entry is None or any(s < end and start < e for s, e in taken):
            return False
        if start > 0 and _word_char(text[start - 1]) or end < len(text) and _word_char(text[end]):
            return False
        found.append(Match(entry[0], start, end, entry[1], False))
        taken.append((start, end))
        return True

    def _case(self, written: str, key: str) -> bool | None:
        """How an ambiguous label is written: True as in the vocabulary (or capitalised, or in
        capitals), False in lower case where the vocabulary capitalises a word ("transformers"),
        None otherwise ("skills" for "SKILL")."""
        loose = False
        for label in self._forms.get(key if not self.case_sensitive else written, ()):
            if written == label:
                return True
            if label.islower() and written == label[:1].upper() + label[1:]:
                return True
            if " " in label and label[1:] == label[1:].lower() and written.lower() == label.lower():
                return True
            if len(label) >= 4 and written == label.upper():
                return True
            if label[:1].isupper() and label[1:].islower() and written.lower() == label.lower():
                loose = True
        return False if loose else None

    @staticmethod
    def _bounded(text: str, start: int, end: int, ambiguous: bool) -> bool:
        """True when the span starts and ends at word boundaries ("C" is not in "C++" or "C#")."""
        strict = "&'" if ambiguous else ""
        if start > 0 and _word_char(text[start]):
            before = text[start - 1]
            if _word_char(before) or before in strict or (ambiguous and before == "-"):
                return False
            if before == "." and start > 1 and text[start - 2].isalnum():
                return False
        if end < len(text) and _word_char(text[end - 1]):
            after = text[end]
            if _word_char(after) or after in "+#" or after in strict:
                return False
            if after == "-" and ambiguous and not text.startswith("-based", end):
                return False
            if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
                return False
        return True


def _drop_compound_heads(text: str, matches: list[Match]) -> list[Match]:
    """Drop a one-word label that is the head of a compound after another skill:
    "algorithms" in "machine learning algorithms" names no skill of its own."""
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
        ):
            continue
        kept.append(match)
    return kept


def _in_context(text: str, matches: list[Match]) -> list[Match]:
    """Keep the unambiguous matches and the ambiguous ones that stand in a skill context."""
    accepted = [not m.ambiguous for m in matches]
    for index, match in enumerate(matches):
        if accepted[index] or not match.exact_case:
            continue
        before = text[max(0, match.start - _LOOKBACK) : match.start]
        if _CUE_BEFORE.search(before) or _CUE_AFTER.match(text, match.end):
            accepted[index] = True
        elif not text[: match.start].strip(" \t-*+•:") and not text[match.end :].strip(" \t.,;:"):
            accepted[index] = True
    changed = True
    while changed:
        changed = False
        for index, match in enumerate(matches):
            if accepted[index]:
                continue
            for other in (index - 1, index + 1):
                if 0 <= other < len(matches) and accepted[other] and _adjacent(text, matches, index, other):
                    accepted[index] = changed = True
                    break
    return [m for m, ok in zip(matches, accepted) if ok]


def _adjacent(text: str, matches: list[Match], a: int, b: int) -> bool:
    """True when only list separators ("," "/" "and" "or"...) stand between two matches."""
    first, second = (matches[a], matches[b]) if a < b else (matches[b], matches[a])
    gap = text[first.end : second.start]
    return len(gap) <= 24 and _SEPARATOR_GAP.fullmatch(gap) is not None


def skill_matcher(concepts: Iterable[Concept]) -> LabelMatcher:
    """A matcher for skills: every prefLabel and altLabel and their number variants, ambiguous ones marked."""
    concepts = sorted(concepts, key=lambda c: c.iri)
    labels = [(label, c.iri) for c in concepts for label in (*c.labels, *sorted(c.ambiguous))]
    ambiguous = {label for c in concepts for label in (*c.ambiguous, *generic_heads(c))}
    return LabelMatcher(labels, ambiguous=ambiguous, variants=True)


def generic_heads(concept: Concept) -> list[str]:
    """One-word lower-case altLabels that drop the qualifier of a longer prefLabel.

    "optimization" for "Mathematical optimization" is an everyday word too, so
    it is treated like an ambiguous label and needs a skill context.
    """
    words = concept.label.casefold().split()
    if len(words) < 2:
        return []
    return [a for a in concept.alt_labels if a.islower() and " " not in a and a in (words[0], words[-1])]
