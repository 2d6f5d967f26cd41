"""What kg read in each posting, as a page: the posting's text with every mention marked (``kg extract -f html``).

Each skill mention is marked where it was read, required ones with a solid underline, preferred ones with a
dashed one, terms that name nothing in the vocabulary (``--unknown``) with a dotted frame: the marks differ in
line style as well as colour. A mark's tooltip names the skill and its level. Beside the text, the posting's
facts (role, company, place, date, salary, years, degrees, languages) and its skills, each with the number of
places it was read. No script: HTML and CSS from ``kg/templates/reading.html.j2``, every label escaped.

A mention is placed by its line number and columns, checked against its text: plain text and markdown keep
their file lines; a table row's lines all carry the row's line, so the line whose columns hold the mention's text
is the one. A mention that fits no line (a title given by a column or a JSON-LD field) is marked in the title
when it fits there, and otherwise counted as not shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kg import palette
from kg.html import render
from kg.models import Posting, Salary, TextSpan

#: The kinds of mark, in the order the key lists them.
KINDS = ("required", "preferred", "unknown")


@dataclass(frozen=True)
class Piece:
    """A run of a line's text: plain (``kind`` None) or a mark, with what it names."""

    text: str
    kind: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Row:
    """One line of a posting as shown: its number in the file (None: the same as the line before) and its pieces."""

    number: int | None
    pieces: tuple[Piece, ...]


@dataclass(frozen=True)
class Skill:
    """A skill of a posting in its list: label, level, and how many places it was read in."""

    label: str
    level: str
    places: int


@dataclass(frozen=True)
class View:
    """One posting as the page shows it."""

    anchor: str
    posting: Posting
    title: tuple[Piece, ...]
    rows: tuple[Row, ...]
    skills: tuple[Skill, ...]
    facts: tuple[tuple[str, str], ...]
    unplaced: int

    @property
    def marks(self) -> Counter[str]:
        """How many marks of each kind the page shows for this posting."""
        return Counter(piece.kind for piece in (*self.title, *(p for row in self.rows for p in row.pieces))
                       if piece.kind)


def view(posting: Posting, lines: Sequence[tuple[int, str]], anchor: str) -> View:
    """The view of a posting, from the lines of its block: (line number, text) as extraction read them."""
    texts = [text for _, text in lines]
    title = posting.title or ""
    marks: list[list[tuple[int, int, str, str]]] = [[] for _ in texts]
    title_marks: list[tuple[int, int, str, str]] = []
    where: dict[int, list[int]] = {}
    for index, (number, _) in enumerate(lines):
        where.setdefault(number, []).append(index)
    unplaced = 0
    spans: list[tuple[TextSpan, str, str]] = [
        (span, skill.level, f"{skill.label}: {skill.level}") for skill in posting.skills for span in skill.mentions]
    spans += [(span, "unknown", f"{span.text}: not in the vocabulary") for span in posting.unknown]
    for span, kind, note in spans:
        mark = (span.start, span.end, kind, note)
        at = next((i for i in where.get(span.line, ()) if _holds(texts[i], span)), None)
        if at is not None:
            marks[at].append(mark)
        elif _holds(title, span):
            title_marks.append(mark)
        else:
            unplaced += 1
    shown = [(number, text, found) for (number, text), found in zip(lines, marks)]
    while shown and not shown[-1][1].strip():
        shown.pop()  # a table row's empty first and last lines
    while shown and not shown[0][1].strip():
        shown.pop(0)
    rows: list[Row] = []
    last: int | None = None
    for number, text, found in shown:
        rows.append(Row(number if number != last else None, _pieces(text, found)))
        last = number
    places = {skill.iri: len(skill.mentions) for skill in posting.skills}
    skills = tuple(Skill(s.label, s.level, places[s.iri])
                   for s in sorted(posting.skills, key=lambda s: (s.level != "required", s.label.casefold(), s.iri)))
    return View(anchor, posting, _pieces(title, title_marks), tuple(rows), skills, _facts(posting), unplaced)


def reading_page(views: Sequence[View], sources: Sequence[str]) -> str:
    """The page of the views, as self-contained HTML."""
    distinct = sum(1 for v in views if v.posting.duplicate_of is None)
    marks: Counter[str] = Counter()
    for item in views:
        marks.update(item.marks)
    return render("reading.html.j2", views=views, sources=sources, distinct=distinct, marks=marks, kinds=KINDS,
                  palette=palette)


def _holds(text: str, span: TextSpan) -> bool:
    """True when ``text`` holds the span's text at its columns."""
    return 0 <= span.start < span.end <= len(text) and (span.text is None or text[span.start : span.end] == span.text)


def _pieces(text: str, marks: list[tuple[int, int, str, str]]) -> tuple[Piece, ...]:
    """The text cut into plain runs and marks; of overlapping marks the first (then the longest) is shown."""
    pieces, position = [], 0
    for start, end, kind, note in sorted(marks, key=lambda m: (m[0], -m[1], KINDS.index(m[2]), m[3])):
        if start < position:
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], kind, note))
        position = end
    if position < len(text) or not pieces:
        pieces.append(Piece(text[position:]))
    return tuple(pieces)


def _salary(salary: Salary | None) -> str | None:
    """A pay range as a person reads it: "58,000–72,000 USD a year" (the table's cell, "58000-72000 USD/year", is
    for programs)."""
    if salary is None:
        return None
    low, high = (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in (salary.min, salary.max))
    amount = low if low == high else f"{low}–{high}"
    article = "an" if salary.period == "hour" else "a"
    return f"{amount} {salary.currency + ' ' if salary.currency else ''}{article} {salary.period}"


def _facts(posting: Posting) -> tuple[tuple[str, str], ...]:
    """The posting's facts as (name, value) pairs, those it has only."""
    row = posting.to_row()
    facts = [("role", row["role"]), ("company", row["company"]), ("domain", row["domain"]),
             ("place", row["location"]), ("posted", row["posted"]), ("salary", _salary(posting.salary)),
             ("years", row["min_years"]), ("degrees", row["degrees"]), ("languages", row["languages"]),
             ("source", row["source"]), ("duplicate of", row["duplicate_of"])]
    return tuple((name, value) for name, value in facts if value)
