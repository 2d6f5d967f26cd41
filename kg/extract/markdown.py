"""Split a markdown (or markdown-like text) file into posting blocks.

Three shapes hold postings: fenced blocks, ``+ skill set:`` style blocks, and
``+`` bullets titled like a job with nested ``-``/``*`` lines. The headings a
block sits under give its domain; blocks that are only placeholders are dropped.
"""

from __future__ import annotations

import re

from kg.extract.blocks import Block, Line
from kg.extract.job_nouns import names_job

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]*(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([\w+-]*)")
_TEXT_FENCES = {"", "txt", "text", "plain", "plaintext", "md", "markdown", "jd"}
_SET_BULLET = re.compile(
    r"^\+[ \t]+(?:[\w ]{0,40}?[ \t])?(?:skill[ \t]*sets?|sets? of skills|tech(?:nology)?[ \t]+stack|"
    r"job[ \t]+(?:description|posting)|requirements|qualifications)\b",
    re.IGNORECASE,
)
_TOP_BULLET = re.compile(r"^\+[ \t]+(\S.*)$")
_PLACEHOLDER = re.compile(
    r"(?:blah|tbd|tba|todo|to do|n/?a|placeholder|coming soon|lorem ipsum\b.*|x{3,}|\.{3,}|…|-+|\?+)[.!]*",
    re.IGNORECASE,
)
_MARKERS = re.compile(r"^[ \t]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?")
_GENERIC_HEADINGS = {
    "sample jd", "sample jds", "sample job description", "sample job descriptions", "job descriptions",
    "job description", "potential roles", "roles", "notes", "skill sets", "skills", "skill set",
    "references", "resources", "other", "postings", "job postings", "examples", "tech stack",
}
_HEADING_PREFIX = re.compile(
    r"^(?:(?:important |additional )?(?:notes?|information|info) (?:about|on|for)|"
    r"(?:generic )?(?:sets? of )?skills?(?: sets?)?(?: for| about| of| in)+|generic)\s+",
    re.IGNORECASE,
)
_HEADING_SUFFIX = re.compile(r"\s+(?:roles|job opportunities|jobs|positions)$", re.IGNORECASE)
_EMPHASIS = re.compile(r"[*_`]+")


def normalise_heading(text: str) -> str | None:
    """A heading as a domain name: "Notes about X" and "Skill Sets for X" become X.

    Generic headings ("Sample JD", "Potential Roles") give None.
    """
    text = _EMPHASIS.sub("", text).strip().rstrip(":").strip()
    if text.casefold() in _GENERIC_HEADINGS:
        return None
    previous = None
    while previous != text:
        previous = text
        text = _HEADING_PREFIX.sub("", text).strip()
        text = _HEADING_SUFFIX.sub("", text).strip()
    if not text or text.casefold() in _GENERIC_HEADINGS:
        return None
    return text


def is_placeholder(lines: list[Line]) -> bool:
    """True when every line of a block is empty or a placeholder such as "BLAH." or "TBD"."""
    for line in lines:
        text = _MARKERS.sub("", line.text).strip()
        if text and not _PLACEHOLDER.fullmatch(_EMPHASIS.sub("", text).strip()):
            return False
    return True


def looks_like_title(text: str) -> bool:
    """True for a short line naming a job, such as "Senior Data Engineer (Remote)"."""
    text = _EMPHASIS.sub("", text).strip()
    if not text or len(text) > 120 or len(text.split()) > 16:
        return False
    if text.endswith((":", ";", ",")) or (text.endswith(".") and len(text.split()) > 10):
        return False
    return names_job(text)


def split_markdown(name: str, lines: list[str]) -> list[Block] | None:
    """Posting blocks of a markdown file, or None if the file holds none of the posting shapes."""
    headings: dict[int, str | None] = {}
    blocks: list[Block] = []
    found = False
    i, count = 0, len(lines)
    while i < count:
        text = lines[i]
        first = text.lstrip(" ")[:1]  # fences and headings start (after at most 3 spaces) with ` ~ or #
        fence = _FENCE.match(text) if first in ("`", "~") else None
        if fence:
            end = _fence_end(lines, i, fence.group(1))
            found = True
            if fence.group(2).lower() in _TEXT_FENCES:
                body = [Line(n + 1, lines[n]) for n in range(i + 1, end) if lines[n].strip()]
                _add(blocks, Block(name, body, _path(headings)))
            i = end + 1
            continue
        heading = _HEADING.match(text) if first == "#" else None
        if heading:
            level = len(heading.group(1))
            for deeper in [lvl for lvl in headings if lvl >= level]:
                del headings[deeper]
            headings[level] = normalise_heading(heading.group(2))
            i += 1
            continue
        if text.startswith("+"):
            end = _bullet_end(lines, i)
            body = [Line(n + 1, lines[n]) for n in range(i + 1, end) if lines[n].strip()]
            if _SET_BULLET.match(text):
                found = True
                _add(blocks, Block(name, body, _path(headings), head=i + 1))
            else:
                bullet = _TOP_BULLET.match(text)
                if bullet and len(body) >= 3 and _capitalised(bullet.group(1)) and looks_like_title(bullet.group(1)):
                    found = True
                    title = _EMPHASIS.sub("", bullet.group(1)).strip()
                    _add(blocks, Block(name, [Line(i + 1, text), *body], _path(headings), title=title))
            i = max(end, i + 1)
            continue
        i += 1
    return blocks if found else None


def _capitalised(text: str) -> bool:
    """False for a bullet that starts with a lower-case word, as sentences in notes do ("enabling developers ...")."""
    first = _EMPHASIS.sub("", text).split(maxsplit=1)
    return bool(first) and not (first[0].isalpha() and first[0].islower())


def _add(blocks: list[Block], block: Block) -> None:
    if block.lines and not is_placeholder(block.lines if block.title is None else block.lines[1:]):
        blocks.append(block)


def _path(headings: dict[int, str | None]) -> tuple[str, ...]:
    return tuple(text for _, text in sorted(headings.items()) if text)


def _fence_end(lines: list[str], start: int, opener: str) -> int:
    """The index of the line closing the fence opened at ``start`` (or the end of the file)."""
    char, size = opener[0], len(opener)
    for n in range(start + 1, len(lines)):
        stripped = lines[n].strip()
        if stripped.startswith(char * size) and not stripped.strip(char):
            return n
    return len(lines)


def _bullet_end(lines: list[str], start: int) -> int:
    """The index just past the nested lines of the top-level ``+`` bullet at ``start``."""
    n = start + 1
    while n < len(lines):
        text = lines[n]
        if text.strip() and text[0] not in " \t":
            break
        n += 1
    while n > start + 1 and not lines[n - 1].strip():
        n -= 1
    return n
