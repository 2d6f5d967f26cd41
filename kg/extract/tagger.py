"""A linear-chain CRF that reads where a posting names knowledge (technologies, fields) and skills.

The tagger marks each token of a line ``B-K``/``I-K`` (knowledge: "Java", "financial services"),
``B-S``/``I-S`` (skill phrases) or ``O``, from features of the token (its word, shape, prefix and
suffix, whether it is a common English word), of its neighbours, of the vocabulary matcher (whether
a label covers it, from which vocabulary, of which kind, ambiguous or not) and of its line (the
section it is in, the header above it, whether the company or the reader is spoken of). Its weights
are fitted on SkillSpan's train splits by ``python -m kg.extract.tagger_train`` (MIT licence; see
:mod:`kg.extract.tagger_train`) and ship in ``data/vocabulary/tagger.bin.gz``.

Decoding is the model's own sum of weights, vectorised: every feature of a token is either the
token's own word, a neighbour's word, a matcher tag or its line's, so a token's scores are a few
table look-ups (cached per word) added with numpy. Tokens that cannot be anything but ``O`` whatever
their neighbours are fixed; Viterbi and forward-backward run only on the stretches between them.
"""

from __future__ import annotations

import gzip
import json
import re
import string
import struct
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import islice, pairwise
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn, cast, overload

import numpy as np

from kg import resources
from kg.extract.blocks import LONGEST_KEPT
from kg.extract.context import Match
from kg.extract.sections import Section
from kg.namespaces import ONET, SKILL

if TYPE_CHECKING:
    from kg.extract.vocabulary import Concept

__all__ = ["LABELS", "MODEL", "Reading", "Row", "Tagger", "bundled_tagger", "token_features", "tokens"]

#: Where the weights live in ``data/``.
MODEL = ("vocabulary", "tagger.bin.gz")
#: The tags, in the order of the weights' columns.
LABELS = ("B-K", "I-K", "B-S", "I-S", "O")
_OUT = LABELS.index("O")
_KNOWLEDGE = [LABELS.index("B-K"), LABELS.index("I-K")]
_BEGIN = [LABELS.index("B-K"), LABELS.index("B-S")]
#: Per label: its kind (0 for O, then the numbers of ``_KIND_NAMES``), and whether it is ``I-``.
_KIND_NAMES = ("", "K", "S")
_KIND_OF = np.asarray([_KIND_NAMES.index(label.split("-")[1]) if "-" in label else 0 for label in LABELS])
_INNER = np.asarray([label.startswith("I-") for label in LABELS])
_FORMAT = b"kg-tagger 1\n"
#: A token: a word with its inner dots, pluses, hashes, slashes and hyphens ("Node.js", "C++", "CI/CD"), or one
#: character other than a comma or a double quote (SkillSpan, which the tagger learns from, has none).
_TOKEN = re.compile(r"\.?[\w+#]+(?:[.\-/&'’]+[\w+#]+)*|[^\s,\"“”]")
#: A word's characters as its shape writes them (see :func:`shape`), and a run of three or more of one character.
_SHAPE_TABLE = str.maketrans({**dict.fromkeys(string.ascii_uppercase, "X"),
                              **dict.fromkeys(string.ascii_lowercase, "x"), **dict.fromkeys(string.digits, "d")})
_REPEAT = re.compile(r"(.)\1\1+")
#: "we", "our", "us" as words (a capital first letter allowed), and "you", "your": written as a first letter, then
#: the word boundary before it looked back at, so that the pattern begins with a set of characters and ``re`` skips to
#: them without trying a match at every character (``\b(?:[Ww]e|[Oo]ur|[Uu]s)\b`` was 2.5 times slower).
_COMPANY_VOICE = re.compile(r"[WwOoUu](?<!\w[WwOoUu])(?:(?<=[Ww])e|(?<=[Oo])ur|(?<=[Uu])s)\b")
_READER = re.compile(r"[Yy](?<!\w[Yy])(?:ou|our)\b")
_HEADER_LIKE = re.compile(r"[\w /&,-]{2,40}:?")
#: The neighbours a token's features look at.
_OFFSETS = (-2, -1, 1, 2)
_PAD_BEFORE, _PAD_AFTER = "^", "$"
_start_of, _end_of = itemgetter(0), itemgetter(1)


class Row(NamedTuple):
    """What the tagger reads of one line: its clean text, the vocabulary's matches in it, the section in force
    at its start, and whether the line is a header."""

    text: str
    matches: Sequence[Match]
    section: Section
    header: bool


def tokens(text: str) -> list[tuple[int, int, str]]:
    """The tokens of a line: (start, end, text), as ``_TOKEN.finditer`` finds them.

    No token holds a space and the pattern looks at nothing before a match, so each whitespace-separated chunk is
    cut alone, and a chunk of letters and digits only (most are) is one token without the pattern; only spaces,
    commas and double quotes lie between tokens, and no token holds one, so the next place a token is written is
    where the pattern found it (``str.find``: several times faster than a match object per token)."""
    out: list[tuple[int, int, str]] = []
    end = 0
    find, append, cut = text.find, out.append, _TOKEN.findall
    for chunk in text.split():
        if chunk.isalnum():
            start = find(chunk, end)
            end = start + len(chunk)
            append((start, end, chunk))
            continue
        for word in cut(chunk):
            start = find(word, end)
            end = start + len(word)
            append((start, end, word))
    return out


@cache
def _common() -> frozenset[str]:
    from kg.extract.unknown import common_words

    return common_words()


def shape(word: str) -> str:
    """A word's shape: capitals X, small letters x, digits d (of ASCII), runs cut to two ("Node.js" -> "Xx.xx")."""
    return _REPEAT.sub(_two, word.translate(_SHAPE_TABLE))


