"""Find vocabulary labels in text: an Aho-Corasick automaton plus word-boundary checks.

Matching is linear in the text: one automaton pass, then passes over the hits.
Labels match in any case, with hyphens as spaces, and (for skills) in the
singular or plural of their last word. Shorthands ("supervised and
unsupervised learning") are expanded by :mod:`kg.extract.shorthands`;
ambiguous labels (R, Go, Spark...) are kept only in a skill context, see
:mod:`kg.extract.context`.
"""

from __future__ import annotations

import codecs
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable
from itertools import islice
from typing import TYPE_CHECKING

import ahocorasick

from kg.extract import shorthands
from kg.extract.blocks import LONGEST_KEPT
from kg.extract.context import Match, drop_compound_heads, in_context, skill_context, word_char
from kg.extract.variants import generic_heads, number_variants, verb_variants
from kg.namespaces import SKILL

if TYPE_CHECKING:
    from kg.extract.vocabulary import Concept

__all__ = ["LabelMatcher", "Match", "lower_same_length", "normal_key", "skill_context", "skill_matcher"]

log = logging.getLogger(__name__)

#: Characters next to a label at which :meth:`LabelMatcher._bounded` may refuse it.
_SPECIAL_BEFORE = frozenset("_&'-.")
_SPECIAL_AFTER = frozenset("_+#&'-.")
#: How many texts' matches a matcher keeps (each at most ``LONGEST_KEPT`` characters long).
_CACHED = 100_000


