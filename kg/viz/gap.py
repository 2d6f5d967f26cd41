"""The page of a gap: what a role asks for, what you have and what you miss, the most important first.

Missing skills are circles whose area grows with their importance to the
role, hatched; skills you have are solid squares with a tick — so the two
differ in shape and pattern as well as colour. Beside them, the same skills
as a ranked list with level, share and counts. No script: the page is HTML
and inline SVG from ``kg/templates/gap.html.j2``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import palette
from kg.html import render
from kg.numbers import is_thin, percent, share_of
from kg.terms import FOR_ROLE

if TYPE_CHECKING:
    from kg.analytics import Gap
    from kg.source import GraphSource

#: Diameter in pixels of the least and of the most important missing skill.
SMALLEST, LARGEST = 14.0, 64.0


@dataclass(frozen=True)
class GapSkill:
    """One skill of the role as the page shows it."""

    label: str
    status: str
    level: str
    importance: float
    postings: int
    role_postings: int
    diameter: float
    via: str = ""

    @property
    def share(self) -> str:
        """``"45% (9 of 20)"``, or ``"–"`` when the role has no postings."""
        return share_of(self.postings, self.role_postings)

    @property
    def thin(self) -> bool:
        return self.role_postings > 0 and is_thin(self.role_postings)


def gap_skills(result: Gap, role_postings: int) -> list[GapSkill]:
    """The role's skills for the page: missing first, most important first; have after, also by importance."""
    largest = max((item.importance for item in [*result.missing, *result.matched]), default=0.0) or 1.0
    skills = []
    for status, items in (("missing", result.missing), ("have", result.matched)):
        for item in sorted(items, key=lambda m: (-m.importance, m.label.casefold())):
            diameter = SMALLEST + (LARGEST - SMALLEST) * math.sqrt(max(0.0, item.importance) / largest)
            skills.append(GapSkill(item.label, status, item.level, item.importance, item.support, role_postings,
                                   round(diameter, 1), item.via or ""))
    return skills


def gap_page(db: GraphSource, result: Gap) -> str:
    """The gap page of ``result`` (from :func:`kg.analytics.gap`), as self-contained HTML."""
    role_postings = sum(1 for _ in db.quads_for_pattern(None, FOR_ROLE, ox.NamedNode(result.role), None))
    skills = gap_skills(result, role_postings)
    missing = [s for s in skills if s.status == "missing"]
    have = [s for s in skills if s.status == "have"]
    return render("gap.html.j2", label=result.label, coverage=percent(result.coverage), missing=missing, have=have,
                  ranked=sorted(skills, key=lambda s: (-s.importance, s.label.casefold())),
                  role_postings=role_postings, thin=role_postings > 0 and is_thin(role_postings), palette=palette)