def _two(run: re.Match[str]) -> str:
    """A run of one character cut to two (a function: ``re`` parses a template such as ``\\1\\1`` at every call)."""
    return run.group()[:2]


def word_features(word: str) -> list[str]:
    """The features of a token's own word."""
    return _word_names(word)[0]


def _word_names(word: str) -> list[list[str]]:
    """The features of a word as the token itself, then as each neighbour (``_OFFSETS``), its shape computed once."""
    low, form = word.lower(), shape(word)
    common = "1" if low in _common() else "0"
    own = ["w=" + low, "sh=" + form, "p3=" + low[:3], "s3=" + low[-3:], "s2=" + low[-2:], "c=" + common,
           "len=" + str(min(len(word), 8))]
    if not _PUNCT.isdisjoint(word):
        own.append("punct")
    return [own, *([word_name + low, shape_name + form, common_name + common] if shape_name else [word_name + low]
                   for word_name, shape_name, common_name in _NEIGHBOUR_NAMES)]


_PUNCT = frozenset("+#./-")
#: Per neighbour (``_OFFSETS``): the beginnings of the names of its word, shape and commonness (a neighbour further
#: than the next gives its word alone: empty names).
_NEIGHBOUR_NAMES = [(f"w{o:+d}=", f"sh{o:+d}=", f"c{o:+d}=") if abs(o) == 1 else (f"w{o:+d}=", "", "")
                    for o in _OFFSETS]


def neighbour_features(word: str, offset: int) -> list[str]:
    """The features a word gives the token ``offset`` tokens away from it (``offset`` is that token's distance)."""
    return _word_names(word)[1 + _OFFSETS.index(offset)]


def pair_features(left: str, right: str) -> tuple[str, str]:
    """The features of two adjacent words (either may be a padding mark): as the right one's left pair, then as
    the left one's right pair ("experience|with", "java|ee")."""
    pair = left.lower() + "|" + right.lower()
    return "b-=" + pair, "b+=" + pair


def _source(iri: str, concept: Concept | None) -> str:
    if iri.startswith(SKILL):
        return "kg"
    if iri.startswith(ONET):
        return "onet"
    return "esco-" + (concept.kind or "none" if concept else "none")


def gazetteer_codes(row: Row, spans: Sequence[tuple[int, int, str]], kinds: dict[str, Concept]) -> list[str]:
    """Per token, what the matcher says of it: ``O``, or ``B``/``I``, the label's vocabulary, kind, ambiguity
    and length in tokens, joined by ``|``."""
    codes = ["O"] * len(spans)
    for first, last, match in _matched_tokens(row.matches, spans):
        tail = _code_tail(match, last - first, kinds)
        codes[first:last] = ["B" + tail, *["I" + tail] * (last - first - 1)]
    return codes


def _matched_tokens(matches: Sequence[Match], spans: Sequence[tuple[int, int, str]]) -> list[tuple[int, int, Match]]:
    """Each match that covers tokens, in order (a later one's codes overwrite an earlier one's): its first token,
    the token after its last, and the match."""
    out = []
    for match in matches:
        first = bisect_right(spans, match.start, key=_start_of) - 1
        if first < 0 or spans[first][1] <= match.start:
            first += 1
        last = bisect_left(spans, match.end, key=_start_of)
        if first < last:
            out.append((first, last, match))
    return out


def _code_tail(match: Match, length: int, kinds: dict[str, Concept]) -> str:
    """What follows ``B``/``I`` in the code of a match ``length`` tokens long (see :func:`gazetteer_codes`)."""
    concept = kinds.get(match.iri)
    kind = concept.kind if concept and concept.kind else "none"
    return f"|{_source(match.iri, concept)}|{kind}|{int(match.ambiguous)}|{min(length, 3)}"


def gazetteer_features(code: str) -> list[str]:
    """The features of a token's own matcher code."""
    if code == "O":
        return ["g=O"]
    tag, source, kind, ambiguous, length = code.split("|")
    return ["g=" + tag + source, "gk=" + tag + kind, "ga=" + ambiguous, "gn=" + length]


def gazetteer_neighbour(code: str, offset: int) -> list[str]:
    """The feature a matcher code gives the token ``offset`` tokens away."""
    return [f"g{offset:+d}=" + code.split("|", 2)[0] + (code.split("|", 2)[1] if "|" in code else "")]


def line_features(rows: Sequence[Row], wanted: set[int] | None = None) -> list[list[str]]:
    """The features every token of a line shares: its section, the header above it, its voice, its length.

    ``wanted``: the lines whose features are needed (None: all); the others get none (the lines above a line give
    it ``prev=`` and ``hd=``, so every line is looked at)."""
    out: list[list[str]] = []
    previous, header = "^", "^"
    for number, row in enumerate(rows):
        if wanted is not None and number not in wanted:
            out.append([])
            after, heading = _passing_facts(row.text)  # only what the lines below see of it
        else:
            length, we, you, after, heading = _line_facts(row.text)
            section = row.section
            names = [
                "bias",
                "prev=" + previous,
                "hd=" + header,
                length,
                "nm=" + str(min(len(row.matches), 4)),
                "sec=" + ("skip" if section.skip else section.level + ("!" if section.explicit else "")),
            ]
            if row.header:
                names.append("header")
            if we:
                names.append("we")
            if you:
                names.append("you")
            out.append(names)
        previous = after
        if heading is not None and not row.matches:
            header = heading
    return out


def forget_line_facts() -> None:
    """Empty the cache of :func:`_line_facts`."""
    _kept_facts.cache_clear()


