"""A posting's date and place: what its source said, else a "Date posted:" or "Location:" line, else the
line a job board puts under the title ("Berlin, Germany · Hybrid · Posted 2026-11-20"); and the company such a
card names ("Harbor Robotics · Lisbon, Portugal · 2 weeks ago")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kg.extract.blocks import Block, Line
from kg.extract.dates import find_date_line
from kg.extract.job_nouns import names_job
from kg.extract.places import find_location_line, parse_location, read_city, read_place
from kg.models import Location

#: How many lines under the title a job board's card may take (company, place, kind of job, date).
CARD_LINES = 4
#: Between the parts of a card: "Berlin, Germany · Hybrid", "London, UK | Full-time", "Austin, TX - Remote";
#: not inside brackets ("Program Manager - GDI (Remote - US)").
_CARD_SEPARATOR = re.compile(r"(?:\s*[·•|]\s*|\s+[-–—]\s+)(?![^()]*\))")
#: The most words of a part of a card ("Full-time", "Posted on Nov 20, 2026", "Over 200 applicants", "Frankfurt
#: am Main, Germany"): a part with more is a sentence, and its line no card.
_CARD_WORDS = 6
#: The longest line that may be a card (a paragraph is not).
_CARD_LENGTH = 160


def when_and_where(block: Block, cleaned: Sequence[tuple[Line, str]], title_line: str = "",
                   title: str = "") -> dict[str, Any]:
    """``date_posted``, ``location`` and ``row`` for a posting of ``block`` (its lines as cleaned text, the line
    its title was read from and the title read from it, if any)."""
    date = block.date_posted
    location = block.location
    if date is None or location is None:
        numbered = [(line.number, text) for line, text in cleaned[:60]]
        if date is None and (found := find_date_line(numbered)):
            date = found[0]
        if location is None and (place := find_location_line(numbered)):
            location = place[0]
        if date is None or location is None:
            card_date, card_place = read_card(title_line, [text for _, text in numbered[:CARD_LINES]], title)
            date, location = date or card_date, location or card_place
    return {"date_posted": date, "location": location, "row": block.row}


def read_card(title_line: str, lines: Sequence[str], title: str = "") -> tuple[str | None, Location | None]:
    """The date and the place of a job board's card: the title line's parts after the title ("Senior
    Engineer · Acme · United States"), then the first lines under it ("London, UK | Full-time | Posted
    2026-11-20", "Austin, TX (Hybrid)").

    Only parts that are all of a place (:func:`~kg.extract.places.read_place`; a city alone after the title or
    beside a note of a card, see :func:`_lone_city`) or a "Posted ..." date count, and only on a line whose other
    parts are short: a sentence that names a country is no card. Of several places the one that says most is
    kept ("USA - California - Mountain View/Sunnyvale" is in California), with the kind of work another part
    says ("Berlin, Germany · Hybrid"). A city alone on the title line counts only where the ``title`` read from
    the line does not hold it: "QA Engineer - Cypress" names a tool.
    """
    date: str | None = None
    location: Location | None = None
    for index, line in enumerate((title_line, *lines)):
        parts = _card_parts(line, after_title=index == 0)
        if not parts:
            continue
        places = {p: place for p in parts
                  if (place := read_place(p) or _lone_city(p, parts, title=index == 0 and p not in title))}
        if location is None and places:
            named = [p for p, place in places.items() if place.country]
            most = max(named, key=lambda p: sum(f is not None for f in (places[p].city, places[p].region)), default="")
            location = parse_location(" · ".join(p for p in places if p == most or not places[p].country))
            if location is not None and location.country is None and most:  # a city alone: "Seattle" is in US
                location = replace(location, country=places[most].country)
        elif location is not None and location.workplace is None and places:
            # the kind of work on a line of its own under the place: "Seattle, WA · ..." then "Hybrid · Full-time"
            kind = next((place.workplace for place in places.values() if not place.country and place.workplace), None)
            location = replace(location, workplace=kind) if kind else location
        if date is None and (dated := find_date_line(enumerate(parts))):
            date = dated[0]
        if location is not None and location.workplace is not None and date is not None:
            break
    return date, location


def _card_parts(line: str, *, after_title: bool) -> list[str] | None:
    """The parts of a line that may be a card (``after_title``: those after the first), ``None`` for a
    paragraph or a sentence. Most lines are these, so they cost a length and a count of spaces."""
    if len(line) > _CARD_LENGTH:
        return None
    separated = "·" in line or "|" in line or " - " in line or "•" in line or " – " in line or " — " in line
    if not (separated or after_title or line.count(" ") < _CARD_WORDS):
        return None
    parts = [p.strip() for p in _CARD_SEPARATOR.split(line)] if separated else [line.strip()]
    parts = parts[1:] if after_title else parts
    if any(p.count(" ") >= _CARD_WORDS and len(p.split(None, _CARD_WORDS)) > _CARD_WORDS for p in parts):
        return None
    return [p for p in parts if p]


#: The words of a card's notes: the kind of job or of work, when it was posted or how many applied.
_NOTES = (r"full[- ]?time|part[- ]?time|contract|contractor|temporary|permanent|freelance|internship|remote|hybrid|"
          r"on[- ]?site|posted|reposted|ago|applicants?|applied|promoted|apply|actively|hiring|recruiting|today|"
          r"yesterday")
_NOTE = re.compile(rf"\b(?:{_NOTES})\b", re.IGNORECASE)
#: A part of a card that names no company: a note, the salary, a department, a figure; or a sentence.
_NOT_COMPANY = re.compile(
    rf"\b(?:{_NOTES}|salary|engineering|product|sales|marketing|research|operations|finance|design|team|department|"
    r"about|job|role|position)\b|\d|[:.!?;]$",
    re.IGNORECASE,
)
#: The most words of a company's name on a card.
_COMPANY_WORDS = 5


def card_company(lines: Sequence[str]) -> str | None:
    """The company a job board's card names on the first line under the title, as a part before the place
    ("Harbor Robotics · Lisbon, Portugal · 2 weeks ago") or as the whole line above a place's line ("Harbor
    Robotics", then "Lisbon, Portugal"): a copied job page. Nothing where no place follows: a line under a
    title may be a sentence, a header or a department ("Engineering")."""
    if not lines:
        return None
    parts = _card_parts(lines[0], after_title=False)
    if not parts or not company_like(parts[0]):
        return None
    if len(parts) > 1:
        return parts[0] if any(read_place(part) or _lone_city(part, parts) for part in parts[1:3]) else None
    after = _card_parts(lines[1], after_title=False) if len(lines) > 1 else None
    return parts[0] if after and read_place(after[0]) else None


def company_like(text: str) -> bool:
    """True for a text that may be a company's name on a card: a few words, the first capitalised, no figure,
    no place, no job, no kind of work or time."""
    words = text.split()
    return (0 < len(words) <= _COMPANY_WORDS and text[:1].isupper() and _NOT_COMPANY.search(text) is None
            and not names_job(text) and read_place(text) is None)


def _lone_city(part: str, parts: Sequence[str], *, title: bool = False) -> Location | None:
    """``part`` as a city named alone (:func:`~kg.extract.places.read_city`) where the line says it is a card's
    place: on the ``title`` line, after the title ("Software Engineer - Seattle"), or beside a note of a card
    ("Harbor Robotics · Seattle · 2 weeks ago"), not in a list of names ("Elixir · Phoenix · PostgreSQL")."""
    if not (title or any(_NOTE.search(other) for other in parts if other is not part)):
        return None
    return read_city(part)
