"""Required or preferred: section headers, and cues that apply to one clause only.

A header line ("Minimum qualifications", "Nice to have") sets the level of the
lines after it; a header with a colon inside a long line ("... What we need to
see: ...") sets it from there on. Inside a clause, cues such as "is a plus" or
"preferred" override the section for that clause only: in "Go and Rust are
required; Swift is a plus", Swift alone is preferred.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from kg.extract.blocks import LONGEST_KEPT
from kg.extract.matcher import lower_same_length
from kg.models import PREFERRED, REQUIRED, Level


class Section(NamedTuple):
    """The state a header sets: the level, whether a header set it, whether to skip the text.

    A named tuple, not a frozen dataclass: it is part of the keys of the caches of lines read, and a tuple's hash
    is computed without a call into Python."""

    level: Level = REQUIRED
    explicit: bool = False
    skip: bool = False


class Clause(NamedTuple):
    """A span of a line with the level its own cues give (None: the section decides)."""

    start: int
    end: int
    level: Level | None


DEFAULT = Section()
_REQUIRED_SECTION = Section(REQUIRED, True)
_PREFERRED_SECTION = Section(PREFERRED, True)
_NEUTRAL_SECTION = Section(REQUIRED, False)
_SKIP_SECTION = Section(REQUIRED, False, True)

_REQUIRED_HEADERS = (
    r"(?:minimum|basic|required|key|essential|mandatory|technical)\s+(?:qualifications|requirements|skills|experience)"
    r"|requirements|qualifications|what\s+we\s+need\s+to\s+see|what\s+you(?:'ll|\s+will)?\s+bring|"
    r"what\s+you(?:'ll|\s+will)?\s+need|what\s+we(?:'re|\s+are)\s+looking\s+for|who\s+you\s+are|you\s+have|"
    r"about\s+you|your\s+(?:profile|background|skills|experience)|must[\s-]+haves?|skills\s+(?:and|&)\s+experience|"
    r"(?:core\s+|key\s+|tech\s+)?skills|(?:our\s+)?(?:tech(?:nology|nical)?\s+)?stack|technologies|"
    r"tools(?:\s+(?:and|&)\s+technologies)?"
)
_PREFERRED_HEADERS = (
    r"(?:preferred|desired|desirable|additional|bonus|optional)\s+(?:qualifications|requirements|skills|experience)"
    r"|ways\s+to\s+stand\s+out(?:\s+from\s+the\s+crowd)?|nice[\s-]+to[\s-]+haves?|good\s+to\s+have|"
    r"bonus(?:\s+points)?|pluses|extra\s+credit|preferred|even\s+better\s+if"
)
_NEUTRAL_HEADERS = (
    r"responsibilities|what\s+you(?:'ll|\s+will)\s+(?:be\s+)?do(?:ing)?|about\s+the\s+(?:job|role|position|team)|"
    r"the\s+role|your\s+role|job\s+description|overview|description|day[\s-]+to[\s-]+day"
)
_SKIP_HEADERS = (
    r"about\s+(?:us|the\s+company|our\s+company)|benefits|perks|what\s+we\s+offer|why\s+join\s+us|"
    r"equal\s+opportunity|our\s+culture|life\s+at\s+\w+"
)
_KINDS = (
    (_PREFERRED_SECTION, re.compile(rf"(?:{_PREFERRED_HEADERS})", re.IGNORECASE)),
    (_SKIP_SECTION, re.compile(rf"(?:{_SKIP_HEADERS})", re.IGNORECASE)),
    (_NEUTRAL_SECTION, re.compile(rf"(?:{_NEUTRAL_HEADERS})", re.IGNORECASE)),
    (_REQUIRED_SECTION, re.compile(rf"(?:{_REQUIRED_HEADERS})", re.IGNORECASE)),
)
_LINE_KINDS = tuple((section, re.compile(r"(?:.{0,60}\s)?" + p.pattern, re.IGNORECASE)) for section, p in _KINDS)
#: The kinds in one pattern each for whole lines and for lines ending in a colon: its alternatives are tried in the
#: order of ``_KINDS``, so the first kind that matches the whole line wins, as it would one pattern after another.
_HEADER_PATTERNS = tuple(
    re.compile("|".join(f"(?P<k{n}>{p.pattern})" for n, (_, p) in enumerate(kinds)), re.IGNORECASE)
    for kinds in (_KINDS, _LINE_KINDS)
)
_HEADER_KINDS = {f"k{n}": section for n, (section, _) in enumerate(_KINDS)}
_ABOUT_COMPANY = re.compile(
    r"[Aa]bout\s+(?!the\s+(?:job|role|position|team)\b)[A-Z][\w&.'-]{0,40}(?:\s+[A-Z][\w&.'-]{0,40}){0,3}"
)
_INLINE_HEADER = re.compile(
    rf"(?:^|(?<=[.!?]\s)|(?<=[.!?]))\s*(?P<h>{_PREFERRED_HEADERS}|{_SKIP_HEADERS}|{_NEUTRAL_HEADERS}|"
    rf"{_REQUIRED_HEADERS})\s*:"
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s")
_HEADER_MARKER = r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+"
_CLEAN_HEADER = re.compile(rf"[*_#`]+|{_HEADER_MARKER}")
_LEADING_MARKER = re.compile(_HEADER_MARKER)
#: A ";", or a sentence's end mark and the white space after it (the sentence ends at the white space): written with
#: the mark first, so that the engine looks for the marks and tries nothing at other characters.
_SENTENCE_END = re.compile(r"[;.!?](?:(?<=;)|\s+(?=[A-Z(\"']))")
#: What ends with a dot but no sentence: "e.g.", "B.S.", and enumerators such as "a." and "b.".
_ABBREVIATION = re.compile(
    r"(?:\b(?i:e\.g|i\.e|etc|vs|sr|jr|inc|ltd|co|no|approx|incl|dept|st)|(?<![\w.])[A-Za-z]|\.[A-Za-z])\.$"
)
_PREFERRED_CUE = re.compile(
    r"\b(?:a\s+(?:[a-z]{1,12}\s+)?plus|preferred|preferably|prefer|preferences?|preferable|desirable|desired|optimally|"
    r"supplement(?:al|ary)?|highly[\s-]+valued|"
    r"beneficial|ideally|nice[\s-]+to[\s-]+have|bonus|an?\s+asset|advantage|advantageous|good\s+to\s+have|"
    r"optional|not\s+required|would\s+be\s+(?:great|nice|helpful)|helpful|welcome)\b"
)
#: Lower-cased substrings one of which every cue above holds.
CUE_ANCHORS = (
    "plus", "prefer", "desir", "optimal", "supplement", "valued", "benefic", "ideal", "nice", "bonus", "asset",
    "advantage", "good", "optional", "required", "would", "helpful", "welcome", "must", "mandatory",
    "necessity", "essential", "prerequisite",
)
_LEADING_CUE = re.compile(r"^\W*(?:preferably|ideally|optimally|optionally|bonus|a\s+plus|nice\s+to\s+have)\b")
_REQUIRED_CUE = re.compile(r"\b(?:required|must|mandatory|necessity|essential|a\s+prerequisite)\b")
_CUE_WORDS = re.compile(
    r"\b(?:is|are|would|will|be|a|an|big|huge|strong|definite|highly|very|strongly|great|plus|preferred|"
    r"preferably|desired|desirable|bonus|advantage|required|must|nice|to|have|ideally)\b"
)
_INTRODUCES = re.compile(r"(?:the\s+following|:)\W{0,3}$|the\s+following\b", re.IGNORECASE)
#: Lower-cased substrings one of which every boilerplate phrase holds.
BOILERPLATE_ANCHORS = (
    "opportunit", "discriminat", "accommodation", "veteran", "orientation", "identity", "fair", "conviction",
    "equity", "personal data", "data protection", "privacy", "meaning of", "applicable law",
)
_PIECE = re.compile(r"[^,()]+")
_BOILERPLATE = re.compile(
    r"equal\s+opportunity|discriminat|reasonable\s+accommodation|veteran\s+status|sexual\s+orientation|"
    r"gender\s+identity|fair\s+chance|arrest\s+and\s+conviction|eligible\s+for\s+equity|"
    r"personal\s+data|data\s+protection\s+(?:regulation|law|act|notice|policy|officer)|"
    r"privacy\s+(?:policy|notice|statement)|in\s+the\s+meaning\s+of|applicable\s+law"
)


def normalise_quotes(text: str) -> str:
    """Straight apostrophes for curly ones, so "What You’ll" matches "What You'll"."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


