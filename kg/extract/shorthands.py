"""Skills that shorthands name without spelling them out, found around the matches of a line.

"supervised and unsupervised learning" names supervised learning; "web
scraping/crawling" names web crawling; "large language and multimodal models"
names large language models; "analytical and problem-solving skills" names
analytical skills; "statistical and/or ML modeling" names statistical
modeling. Each candidate is looked up among the matcher's keys (``Keys``), so a
shorthand only ever yields a label of the vocabulary.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping

from kg.extract.context import Match, word_char

#: A matcher's keys: normal form of a label -> (IRI, ambiguous).
Keys = Mapping[str, tuple[str, bool]]

#: "/crawling" after "web scraping", "and flow development" after "EDA tool".
_ELLIPSIS_AFTER = re.compile(
    r"\s{0,2}(?:/|\band/or\b|\band\b|\bor\b|&)\s{0,2}([a-z0-9][a-z0-9+#]{0,24})(?:\s([a-z0-9][a-z0-9+#]{0,24}))?"
)
#: Heads that a comma list may share: "organizational, prioritization and time management skills".
_LIST_HEADS = frozenset({"skills", "abilities"})
_FOLLOWING_HEAD = re.compile(r"\s{1,2}(skills|abilities)\b")
_LIST_WORD = re.compile(r"([a-z][a-z0-9+#-]{1,24})\s{0,2}(?:,|/|\band/or\b|\band\b|\bor\b|&)")
#: A word before a separator that may share the head of the words after it, the characters that may
#: not precede that word, and the words after the separator ("statistical and/or ML modeling").
_HEAD_WORD = re.compile(r"[a-z][a-z0-9+#]{1,24}")
_NOT_BEFORE_HEAD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.+#-")
_TAIL_WORD = re.compile(r"[a-z0-9][a-z0-9+#]{0,24}")
#: Verbs that, after "and", make the words around them actions rather than one shared head.
_VERBS = frozenset(
    ["maintain", "maintaining", "build", "building", "design", "designing", "develop", "developing", "deploy",
     "deploying", "run", "running", "operate", "operating", "manage", "managing", "implement", "implementing",
     "support", "supporting", "test", "testing", "improve", "improving", "own", "scale", "scaling", "deliver",
     "delivering", "create", "creating", "monitor", "monitoring", "document", "documenting", "debug",
     "debugging", "optimize", "optimizing", "optimise", "optimising", "ship", "shipping", "integrate",
     "integrating", "troubleshoot", "troubleshooting"]
)


def expand(text: str, haystack: str, chosen: list[Match], keys: Keys) -> list[Match]:
    """Add the skills named by shorthands: "supervised and unsupervised learning", "web scraping/crawling",
    "large language and multimodal models", "analytical and problem-solving skills".

    One left-to-right sweep: a shorthand word must lie between its match and the neighbours.
    """
    found: list[Match] = []
    last_end = 0
    for index, match in enumerate(chosen):
        key = haystack[match.start : match.end]
        if " " not in key:  # shorthands share the words of multi-word labels only
            found.append(match)
            last_end = match.end
            continue
        next_start = chosen[index + 1].start if index + 1 < len(chosen) else len(text)
        low = max(last_end, match.start - 40)
        if _has_separator(haystack[low : match.start]):
            before = _run_before(haystack, low, match.start)
            extra = _before(text, key, before, keys) if before else None
            head = key.rsplit(" ", 1)[1]
            if head not in _LIST_HEADS:  # "written communication" + " skills"
                following = _FOLLOWING_HEAD.match(haystack, match.end)
                head = following.group(1) if following else ""
            high = before[0][0][0] if before else match.start
            farther = _farther(text, haystack, head, low, high, keys) if head else None
            found.extend(m for m in (farther, extra) if m is not None)
        last_end = match.end
        after = _ELLIPSIS_AFTER.match(haystack, match.end, next_start) if _separator_next(haystack, match.end) else None
        if after:
            longer, extra = _after(text, key, match, after, keys)
            found.append(longer or match)
            if extra:
                found.append(extra)
                last_end = extra.end
        else:
            found.append(match)
    return found

def shared_heads(
    text: str, haystack: str, chosen: list[Match], keys: Keys, following: Mapping[str, frozenset[str]]
) -> list[Match]:
    """Add a word that shares the head of the words after it: "statistical" in "statistical
    and/or ML modeling techniques" names statistical modeling, even if "ML modeling" is no label.

    ``following`` maps the first word of each multi-word key to the words that follow it in keys.
    """
    extra: list[Match] = []
    starts = [m.start for m in chosen]
    for separator_start, separator_end in _separator_spans(haystack):
        window = max(0, separator_start - 30)
        head = haystack[window:separator_start].rstrip(" \t,")
        word = head[head.rfind(" ") + 1 :].lstrip("([{'\"")
        after = following.get(word)
        if after is None:
            continue
        tail = haystack[separator_end : separator_end + 80].split(None, 3)[:3]
        if len(tail) < 2 or after.isdisjoint(tail[1:]) or not _HEAD_WORD.fullmatch(word) or tail[0] in _VERBS:
            continue  # "build and maintain systems" is two actions on systems, not build systems
        end = window + len(head)
        start = end - len(word)
        if (start and haystack[start - 1] in _NOT_BEFORE_HEAD) or _overlaps(chosen, starts, start, end):
            continue
        tail = tail[: next((i for i, w in enumerate(tail) if not _TAIL_WORD.fullmatch(w)), len(tail))]
        match = _shared(text, word, tail, start, end, keys) if len(tail) >= 2 else None
        if match:
            extra.append(match)
    if not extra:
        return chosen
    return sorted(chosen + extra, key=lambda m: m.start)

def _has_separator(window: str) -> bool:
    """True when a window of text holds a list separator ("," "/" "&" " and" " or")."""
    return "," in window or "/" in window or "&" in window or " and" in window or " or" in window


def _separator_next(haystack: str, position: int) -> bool:
    """True when a separator ("/", "&", "and", "or") comes next, after at most two spaces."""
    rest = haystack[position : position + 8].lstrip()
    return rest[:1] in ("/", "&") or rest.startswith(("and", "or"))


def _separator_spans(haystack: str) -> list[tuple[int, int]]:
    """The spans of " and ", " or ", " and/or ", "/" and "&" in a text, in order (found with ``str.find``)."""
    spans: list[tuple[int, int]] = []
    for token in (" and/or ", " and ", " or ", "/", "&"):
        at = haystack.find(token)
        while at != -1:
            spans.append((at, at + len(token)))
            at = haystack.find(token, at + 1)
    spans.sort()
    if " and/or " in haystack:  # its "/" is part of it
        spans = [(a, b) for a, b in spans if not (haystack[a] == "/" and haystack.startswith(" and/or ", a - 4))]
    return spans


def _overlaps(chosen: list[Match], starts: list[int], start: int, end: int) -> bool:
    """True when the span overlaps one of the ``chosen`` matches (sorted, not overlapping; ``starts`` theirs)."""
    index = bisect_left(starts, end) - 1  # the last match starting before the span ends
    return index >= 0 and chosen[index].end > start


def _shared(text: str, word: str, tail: list[str], start: int, end: int, keys: Keys) -> Match | None:
    """The label ``word`` spells with the words of ``tail`` after its first: longest first."""
    for size in range(len(tail) - 1, 0, -1):  # "statistical modeling techniques" before "statistical modeling"
        for first in range(1, len(tail) - size + 1):
            match = _shorthand(text, " ".join((word, *tail[first : first + size])), start, end, keys)
            if match:
                return match
    return None

def _before(text: str, key: str, before: tuple[list[tuple[int, str]], str], keys: Keys) -> Match | None:
    """The label a run of words before a separator (see :func:`_run_before`) spells with the end of the next match."""
    words, separator = before
    rest, head = key.split(" ", 1)[1], key.rsplit(" ", 1)[1]
    comma = separator == ","
    if comma and head not in _LIST_HEADS:
        return None
    end = words[-1][0] + len(words[-1][1])
    for first in range(len(words)):  # the longest run first: "large language" before "language"
        run = " ".join(word for _, word in words[first:])
        candidates = (f"{run} {head}",) if comma else (f"{run} {rest}", f"{run} {key}", f"{run} {head}")
        for candidate in candidates:
            extra = _shorthand(text, candidate, words[first][0], end, keys)
            if extra:
                return extra
    return None

def _farther(text: str, haystack: str, head: str, low: int, high: int, keys: Keys) -> Match | None:
    """A word further back that shares a list head across adjectives: "interpersonal" in
    "strong interpersonal and excellent oral communication skills"."""
    for found in reversed(list(_LIST_WORD.finditer(haystack, low, high))):
        extra = _shorthand(text, f"{found.group(1)} {head}", found.start(1), found.end(1), keys)
        if extra:
            return extra
    return None

def _after(text: str, key: str, match: Match, after: re.Match[str], keys: Keys) -> tuple[Match | None, Match | None]:
    """For "EDA tool and flow development": the match made longer ("EDA tool development"),
    and the label spelled after the separator ("EDA flow development", or "web crawling")."""
    stem = key.rsplit(" ", 1)[0]
    longer = extra = None
    if after.group(2):
        entry = keys.get(f"{key} {after.group(2)}")
        if entry is not None:
            longer = Match(entry[0], match.start, match.end, entry[1], False)
        extra = _shorthand(text, f"{stem} {after.group(1)} {after.group(2)}", after.start(1), after.end(2), keys)
    if extra is None:
        extra = _shorthand(text, f"{stem} {after.group(1)}", after.start(1), after.end(1), keys)
    return longer, extra

def _shorthand(text: str, key: str, start: int, end: int, keys: Keys) -> Match | None:
    """The match of a label spelled out by a shorthand, if ``key`` is a label and the word stands alone."""
    entry = keys.get(key)
    if entry is None:
        return None
    if (start > 0 and word_char(text[start - 1])) or (end < len(text) and word_char(text[end])):
        return None
    return Match(entry[0], start, end, entry[1], False)


_SEPARATORS = ("and/or", "and", "or", ",", "/", "&")
_RUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789+#.")


def _run_before(haystack: str, low: int, high: int) -> tuple[list[tuple[int, str]], str] | None:
    """The (up to three) words and the separator just before ``high``: for "large language and " before
    "multimodal models", ([(start, "large"), (start, "language")], "and"); None if no separator ends there."""
    stripped = haystack[low:high].rstrip()
    if high - low - len(stripped) > 2:
        return None
    for separator in _SEPARATORS:
        if stripped.endswith(separator):
            body = stripped[: -len(separator)]
            if separator[0].isalpha() and body[-1:].isalnum():
                continue  # "o" of "go" is no "or"
            break
    else:
        return None
    words_part = body.rstrip()
    if len(body) - len(words_part) > 2:
        return None
    words: list[tuple[int, str]] = []
    end = low + len(words_part)
    while len(words) < 3:
        start = end
        while start > low and haystack[start - 1] in _RUN_CHARS:
            start -= 1
        word = haystack[start:end]
        if not word or not word[0].isalnum() or len(word) > 25 or word in ("and", "or"):
            break
        words.insert(0, (start, word))
        # one white space, then another word, continues the run
        if start - 2 < low or not haystack[start - 1].isspace() or haystack[start - 2] not in _RUN_CHARS:
            break
        end = start - 1
    return (words, separator) if words else None