def lower_same_length(text: str) -> str:
    """Lower-case text without changing its length (so spans stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def normal_key(text: str) -> str:
    """The form labels and text are compared in: lower case, hyphens as spaces, same length."""
    return lower_same_length(text).replace("-", " ")


#: What every character that is not a letter or digit becomes in the text the automaton reads (see ``LabelMatcher``).
_MARK = "\x01"


_ASCII_MARKS = bytes(c if chr(c).isalnum() else 1 for c in range(128)) + bytes(128)
_CODEC_ERRORS = "kg-word-marks"


def _marked(haystack: str) -> str:
    """The text with every character but letters and digits as a mark, and a mark before and after it.

    ASCII goes through a byte table; other characters become "a" (letters, digits) or a mark.
    """
    try:
        encoded = haystack.encode("ascii", _CODEC_ERRORS)
    except LookupError:  # the error handler is registered on first use
        codecs.register_error(_CODEC_ERRORS, _mark_non_ascii)
        encoded = haystack.encode("ascii", _CODEC_ERRORS)
    return _MARK + encoded.translate(_ASCII_MARKS).decode("ascii") + _MARK


def _mark_non_ascii(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join("a" if char.isalnum() else _MARK for char in bad), error.end


def marked_key(key: str) -> str:
    """A key marked as :func:`_marked` marks text, with a mark before and after it only where it starts or
    ends with a letter or digit: the automaton then reports it only at word boundaries."""
    body = _marked(key)[1:-1]
    return (_MARK if key[0].isalnum() else "") + body + (_MARK if key[-1].isalnum() else "")


def _letter_pattern(letters: list[str]) -> re.Pattern[str]:
    """A regex for one-letter labels as written, at the same boundaries as the automaton's matches."""
    alternatives = "|".join(map(re.escape, letters))
    # The letter first, its left context after it (as two-character lookbehinds), so the engine scans for the letter.
    return re.compile(rf"(?:{alternatives})(?<![\w&'\-].)(?<!\w\..)(?![\w+#&'])(?!-(?!based))(?!\.\w)")


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
        plain: frozenset[str] = frozenset(),
    ) -> None:
        self.case_sensitive = case_sensitive
        self.variants = variants
        self._fold = (lambda s: s) if case_sensitive else normal_key
        self._ambiguous = {self._fold(a) for a in ambiguous}
        self._forms: dict[str, set[str]] = {}
        self._keys: dict[str, tuple[str, bool]] = {}
        cleaned = [(" ".join(label.split()), iri) for label, iri in labels]
        cleaned = [(label, iri) for label, iri in cleaned if label]
        for label, iri in cleaned:
            forms = (label, label.upper(), label.title()) if case_sensitive else (label,)
            for form in forms:
                self._register(self._fold(form), label, iri, self._fold(label) in self._ambiguous)
        if variants:
            self._register_variants(cleaned, plain)
        self._compile()

    @classmethod
    def from_state(
        cls,
        keys: dict[str, tuple[str, bool]],
        forms: dict[str, set[str]],
        *,
        marked: list[str] | None = None,
        following: dict[str, frozenset[str]] | None = None,
        variants: bool = True,
    ) -> LabelMatcher:
        """A matcher from the keys and written forms of another (see :mod:`kg.extract.prebuilt`).

        ``forms`` need only hold the keys whose case matters: ambiguous ones and single letters;
        ``marked`` are the keys as the automaton holds them (:func:`marked_key`), in the order of ``keys``.
        """
        matcher = cls.__new__(cls)
        matcher.case_sensitive, matcher.variants, matcher._fold = False, variants, normal_key
        matcher._ambiguous = set()
        matcher._keys, matcher._forms = keys, forms
        matcher._compile(marked)
        matcher._following_words = following
        return matcher

    def state(self) -> tuple[dict[str, tuple[str, bool]], dict[str, set[str]]]:
        """The keys (normal form -> IRI, ambiguous) and the written forms of the keys whose case matters."""
        return self._keys, {k: v for k, v in self._forms.items() if self._keys[k][1] or len(k) == 1}

    def _compile(self, marked: list[str] | None = None) -> None:
        """The automaton and the one-letter pattern, from the keys (``marked``: their marked forms, if known).

        The automaton maps each marked form to the number of the first key with that form (``_same``
        lists the others: "machine learning" and "machine-learning" mark alike).
        """
        # One-letter labels (C, R) would hit inside every word: a regex finds them instead.
        letters = sorted({label for key in self._keys if len(key) == 1 for label in self._forms[key]})
        self._letters = _letter_pattern(letters) if letters and not self.case_sensitive else None
        # The automaton holds the keys with word-boundary marks, so that it reports matches at word
        # boundaries only: "\x01ai\x01" hits " ai," but not "maintain" (see ``_marked``).
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        keys = list(self._keys)
        self._key_of = keys
        self._iri_of = [iri for iri, _ in self._keys.values()]
        self._ambiguous_of = [ambiguous for _, ambiguous in self._keys.values()]
        self._same: dict[int, tuple[int, ...]] = {}
        first: dict[str, int] = {}
        skip_letters = self._letters is not None
        for index, form in enumerate(marked if marked is not None else map(marked_key, keys)):
            if skip_letters and len(keys[index]) == 1:
                continue
            known = first.setdefault(form, index)
            if known != index:
                self._same[known] = (*self._same.get(known, (known,)), index)
        add = self._automaton.add_word
        for form, index in first.items():
            add(form, index)
        self.empty = not self._keys
        self._found: dict[str, list[Match]] = {}
        self._following_words: dict[str, frozenset[str]] | None = None
        self._own_keys: dict[str, tuple[str, bool]] | None = None
        if len(self._automaton):
            self._automaton.make_automaton()

    @property
    def _following(self) -> dict[str, frozenset[str]]:
        return self.following()

    def _shorthand_keys(self) -> dict[str, tuple[str, bool]]:
        """The keys shorthands may spell: kg's own skills' where there are some ("analytical and communication
        skills" spells no taxonomy's "analytical software"), else all."""
        if self._own_keys is None:
            self._own_keys = {key: value for key, value in self._keys.items() if value[0].startswith(SKILL)}
            self._own_keys = self._own_keys or self._keys
        return self._own_keys

    def following(self) -> dict[str, frozenset[str]]:
        """First word of a key -> the words after it ("statistical" -> "modeling"), made on first use."""
        if self._following_words is None:
            following: dict[str, set[str]] = {}
            for key in self._shorthand_keys():
                first, _, rest = key.partition(" ")
                if rest:
                    following.setdefault(first, set()).update(rest.split(" "))
            self._following_words = {word: frozenset(after) for word, after in following.items()}
        return self._following_words

    def _register_variants(self, labels: list[tuple[str, str]], plain: frozenset[str]) -> None:
        """Add verb forms, joined words ("HuggingFace") and the other number, after all real labels.

        The labels of the IRIs in ``plain`` get only the other number, and only when they are one word.
        """
        fold = self._fold
        derived: list[tuple[str, str, bool]] = []
        for label, iri in labels:
            ambiguous = fold(label) in self._ambiguous
            if (ambiguous and (label.isupper() or len(label) < 5)) or iri in plain:
                continue
            derived += [(variant, iri, ambiguous) for variant in verb_variants(label)]
        for label, iri in labels:
            words = label.split(" ")
            if 2 <= len(words) <= 3 and fold(label) not in self._ambiguous and iri not in plain:
                for i in range(len(words) - 1):
                    derived.append((" ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]]), iri, False))
        for label, iri in labels:
            ambiguous = fold(label) in self._ambiguous
            if (ambiguous and (label.isupper() or len(label) < 5)) or (iri in plain and " " in label):
                continue
            derived += [(variant, iri, ambiguous) for variant in number_variants(label)]
        for variant, iri, ambiguous in derived:
            if fold(variant) not in self._keys:
                self._register(fold(variant), variant, iri, ambiguous)

    def _register(self, key: str, label: str, iri: str, ambiguous: bool) -> None:
        known = self._keys.get(key)
        if known is None:
            self._keys[key] = (iri, ambiguous or len(key) == 1)
        elif known[0] != iri:
            log.debug("label %r names both %s and %s; keeping the first", label, known[0], iri)
            return
        self._forms.setdefault(key, set()).add(label)

    def find(self, text: str) -> list[Match]:
        """Matches of the labels in ``text``, leftmost-longest, ambiguous ones only in context.

        The list is shared with later calls on the same text (see :meth:`_remember`): do not change it."""
        if self.empty or not text:
            return []
        found = self._found.get(text)
        if found is None:
            haystack = text if self.case_sensitive else normal_key(text)
            found = self._resolve(text, haystack, self._candidates(text, haystack))
            self._remember({text: found})
        return found

    def find_lines(self, texts: list[str]) -> list[list[Match]]:
        """``[find(text) for text in texts]``, with one pass of the automaton over all the texts not found before."""
        if self.empty or not texts:
            return [[] for _ in texts]
        known = self._found
        missing = [text for text in dict.fromkeys(texts) if text and text not in known]
        if not missing:
            return [known[text] if text else [] for text in texts]
        found = dict(zip(missing, self._find_lines(missing)))
        self._remember(found)
        return [found[text] if text in found else known[text] if text else [] for text in texts]

    def forget(self) -> None:
        """Empty the cache of texts' matches."""
        self._found.clear()

    def _remember(self, found: dict[str, list[Match]]) -> None:
        """Keep the matches of texts up to ``LONGEST_KEPT`` characters, at most ``_CACHED`` of them (a line of
        boilerplate repeated in a company's postings, or in a large text, is matched once)."""
        known = self._found
        if len(known) + len(found) > _CACHED:
            known.clear()
        for text, matches in islice(found.items(), _CACHED):
            if len(text) <= LONGEST_KEPT:
                known[text] = matches

    def _find_lines(self, texts: list[str]) -> list[list[Match]]:
        joined = "\n".join(texts)
        haystack = joined if self.case_sensitive else normal_key(joined)
        starts, position = [], 0
        for text in texts:
            starts.append(position)
            position += len(text) + 1
        per_line: list[list[tuple[int, int, str, bool, bool]]] = [[] for _ in texts]
        for candidate in self._candidates(joined, haystack):  # no label holds a line break
            index = bisect_right(starts, candidate[0]) - 1
            per_line[index].append((candidate[0] - starts[index], *candidate[1:]))
        return [
            self._resolve(text, haystack[start : start + len(text)], found) if text else []
            for text, start, found in zip(texts, starts, per_line)
        ]

    def _candidates(self, text: str, haystack: str) -> list[tuple[int, int, str, bool, bool]]:
        """Every label at word boundaries in ``text``: (start, -length, IRI, ambiguous, spelt as in the vocabulary)."""
        candidates: list[tuple[int, int, str, bool, bool]] = []
        bounded, case_of = self._bounded, self._case
        hits = self._automaton.iter(_marked(haystack)) if len(self._automaton) else ()
        size = len(text)
        key_of, same = self._key_of, self._same
        for marked_end, first in hits:
            # Keys that mark alike differ in punctuation: "machine/learning" is not "machine learning" as written,
            # but "Security+" and "Security" both are where "Security+" is, each a candidate of its own.
            for index in same.get(first, (first,)):
                key = key_of[index]
                lead, trail = key[0].isalnum(), key[-1].isalnum()
                end = marked_end - trail  # the marked text has one mark more at its start
                start = end - len(key)
                if not haystack.startswith(key, start):
                    continue
                iri, ambiguous = self._iri_of[index], self._ambiguous_of[index]
                if not lead and start and text[start - 1].isalnum() and text[start].isalnum():
                    continue
                if not trail and end < size and text[end].isalnum() and text[end - 1].isalnum():
                    continue
                before = text[start - 1] if start else " "
                after = text[end] if end < size else " "
                if (before in _SPECIAL_BEFORE or after in _SPECIAL_AFTER or not lead or not trail) and not bounded(
                    text, start, end, ambiguous
                ):
                    continue
                exact = True
                if ambiguous:
                    case = case_of(text[start:end], key)
                    if case is None:
                        continue
                    exact = case
                candidates.append((start, start - end, iri, ambiguous, exact))
        if self._letters is not None:
            for found in self._letters.finditer(text):
                iri = self._keys[found.group().lower()][0]
                candidates.append((found.start(), -1, iri, True, True))
        return candidates

    def _resolve(self, text: str, haystack: str, candidates: list[tuple[int, int, str, bool, bool]]) -> list[Match]:
        """The leftmost-longest candidates, with shorthands expanded and ambiguous labels kept in context."""
        candidates.sort()
        chosen: list[Match] = []
        last_end = -1
        wide = False
        for start, negative, iri, ambiguous, exact in candidates:
            if not iri.startswith(SKILL):
                wide = True
            elif start >= last_end:
                chosen.append(Match(iri, start, start - negative, ambiguous, exact))
                last_end = start - negative
        if wide:  # a taxonomy's label counts where no label of kg's own does ("use version control")
            others = [c for c in candidates if not c[2].startswith(SKILL)]
            chosen = _add_around(_unless_inside(chosen, others), others)
        if self.variants and chosen:
            chosen = shorthands.expand(text, haystack, drop_compound_heads(text, chosen), self._shorthand_keys())
        if self.variants and ("/" in haystack or " and " in haystack or " or " in haystack):
            chosen = shorthands.shared_heads(text, haystack, chosen, self._shorthand_keys(), self._following)
        if any(m.ambiguous for m in chosen):
            chosen = in_context(text, chosen)
        return chosen

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
        if start > 0 and word_char(text[start]):
            before = text[start - 1]
            if word_char(before) or before in strict or (ambiguous and before == "-"):
                return False
            if before == "." and start > 1 and text[start - 2].isalnum():
                return False
        if end < len(text) and word_char(text[end - 1]):
            after = text[end]
            if word_char(after) or after in "+#" or after in strict:
                return False
            if after == "-" and ambiguous and not text.startswith("-based", end):
                return False
            if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
                return False
        return True


def _unless_inside(chosen: list[Match], others: list[tuple[int, int, str, bool, bool]]) -> list[Match]:
    """The ``chosen`` matches but kg's ambiguous labels that lie inside a longer label of a taxonomy: "Oracle" in
    "Oracle PeopleSoft" names the product, not Oracle's database (an everyday word of kg's would otherwise hide the
    taxonomy's label, then name nothing itself outside a skill context)."""
    if not any(m.ambiguous for m in chosen):
        return chosen
    spans = [(start, start - negative) for start, negative, _, _, _ in others]
    return [m for m in chosen if not m.ambiguous or not any(
        start <= m.start and m.end <= end and end - start > m.end - m.start for start, end in spans)]


def _add_around(chosen: list[Match], others: list[tuple[int, int, str, bool, bool]]) -> list[Match]:
    """The ``chosen`` matches and, leftmost-longest, the ``others`` (sorted) that overlap none of them."""
    out = list(chosen)
    taken = [(m.start, m.end) for m in chosen]
    position, last_end = 0, -1
    for start, negative, iri, ambiguous, exact in others:
        end = start - negative
        if start < last_end:
            continue
        while position < len(taken) and taken[position][1] <= start:
            position += 1
        if position < len(taken) and taken[position][0] < end:
            continue
        out.append(Match(iri, start, end, ambiguous, exact))
        last_end = end
    out.sort(key=lambda m: m.start)
    return out


def skill_matcher(concepts: Iterable[Concept]) -> LabelMatcher:
    """A matcher for skills: every prefLabel and altLabel and their number variants, ambiguous ones marked.

    Where two skills share a label, kg's own wins, then a named technology (O*NET's, ESCO's knowledge),
    then ESCO's skills; the one-word labels of a taxonomy's concepts get only number variants.
    """
    concepts = sorted(concepts, key=_priority)
    labels = [(label, c.iri) for c in concepts for label in (*c.labels, *sorted(c.ambiguous))]
    ambiguous = {label for c in concepts for label in (*c.ambiguous, *generic_heads(c))}
    plain = frozenset(c.iri for c in concepts if not c.iri.startswith(SKILL))
    return LabelMatcher(labels, ambiguous=ambiguous, variants=True, plain=plain)


def _priority(concept: Concept) -> tuple[int, str]:
    rank = 0 if concept.iri.startswith(SKILL) else 1 if concept.kind == "knowledge" else 2
    return rank, concept.iri