def _line_facts(text: str) -> tuple[str, bool, bool, str, str | None]:
    """See :func:`_facts_of` (kept for lines up to ``LONGEST_KEPT`` characters: lines repeat)."""
    return _kept_facts(text) if len(text) <= LONGEST_KEPT else _facts_of(text)


def _facts_of(text: str) -> tuple[str, bool, bool, str, str | None]:
    """What :func:`line_features` reads of a line's text: its length feature, whether the company and the
    reader are spoken of, then :func:`_passing_facts`."""
    return ("nt=" + str(min(len(text.split()) // 5, 6)), _COMPANY_VOICE.search(text) is not None,
            _READER.search(text) is not None, *_passing_facts(text))


def _passing_facts(text: str) -> tuple[str, str | None]:
    """What the lines below a line see of it: what the next line sees (``prev=``), and the header it makes (if it
    reads as one and has no matches)."""
    if len(text.split(None, 4)) > 4:  # more than four words
        return "long", None
    return text.lower()[:40], text.lower().rstrip(" :") if _HEADER_LIKE.fullmatch(text) else None


_kept_facts = lru_cache(maxsize=1 << 16)(_facts_of)


def token_features(rows: Sequence[Row], kinds: dict[str, Concept]) -> list[list[list[str]]]:
    """Every token's features, line by line: what the tagger is trained on (and sums at run time)."""
    out = []
    for row, shared in zip(rows, line_features(rows)):
        spans = tokens(row.text)
        words = [word for _, _, word in spans]
        codes = gazetteer_codes(row, spans, kinds)
        line: list[list[str]] = []
        for index, word in enumerate(words):
            names = [*shared, *word_features(word), *gazetteer_features(codes[index])]
            if index == 0:
                names.append("first")
            for offset in _OFFSETS:
                at = index + offset
                inside = 0 <= at < len(words)
                other = words[at] if inside else _PAD_BEFORE if offset < 0 else _PAD_AFTER
                names += neighbour_features(other, offset)
                names += gazetteer_neighbour(codes[at] if inside else other, offset)
            before = words[index - 1] if index else _PAD_BEFORE
            after = words[index + 1] if index + 1 < len(words) else _PAD_AFTER
            names += [pair_features(before, word)[0], pair_features(word, after)[1]]
            line.append(names)
        out.append(line)
    return out


@dataclass
class Reading:
    """What the tagger read in the lines of one posting: spans per line, and how likely each token is in one."""

    spans: list[list[tuple[int, int, str]]]  # per line: (start, end, "K" or "S"), character offsets
    token_spans: Sequence[list[tuple[int, int, str]]]  # per line: its tokens
    inside: Sequence[list[float]]  # per line, per token: the probability that it is part of a span
    knowledge: Sequence[list[float]]  # per line, per token: the probability that it is part of a knowledge span
    begins: Sequence[list[float]]  # per line, per token: the probability that a span begins at it
    peaks: Sequence[float] | None = None  # per line: the highest of ``inside`` (0 for a line without tokens)
    memos: Sequence[dict[Hashable, object]] | None = None  # per line: what was computed from its reading

    def peak(self, row: int) -> float:
        """The highest probability of a token of line ``row`` of being part of a span (0 without tokens)."""
        return self.peaks[row] if self.peaks is not None else max(self.inside[row], default=0.0)

    def memo(self, row: int) -> dict[Hashable, object] | None:
        """A place to keep what is computed from line ``row``'s reading alone: shared by the lines read alike
        (the same text under the same features), so that a line read again is not worked on again."""
        return self.memos[row] if self.memos is not None else None

    def probability(self, row: int, start: int, end: int) -> float:
        """The highest probability, over the tokens of ``start:end`` in line ``row``, of being part of a span."""
        memo = self.memos[row] if self.memos is not None else None
        known = memo.get((start, end)) if memo is not None else None
        if known is not None:
            return cast("float", known)
        places = self.token_spans[row]
        # tokens come in order and do not overlap: those overlapping ``start:end`` are one slice of them
        low = bisect_right(places, start, key=_end_of)
        chances = self.inside[row][low : bisect_left(places, end, low, key=_start_of)]
        best = max(0.0, *chances) if chances else 0.0
        if memo is not None:
            memo[start, end] = best
        return best


class Tagger:
    """The CRF's weights, and decoding."""

    def __init__(self, names: Sequence[str], weights: np.ndarray, transitions: np.ndarray) -> None:
        self.index = {name: number for number, name in enumerate(names)}
        self.weights = weights.astype(np.float64)
        self.transitions = transitions.astype(np.float64)
        self._exp_transitions = np.exp(self.transitions)
        self._transitions_into = np.ascontiguousarray(self.transitions.T)  # (label, previous label)
        size = len(LABELS)
        self._zero = np.zeros(size)
        # A label can beat O at a token only if its score, with the best transitions in and out, beats O's worst.
        self._best_around = self.transitions.max(axis=0) + self.transitions.max(axis=1)
        self._worst_out = self.transitions[:, _OUT].min() + self.transitions[_OUT, :].min()
        # per word of the weights (kept across lines read; the padding marks first): its row, its scores as the
        # token and as each neighbour, its number in the table of weighted pairs (-1: none), whether it holds "|"
        self._word_rows: dict[str, int] = {}
        self._word_list: list[str] = []
        self._word_scores = np.empty((1 + len(_OFFSETS), 0, len(LABELS)))  # (as the token/neighbour, row, label)
        self._word_pairs = np.empty(0, dtype=np.int64)
        self._word_odd = np.empty(0, dtype=bool)
        self._padded = np.vstack([self.weights, np.zeros((1, len(LABELS)))])
        self._codes: dict[str, np.ndarray] = {}
        self.forget_lines()

    def forget_lines(self) -> None:
        """Empty the caches of lines read (see :meth:`read_many`), and of the scores of their shared features
        (which hold the words of the line above: ``prev=``); the scores of words and matcher codes stay."""
        self._lines: dict[tuple[str, ...], np.ndarray] = {}
        self._read_lines: dict[tuple[str, str, tuple[Match, ...]], _LineReading] = {}
        self._read_kinds: dict[str, Concept] | None = None
        self._read_chars = 0
        self._token_places: dict[str, list[tuple[int, int, str]]] = {}

    def _places(self, text: str) -> list[tuple[int, int, str]]:
        """A line's tokens (:func:`tokens`), kept for lines up to ``LONGEST_KEPT`` characters (a line read is cut
        once, whether the tagger or what reads its output asks first)."""
        known = self._token_places
        found = known.get(text)
        if found is None:
            found = tokens(text)
            if len(text) <= LONGEST_KEPT:
                if len(known) >= _LINE_CACHE:
                    known.clear()  # bounded: memory stays flat however much is read
                known[text] = found
        return found

    def _sum(self, names: Sequence[str]) -> np.ndarray:
        rows = [self.index[name] for name in names if name in self.index]
        return self.weights[rows].sum(axis=0) if rows else self._zero

    def _word_numbers(self, spans_of: list[list[tuple[int, int, str]]]) -> list[int]:
        """The row of each token's word in the tables of words (``_word_scores``...), the new words added: a
        batch's scores and pairs are then gathered by row, with no table of its own."""
        known = self._word_rows
        get = known.get
        numbers = [get(word, -1) for line in spans_of for _, _, word in line]
        if known and -1 not in numbers:
            return numbers
        batch = dict.fromkeys(word for line in spans_of for _, _, word in line)
        if not known or len(known) + len(batch) > _WORDS_KEPT:
            known.clear()  # bounded: started again (the padding marks are rows 0 and 1)
            self._word_list = []
            self._add_words([_PAD_BEFORE, _PAD_AFTER])
        self._add_words([word for word in batch if word not in known])
        return [known[word] for line in spans_of for _, _, word in line]

    def _add_words(self, new: list[str]) -> None:
        """Add rows for words to the tables of words, their features summed in one numpy call."""
        if not new:
            return
        index, padding = self.index, len(self.weights)  # the last row of ``_padded`` is zeros
        rows: list[int] = []
        starts: list[int] = []
        for word in new:
            for names in _word_names(word):
                starts.append(len(rows))
                rows.append(padding)  # so that no segment is empty
                rows += [index[name] for name in names if name in index]
        sums = np.add.reduceat(self._padded[rows], starts).reshape(len(new), 1 + len(_OFFSETS), len(LABELS))
        ids = self._pair_table[0]
        size = len(self._word_list)
        if size + len(new) > len(self._word_pairs):  # grown by doubling: each word copied a few times at most
            capacity = max(2 * (size + len(new)), 1024)
            scores = np.empty((1 + len(_OFFSETS), capacity, len(LABELS)))
            scores[:, :size] = self._word_scores[:, :size]
            pairs = np.empty(capacity, dtype=np.int64)
            pairs[:size] = self._word_pairs[:size]
            odd = np.empty(capacity, dtype=bool)
            odd[:size] = self._word_odd[:size]
            self._word_scores, self._word_pairs, self._word_odd = scores, pairs, odd
        end = size + len(new)
        self._word_scores[:, size:end] = sums.transpose(1, 0, 2)
        self._word_pairs[size:end] = [ids.get(word.lower(), -1) for word in new]
        self._word_odd[size:end] = ["|" in word for word in new]
        self._word_rows.update(zip(new, range(size, end)))
        self._word_list += new

    def _code(self, code: str) -> np.ndarray:
        """A matcher code's scores as the token's own and as each neighbour's (``_OFFSETS``): shape (5, labels)."""
        found = self._codes.get(code)
        if found is None:
            own = self._sum(gazetteer_features(code)) if code not in (_PAD_BEFORE, _PAD_AFTER) else self._zero
            found = np.stack([own, *(self._sum(gazetteer_neighbour(code, offset)) for offset in _OFFSETS)])
            self._codes[code] = found
        return found

    def _pairs(self, padded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows in ``_padded`` of the pairs of the words at ``padded[i]`` and ``padded[i + 1]`` (rows of the
        tables of words) as the features :func:`pair_features` gives: as the right word's left pair, and as the left
        word's right pair (the zero row where there is no such feature). Looked up as numbers in the sorted table
        of weighted pairs (:meth:`_pair_table`); a pair with a word holding ``|`` by its name."""
        _, size, keys, rows = self._pair_table
        blank = len(self.weights)  # the zero row of ``_padded``
        numbers = self._word_pairs[padded]
        left, right = numbers[:-1], numbers[1:]
        wanted = left * size + right
        at = np.searchsorted(keys, wanted).clip(max=max(len(keys) - 1, 0))
        found = (left >= 0) & (right >= 0) & (keys[at] == wanted) if len(keys) else np.zeros(len(wanted), bool)
        as_right = np.where(found, rows[at, 0] if len(keys) else blank, blank)
        as_left = np.where(found, rows[at, 1] if len(keys) else blank, blank)
        marked = self._word_odd[padded]
        if marked.any():
            index, words = self.index, self._word_list
            for at_pair in np.flatnonzero(marked[:-1] | marked[1:]).tolist():
                before, after = pair_features(words[padded[at_pair]], words[padded[at_pair + 1]])
                as_right[at_pair] = index.get(before, blank)
                as_left[at_pair] = index.get(after, blank)
        return as_right, as_left

    @cached_property
    def _pair_table(self) -> tuple[dict[str, int], int, np.ndarray, np.ndarray]:
        """The weighted pairs of words without ``|`` (``pair_features``), as numbers: each word's number, the
        count of words, the sorted keys ``left * count + right``, and per key its rows as the right word's left
        pair and as the left word's right pair (the zero row of ``_padded`` where one is missing)."""
        ids: dict[str, int] = {}
        found: dict[tuple[int, int], list[int]] = {}
        blank = len(self.weights)
        for name, number in self.index.items():
            if name.startswith(("b-=", "b+=")) and name.count("|") == 1:
                left, right = name[3:].split("|")
                key = (ids.setdefault(left, len(ids)), ids.setdefault(right, len(ids)))
                found.setdefault(key, [blank, blank])[0 if name[1] == "-" else 1] = number
        size = max(len(ids), 1)
        keys = np.asarray([left * size + right for left, right in found], dtype=np.int64)
        rows = np.asarray(list(found.values()), dtype=np.intp).reshape(-1, 2)
        order = np.argsort(keys, kind="stable")
        return ids, size, keys[order], rows[order]

    def read(self, rows: Sequence[Row], kinds: dict[str, Concept]) -> Reading:
        """Tag the lines of one posting."""
        return self.read_many([rows], kinds)[0]

    def read_many(self, postings: Sequence[Sequence[Row]], kinds: dict[str, Concept],
                  only: Sequence[set[int] | None] | None = None) -> list[Reading]:
        """Tag the lines of several postings at once (numpy's steps are shared: much faster than one by one).

        A line's reading depends only on the line (its text, its matches) and the features it shares with its
        posting (``line_features``: its section, the line and header above it), so it is kept, under those, in a
        bounded cache: a line read before (boilerplate repeated across a company's postings, a large text's
        repeated lines) is not read again, and a line written twice in the batch is read once.

        ``only``: per posting, the lines to read (None: all); a line left out reads as holding no span, and
        asking for its values per token is an error. A line read alone is read as it is among all (a line's
        reading depends on the others only through its shared features, computed from all of its posting's)."""
        rows: list[Row | None] = []
        shared: list[list[str]] = []
        for number, posting_rows in enumerate(postings):
            wanted = only[number] if only is not None else None
            for index, (row, names) in enumerate(zip(posting_rows, line_features(posting_rows, wanted))):
                rows.append(row if wanted is None or index in wanted else None)
                shared.append(names)
        read = [index for index, row in enumerate(rows) if row is not None]
        if len(read) == len(rows):
            lines = self._lines_read(shared, cast("list[Row]", rows), kinds)
        else:
            lines = [_UNREAD] * len(rows)
            for index, line in zip(read, self._lines_read([shared[i] for i in read],
                                                          [cast("Row", rows[i]) for i in read], kinds)):
                lines[index] = line
        texts_of = [row.text for posting_rows in postings for row in posting_rows]
        out, start = [], 0
        for posting in postings:
            end = start + len(posting)
            chosen = lines[start:end]
            texts = texts_of[start:end]
            places = _TokenSpans(texts, self._places)
            out.append(Reading([line.spans for line in chosen], places, [line.inside for line in chosen],
                               [line.knowledge for line in chosen], [line.begins for line in chosen],
                               [line.peak for line in chosen], [line.memo for line in chosen]))
            start = end
        return out

    def _lines_read(self, shared: list[list[str]], rows: list[Row], kinds: dict[str, Concept]) -> list[_LineReading]:
        """Each line's reading, from the cache or read now (the lines not in it, each once)."""
        if kinds is not self._read_kinds:  # another vocabulary: other matcher codes
            self._read_lines, self._read_kinds, self._read_chars = {}, kinds, 0
        known = self._read_lines
        keys = [(row.text, "\x00".join(names), tuple(row.matches)) for row, names in zip(rows, shared)]
        missing: dict[tuple[str, str, tuple[Match, ...]], int] = {}
        for index, key in enumerate(keys):
            if key not in known and key not in missing:
                missing[key] = index
        if not missing:
            return [known[key] for key in keys]
        chosen = list(missing.values())
        reading = self._read([shared[i] for i in chosen], [rows[i] for i in chosen], kinds)
        inside, knowledge, begins, peaks = reading.inside, reading.knowledge, reading.begins, reading.peaks
        fresh = {key: _LineReading(reading.spans[number], peaks[number] if peaks is not None else
                                   max(inside[number], default=0.0), inside[number], knowledge[number], begins[number],
                                   {})
                 for number, key in enumerate(missing)}
        out = [fresh[key] if key in fresh else known[key] for key in keys]
        size = sum(len(key[0]) for key in missing)
        if len(known) + len(fresh) > _LINE_CACHE or self._read_chars + size > _LINE_CACHE_CHARS:
            known.clear()  # bounded: memory stays flat however much is read
            self._read_chars = 0
        for key, line in islice(fresh.items(), _LINE_CACHE):
            if self._read_chars + len(key[0]) <= _LINE_CACHE_CHARS:
                known[key] = line
                self._read_chars += len(key[0])
        return out

    def _read(self, shared: list[list[str]], rows: Sequence[Row], kinds: dict[str, Concept]) -> Reading:
        """Tag lines, each with the features it shares with its posting's (``line_features``).

        Each line sits in a padded sequence (two ``^`` before it, two ``$`` after it), so that a token's
        neighbours are array look-ups; words are rows of the tables of words, matcher codes numbered in the batch."""
        spans_of = [self._places(row.text) for row in rows]
        counts = [len(line) for line in spans_of]
        total = sum(counts)
        if not total:
            return Reading([[] for _ in rows], spans_of, [[] for _ in rows], [[] for _ in rows], [[] for _ in rows])
        word_ids = self._word_numbers(spans_of)
        # matcher codes by number: most tokens are O (2); a match's tokens get its B code, then its I code
        codes: dict[str, int] = {_PAD_BEFORE: 0, _PAD_AFTER: 1, "O": 2}
        pairs: dict[tuple[str, bool, int], tuple[int, int]] = {}
        code_ids = [2] * total
        position = 0
        for row, places in zip(rows, spans_of):
            for first, last, match in _matched_tokens(row.matches, places) if row.matches else ():
                length = last - first
                key = (match.iri, match.ambiguous, min(length, 3))
                pair = pairs.get(key)
                if pair is None:
                    tail = _code_tail(match, length, kinds)
                    begin = codes.setdefault("B" + tail, len(codes))
                    pair = pairs[key] = (begin, codes.setdefault("I" + tail, len(codes)))
                code_ids[position + first : position + last] = [pair[0], *[pair[1]] * (length - 1)]
            position += len(places)
        # each as the token, then as each neighbour: (5, rows, labels), gathered by ``take`` along the rows (numpy's
        # index of an array and a number is several times slower); the padding marks are the words' rows 0 and 1
        table = self._word_scores
        code_table = np.stack([self._code(code) for code in codes], axis=1)
        line_of = np.repeat(np.arange(len(rows)), counts)
        real = np.arange(total) + 4 * line_of + 2  # each token's place in the padded sequences
        row_starts = np.cumsum([0, *counts[:-1]]) + 4 * np.arange(len(rows))
        padded = np.ones(total + 4 * len(rows), dtype=np.intp)  # ``$`` (1), then ``^`` (0) before each line
        padded[row_starts] = padded[row_starts + 1] = 0
        padded_codes = padded.copy()
        padded[real] = word_ids
        padded_codes[real] = code_ids
        scores = table[0].take(padded.take(real), axis=0)
        for slot, offset in enumerate(_OFFSETS, start=1):
            scores += table[slot].take(padded.take(real + offset), axis=0)  # the word ``offset`` tokens away
        scores += code_table[0].take(padded_codes.take(real), axis=0)
        for slot, offset in enumerate(_OFFSETS, start=1):
            scores += code_table[slot].take(padded_codes.take(real + offset), axis=0)
        as_right, as_left = self._pairs(padded)  # pair i: tokens i and i + 1
        scores += self._padded.take(as_right.take(real - 1), axis=0) + self._padded.take(as_left.take(real), axis=0)
        scores += self._line_scores(shared).take(line_of, axis=0)
        firsts = np.cumsum([0, *counts[:-1]])[np.asarray(counts) > 0]
        scores[firsts] += self._sum(["first"])
        return self._decode(scores, counts, spans_of, line_of)

    def _line_scores(self, shared: list[list[str]]) -> np.ndarray:
        """The scores of lines' shared features (``line_features``), one row per line; each set summed once, the
        new ones in one numpy call."""
        known = self._lines
        if len(known) > 100_000:
            known.clear()
        numbers: dict[tuple[str, ...], int] = {}  # the batch's sets of features, numbered
        line_numbers = [numbers.setdefault(tuple(names), len(numbers)) for names in shared]
        table = np.empty((len(numbers), len(LABELS)))
        new = [key for key in numbers if key not in known]
        if new:
            index, padding = self.index, len(self.weights)  # the last row of ``_padded`` is zeros
            rows: list[int] = []
            starts: list[int] = []
            for names in new:
                starts.append(len(rows))
                rows.append(padding)  # so that no segment is empty
                rows += [index[name] for name in names if name in index]
            known.update(zip(new, np.add.reduceat(self._padded[rows], starts)))
        for key, number in numbers.items():
            table[number] = known[key]
        return table[line_numbers]

    def _decode(self, scores: np.ndarray, counts: list[int], spans_of: Sequence[list[tuple[int, int, str]]],
                line_of: np.ndarray) -> Reading:
        """Viterbi spans and marginal probabilities, line by line, on the stretches of tokens that may not be O.

        All stretches are decoded at once, packed longest first (as recurrent networks pack sequences): step
        ``t`` of every stretch that long is one block of rows, and one numpy operation."""
        around = scores + self._best_around
        # the best of the other labels, column by column (numpy's max along a row of five is several times slower)
        others = np.maximum.reduce([around[:, label] for label in range(len(LABELS)) if label != _OUT])
        fixed = others < scores[:, _OUT] + self._worst_out
        open_tokens = np.flatnonzero(~fixed)
        spans: list[list[tuple[int, int, str]]] = [[] for _ in counts]
        if not len(open_tokens):
            zeros = [[0.0] * count for count in counts]
            return Reading(spans, spans_of, zeros, zeros, zeros)
        line_start = np.cumsum([0, *counts[:-1]])
        # a stretch begins where an open token does not follow the previous open token of its line
        breaks = np.ones(len(open_tokens), dtype=bool)
        breaks[1:] = (np.diff(open_tokens) != 1) | (line_of[open_tokens[1:]] != line_of[open_tokens[:-1]])
        starts = np.flatnonzero(breaks)
        lengths = np.diff(np.append(starts, len(open_tokens)))
        order = np.argsort(-lengths, kind="stable")  # longest first: step t's stretches are a prefix
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        sorted_lengths = lengths[order]
        live = np.bincount(sorted_lengths, minlength=int(sorted_lengths[0]) + 1)[::-1].cumsum()[::-1][1:]
        offsets = np.concatenate(([0], np.cumsum(live)[:-1]))  # where each step's block begins
        step = np.arange(len(open_tokens)) - np.repeat(starts, lengths)  # a token's place in its stretch
        packed = offsets[step] + rank[np.repeat(np.arange(len(starts)), lengths)]  # each open token's row
        emissions = np.empty((len(open_tokens), len(LABELS)))
        emissions[packed] = scores.take(open_tokens, axis=0)
        first_token = open_tokens[starts[order]]
        first = first_token - line_start[line_of[first_token]]
        before = first > 0
        after = first + sorted_lengths < np.asarray(counts)[line_of[first_token]]
        steps = _Steps(live.tolist(), offsets.tolist(), sorted_lengths)
        labels = self._viterbi(emissions, steps, before, after).take(packed)
        marginals = self._marginals(emissions, steps, before, after).take(packed, axis=0)
        inside = np.zeros(len(scores))
        knowledge = np.zeros(len(scores))
        begins = np.zeros(len(scores))
        inside[open_tokens] = 1.0 - marginals[:, _OUT]
        knowledge[open_tokens] = marginals[:, _KNOWLEDGE[0]] + marginals[:, _KNOWLEDGE[1]]
        begins[open_tokens] = marginals[:, _BEGIN[0]] + marginals[:, _BEGIN[1]]
        bounds = np.cumsum([0, *counts]).tolist()
        if (labels != _OUT).any():
            path = np.full(len(scores), _OUT)
            path[open_tokens] = labels
            self._place_spans(path, counts, line_of, bounds, spans_of, spans)
        peaks = np.zeros(len(counts))
        filled = np.asarray(counts) > 0
        peaks[filled] = np.maximum.reduceat(inside, np.asarray(bounds[:-1])[filled])
        return Reading(spans, spans_of, _per_line(inside, bounds), _per_line(knowledge, bounds),
                       _per_line(begins, bounds), peaks.tolist())

    @staticmethod
    def _place_spans(path: np.ndarray, counts: list[int], line_of: np.ndarray, bounds: list[int],
                     spans_of: Sequence[list[tuple[int, int, str]]], spans: list[list[tuple[int, int, str]]]) -> None:
        """Fill ``spans`` with the character spans of the labelled runs of ``path`` (all lines' tokens), as
        :func:`_spans` reads them line by line: a token continues the span before it if it is ``I-`` of the kind of
        the token before it in its line, which is not ``O``; every other labelled token begins a span."""
        kind = _KIND_OF[path]
        follows = np.zeros(len(path), dtype=bool)
        follows[1:] = _INNER[path[1:]] & (kind[1:] == kind[:-1])
        follows[np.asarray(bounds[:-1])[np.asarray(counts) > 0]] = False  # a line's first token begins
        labelled = kind > 0
        ends = labelled.copy()
        ends[:-1] &= ~follows[1:]
        firsts = np.flatnonzero(labelled & ~follows)
        # lines and kinds made lists at once: a numpy scalar per span cost more than the rest of the loop
        for first, last, line, named in zip(firsts.tolist(), np.flatnonzero(ends).tolist(), line_of[firsts].tolist(),
                                            kind[firsts].tolist()):
            places = spans_of[line]
            start = bounds[line]
            spans[line].append((places[first - start][0], places[last - start][1], _KIND_NAMES[named]))

    def _viterbi(self, emissions: np.ndarray, steps: _Steps, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """The best label of each packed row (see :meth:`_decode`); ``before``/``after``: an O token
        precedes/follows the stretch.

        A step's candidates are laid out (stretch, label, previous label), and the best previous label is found
        by ``argmax`` along the last axis, its score then taken by index: numpy's ``max`` over a short axis is
        several times slower than its ``argmax`` (the same scores, the same first best on a tie)."""
        trans, into = self.transitions, self._transitions_into
        size = len(LABELS)
        count = steps.live[0]
        best = emissions[:count] + np.where(before[:, None], trans[_OUT][None, :], 0.0)
        back = np.empty((len(emissions), size), dtype=np.intp)
        last = np.empty((count, size))  # each stretch's scores at its last token
        live = [*steps.live, 0]  # stretches are longest first: those of length t + 1 are rows live[t + 1]:live[t]
        offsets = steps.offsets
        last[live[1] :] = best[live[1] :]
        argmax = np.argmax
        cells = np.arange(0, count * size * size, size)  # where each (stretch, label)'s candidates begin
        for t in range(1, len(steps.live)):
            n, at = live[t], offsets[t]
            candidates = best[:n, None, :] + into  # (stretch, label, previous label)
            chosen = back[at : at + n]
            argmax(candidates, axis=2, out=chosen)
            best = candidates.ravel().take(cells[: n * size] + chosen.ravel()).reshape(n, size)
            best += emissions[at : at + n]
            if live[t + 1] < n:
                last[live[t + 1] : n] = best[live[t + 1] :]
        last += np.where(after[:, None], trans[:, _OUT][None, :], 0.0)
        label = last.argmax(axis=1)
        out = np.empty(len(emissions), dtype=np.intp)
        out[np.asarray(offsets)[steps.lengths - 1] + np.arange(count)] = label
        flat = back.ravel()
        rows = np.arange(0, count * size, size)  # where each stretch's row of ``back`` begins, at step 0
        for t in range(len(steps.live) - 1, 0, -1):
            n, at, previous = live[t], offsets[t], offsets[t - 1]
            label[:n] = flat[rows[:n] + at * size + label[:n]]
            out[previous : previous + n] = label[:n]
        return out

    def _marginals(self, emissions: np.ndarray, steps: _Steps, before: np.ndarray, after: np.ndarray) -> np.ndarray:
        """The probability of each label at each packed row (forward-backward, each step scaled to sum to one)."""
        trans = self._exp_transitions
        count = steps.live[0]
        highest = np.maximum.reduce([emissions[:, label] for label in range(len(LABELS))])[:, None]  # by column
        potentials = np.exp(emissions - highest)
        alpha = np.empty(emissions.shape)
        start = potentials[:count] * np.where(before[:, None], trans[_OUT][None, :], 1.0)
        alpha[:count] = start / start.sum(axis=1, keepdims=True)
        total, divide = np.add.reduce, np.divide  # the ufuncs themselves: ``.sum`` adds a Python call per step
        offsets = steps.offsets
        for t in range(1, len(steps.live)):
            n, at, previous = steps.live[t], offsets[t], offsets[t - 1]
            step = alpha[previous : previous + n] @ trans
            step *= potentials[at : at + n]
            divide(step, total(step, axis=1, keepdims=True), out=alpha[at : at + n])
        beta = np.empty(emissions.shape)
        end = np.where(after[:, None], trans[:, _OUT][None, :], 1.0)
        beta[np.asarray(offsets)[steps.lengths - 1] + np.arange(count)] = end / end.sum(axis=1, keepdims=True)
        back = trans.T
        for t in range(len(steps.live) - 1, 0, -1):
            n, at, previous = steps.live[t], offsets[t], offsets[t - 1]
            step = (potentials[at : at + n] * beta[at : at + n]) @ back
            divide(step, total(step, axis=1, keepdims=True), out=beta[previous : previous + n])
        joint = alpha * beta
        return np.asarray(joint / np.maximum(joint.sum(axis=1, keepdims=True), 1e-300))


def _per_line(values: np.ndarray, bounds: list[int]) -> list[list[float]]:
    """Values per token of all lines' tokens as a list per line (``bounds``: each line's first index, then the end),
    the array made one list first (slicing a list costs a fifth of making a list of a slice of an array)."""
    flat = values.tolist()
    return [flat[start:end] for start, end in pairwise(bounds)]


#: How many words' scores a tagger keeps (a table per word of the weights: it survives :meth:`Tagger.forget_lines`).
_WORDS_KEPT = 200_000
#: How many lines' readings :meth:`Tagger.read_many` keeps, and how many characters of text they may hold.
_LINE_CACHE = 50_000
_LINE_CACHE_CHARS = 10_000_000


class _LineReading(NamedTuple):
    """The tagger's reading of one line: its spans, its highest probability, and its values per token."""

    spans: list[tuple[int, int, str]]
    peak: float
    inside: list[float]
    knowledge: list[float]
    begins: list[float]
    memo: dict[Hashable, object]  # see :meth:`Reading.memo`


class _Unread(list[float]):
    """The values per token of a line :meth:`Tagger.read_many` was asked not to read: any use is an error."""

    def _refuse(self, *_: object) -> NoReturn:
        raise IndexError("the values of a line that was not read")

    __getitem__ = __len__ = __iter__ = __contains__ = _refuse


#: The reading of a line :meth:`Tagger.read_many` was asked not to read: no span, and no values per token (an error).
_UNREAD = _LineReading([], 0.0, _Unread(), _Unread(), _Unread(), {})


class _TokenSpans(Sequence[list[tuple[int, int, str]]]):
    """The tokens of lines (``place``: :func:`tokens`, or a cache of it), cut on first use: most lines' places are
    never looked at."""

    def __init__(self, texts: list[str], place: Callable[[str], list[tuple[int, int, str]]]) -> None:
        self._texts = texts
        self._place = place

    def __len__(self) -> int:
        return len(self._texts)

    @overload
    def __getitem__(self, index: int) -> list[tuple[int, int, str]]: ...

    @overload
    def __getitem__(self, index: slice) -> _TokenSpans: ...

    def __getitem__(self, index: int | slice) -> list[tuple[int, int, str]] | _TokenSpans:
        if isinstance(index, slice):
            return _TokenSpans(self._texts[index], self._place)
        return self._place(self._texts[index])


class _Steps(NamedTuple):
    """Packed stretches (longest first): per step, how many stretches are that long and where its rows begin;
    each stretch's length."""

    live: list[int]
    offsets: list[int]
    lengths: np.ndarray


def _spans(path: list[int], first: int, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Character spans of the labelled runs of a path over tokens ``first``... of a line."""
    out: list[tuple[int, int, str]] = []
    current: list[int] | None = None
    kind = ""
    for offset, label in enumerate(path):
        name = LABELS[label]
        if name == "O":
            current = None
            continue
        tag, this = name.split("-")
        index = first + offset
        if current is not None and tag == "I" and this == kind:
            current[1] = index
            out[-1] = (spans[current[0]][0], spans[index][1], kind)
            continue
        current, kind = [index, index], this
        out.append((spans[index][0], spans[index][1], kind))
    return out


def render(names: Sequence[str], weights: np.ndarray, transitions: np.ndarray, about: str) -> bytes:
    """The weights file: a header line, a JSON line (labels, transitions, feature names), then float32 weights."""
    header = json.dumps({"about": about, "labels": list(LABELS), "transitions": np.round(transitions, 6).tolist(),
                         "names": list(names)}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    body = np.asarray(weights, dtype="<f4").tobytes()
    return gzip.compress(_FORMAT + struct.pack("<Q", len(header)) + header + body, compresslevel=9, mtime=0)


def load(path: Path) -> Tagger:
    """The tagger in a weights file (see :func:`render`)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_FORMAT):
        raise ValueError(f"{path}: not a kg tagger file")
    position = len(_FORMAT)
    (size,) = struct.unpack_from("<Q", data, position)
    position += 8
    header = json.loads(data[position : position + size])
    names = header["names"]
    weights = np.frombuffer(data, dtype="<f4", offset=position + size).reshape(len(names), len(LABELS))
    return Tagger(names, weights, np.asarray(header["transitions"]))


@cache
def bundled_tagger() -> Tagger | None:
    """The shipped tagger (None when its file is missing: the vocabulary and the rules decide alone)."""
    path = resources.data_file(*MODEL)
    return load(path) if path.is_file() else None