def header_section(text: str) -> Section | None:
    """The section a whole line opens, if the line is a header such as "Preferred Qualifications:"."""
    if len(text) > 80 and len(text) - sum(text.count(c) for c in "*_#`") > 90:
        return None  # too long for a header even without its emphasis and list marker
    text = normalise_quotes(text)
    if "*" in text or "_" in text or "#" in text or "`" in text:
        clean = _CLEAN_HEADER.sub("", text).strip()
    else:  # no emphasis: only a list marker to cut
        marker = _LEADING_MARKER.match(text)
        clean = (text[marker.end() :] if marker else text).strip()
    if not clean or len(clean) > 80 or clean[-1] in ".;,!?" or len(clean.split()) > 9:
        return None
    colon = clean.endswith(":")
    if colon:
        clean = clean[:-1].rstrip()
    if _ABOUT_COMPANY.fullmatch(clean):
        return _SKIP_SECTION
    found = _HEADER_PATTERNS[colon].fullmatch(clean)
    return _HEADER_KINDS[found.lastgroup] if found and found.lastgroup else None


def _kind(phrase: str) -> Section:
    for section, pattern in _KINDS:
        if pattern.fullmatch(phrase):
            return section
    return _NEUTRAL_SECTION


def split_headers(
    text: str, section: Section, *, item: bool | None = None
) -> tuple[Section, list[tuple[str, Section, int]]]:
    """Cut a line at inline headers ("... What we need to see: ...").

    A header at the start of a list item (``item``; guessed from the text if not
    given) labels that item only. Returns the section in force after the line,
    and the line's segments, each with its section and where it starts in ``text``.
    """
    if len(text) <= LONGEST_KEPT:
        return _kept_split(text, section, item)
    return _split_headers(text, section, item)


def _split_headers(
    text: str, section: Section, item: bool | None
) -> tuple[Section, list[tuple[str, Section, int]]]:
    text = normalise_quotes(text)
    whole = header_section(text)
    if whole is not None:
        return whole, []
    segments: list[tuple[str, Section, int]] = []
    position, current = 0, section
    if item is None:
        item = bool(_LIST_ITEM.match(text))
    inline = _INLINE_HEADER.finditer(lower_same_length(text)) if ":" in text else ()
    for found in inline:
        if found.start() > position or segments:
            segments.append((text[position : found.start()], current, position))
        kind = _kind(found.group("h"))
        if item and found.start() <= 4:
            segments.append((text[found.end() :], kind, found.end()))
            return section, [s for s in segments if s[0].strip()]
        current, position = kind, found.end()
    segments.append((text[position:], current, position))
    return current, [s for s in segments if s[0].strip()]


#: Lines repeat (a company's boilerplate, a large text's lines): their headers are kept (the list is shared).
_kept_split = lru_cache(maxsize=1 << 16)(_split_headers)


def asks_firmly(text: str) -> bool:
    """True when a text says something is required ("must", "required", "essential")."""
    return _REQUIRED_CUE.search(text.lower()) is not None


def is_boilerplate(text: str) -> bool:
    """True for equal-opportunity and similar legal text, which names no skills."""
    return _BOILERPLATE.search(text.lower()) is not None



def clauses(text: str, *, cued: bool = True, spans: list[tuple[int, int]] | None = None) -> list[Clause]:
    """The clauses of a segment with the level their own cues give.

    ``cued=False`` says the text has no cue; ``spans`` are its sentence spans, if known.
    """
    spans = sentence_spans(text) if spans is None else spans
    if not cued:
        return [Clause(start, end, None) for start, end in spans]
    lowered = lower_same_length(text)
    if _PREFERRED_CUE.search(lowered) is None and _REQUIRED_CUE.search(lowered) is None:
        return [Clause(start, end, None) for start, end in spans]
    out = [clause for start, end in spans for clause in _clause_levels(text, start, end)]
    for index in range(1, len(out)):
        previous = out[index - 1]
        if out[index].level is None and previous.level and _INTRODUCES.search(text, previous.start, previous.end):
            out[index] = out[index]._replace(level=previous.level)
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans: cut at ";" and at sentence ends that are not abbreviations ("e.g.", "B.S.")."""
    if ";" not in text and "." not in text and "!" not in text and "?" not in text:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        end = found.start()
        if text[end] != ";":
            end += 1  # after the mark
            if _ABBREVIATION.search(text, max(0, end - 8), end):
                continue
        out.append((start, end))
        start = found.end()
    out.append((start, len(text)))
    return out


def _clause_levels(text: str, start: int, end: int) -> list[Clause]:
    """Levels inside one clause: a trailing cue reaches back, a leading cue reaches forward.

    "Experience with Scala, Hive and Luigi is a plus" is preferred as a whole;
    in "6+ years of ML, ideally in NLP" only the part from "ideally" is.
    """
    body = lower_same_length(text[start:end])  # so that spans stay valid ("İ" lower-cased is two characters)
    if not body.strip():
        return []
    if _PREFERRED_CUE.search(body) is None and _REQUIRED_CUE.search(body) is None:
        return [Clause(start, end, None)]
    pieces = [(m.start() + start, m.end() + start, m.group()) for m in _PIECE.finditer(body)]
    levels: list[Level | None] = []
    leading: list[bool] = []
    enclosed: list[bool] = []  # a parenthesis with its own content keeps its cue: "Parsers (Bison a plus)"
    for piece_start, _, piece in pieces:
        preferred, required = _PREFERRED_CUE.search(piece), _REQUIRED_CUE.search(piece)
        levels.append(PREFERRED if preferred and not required else REQUIRED if required else None)
        cued = levels[-1] is not None
        leading.append(bool(_LEADING_CUE.match(piece)) or (cued and _INTRODUCES.search(piece) is not None))
        in_parenthesis = piece_start > 0 and text[piece_start - 1] == "("
        enclosed.append(in_parenthesis and cued and len(_CUE_WORDS.sub(" ", piece).split()) >= 2)
    resolved = list(levels)
    for index in range(1, len(pieces)):
        if resolved[index] is None and leading[index - 1] and resolved[index - 1]:
            resolved[index] = resolved[index - 1]
            leading[index] = True
    for index in range(len(pieces) - 2, -1, -1):
        if resolved[index] is None and resolved[index + 1] and not leading[index + 1] and not enclosed[index + 1]:
            resolved[index] = resolved[index + 1]
    return [Clause(s, e, level) for (s, e, _), level in zip(pieces, resolved)]

