"""Per company and skill, how many of the roles the company hires require the skill or only prefer it, kept in
``graph/summaries/company-skills``.

``report-company-skills`` counted, at query time, every role each company hires and every posting it published,
per skill: 45 s of CPU on 100,000 postings, and not done in 40 s on a graph ten times ESCO's size (820,000 company
and skill rows), because every row was counted and sorted before the first one came out. The postings' side is a
tally of the derived graph (:mod:`kg.posting_tallies`: ``kg:postingCount`` and ``kg:requiredCount`` of each
``kg:CompanyDemand``); this module keeps the roles' side, on the same node::

    demand:company--acme--python  kg:company company:acme ; kg:skill skill:python ;
        kg:requiredRoles 3 ;        # roles Acme hires (kg:hires, any graph) that require Python
        kg:preferredRoles 1 .       # and that prefer it without requiring it

A company hires a role in any graph (curated, derived from its postings, imported), and a role asks for a skill in
any graph (its profile, an import, the postings' evidence in the derived graph); only ``kg:Role`` s count, as the
query counted them. Every full or vocabulary's derivation of the summaries counts the whole table again
(:func:`refresh`); an ingest counts again only the companies of its postings and those hiring a role whose links to
skills it changed (:func:`update`). The named query reads these rows in the store's order, a page at a time
(``queries/internal/kept-company-skills.rq``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.namespaces import COMPANY_SKILLS_GRAPH
from kg.posting_tallies import asking_node
from kg.terms import HIRES, OF_SKILL, PREFERS_SKILL, REQUIRES_SKILL, ROLE_CLASS, TYPE, integer, kg, value

GRAPH = ox.NamedNode(COMPANY_SKILLS_GRAPH)
COMPANY, REQUIRED_ROLES, PREFERRED_ROLES = kg("company"), kg("requiredRoles"), kg("preferredRoles")

#: Per company, per skill: (roles requiring it, roles preferring it without requiring it).
Counts = dict[str, dict[str, list[int]]]


class _Levels:
    """The skills each role requires, and prefers without requiring them (none for what is no ``kg:Role``), read
    once a role."""

    def __init__(self, db: ox.Store) -> None:
        self._db = db
        self._found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def __call__(self, role: str) -> tuple[frozenset[str], frozenset[str]]:
        if role not in self._found:
            node = ox.NamedNode(role)
            if next(iter(self._db.quads_for_pattern(node, TYPE, ROLE_CLASS, None)), None) is None:
                self._found[role] = (frozenset(), frozenset())
            else:
                required = frozenset(value(q.object) for q in self._db.quads_for_pattern(node, REQUIRES_SKILL, None,
                                                                                         None))
                preferred = frozenset(value(q.object) for q in self._db.quads_for_pattern(node, PREFERS_SKILL, None,
                                                                                          None))
                self._found[role] = (required, preferred - required)
        return self._found[role]


def counts(db: ox.Store, companies: Iterable[str] | None = None) -> Counts:
    """The roles' side of every company that hires a role (or of ``companies`` only)."""
    hires = (db.quads_for_pattern(None, HIRES, None, None) if companies is None else
             (q for company in sorted(set(companies)) for q in db.quads_for_pattern(ox.NamedNode(company), HIRES,
                                                                                    None, None)))
    roles: dict[str, set[str]] = defaultdict(set)
    for quad in hires:
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            roles[quad.subject.value].add(quad.object.value)
    levels = _Levels(db)
    out: Counts = {}
    for company, hired in roles.items():
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for role in hired:
            required, preferred = levels(role)
            for skill in required:
                found[skill][0] += 1
            for skill in preferred:
                found[skill][1] += 1
        if found:
            out[company] = dict(found)
    return out


def quads(found: Counts) -> Iterator[ox.Quad]:
    """The rows of ``found`` as quads, company by company and skill by skill (IRI order)."""
    for company in sorted(found):
        node_of_company = ox.NamedNode(company)
        for skill, (required, preferred) in sorted(found[company].items()):
            node = asking_node(company, skill)
            yield ox.Quad(node, COMPANY, node_of_company, GRAPH)
            yield ox.Quad(node, OF_SKILL, ox.NamedNode(skill), GRAPH)
            yield ox.Quad(node, REQUIRED_ROLES, integer(required), GRAPH)
            yield ox.Quad(node, PREFERRED_ROLES, integer(preferred), GRAPH)


def refresh(db: ox.Store) -> int:
    """Count the roles' side of every company again; the number of rows."""
    found = counts(db)
    db.remove_graph(GRAPH)
    db.bulk_extend(quads(found))
    return sum(len(skills) for skills in found.values())


def update(db: ox.Store, hires: Iterable[tuple[str, str]], roles: Iterable[str]) -> int:
    """Count again the rows of the companies of ``hires`` (company, role: new postings') and of every company that
    hires one of ``roles`` (whose links to skills changed); the number of quads written or removed."""
    companies = {company for company, _ in hires}
    for role in set(roles):
        companies |= {value(q.subject) for q in db.quads_for_pattern(None, HIRES, ox.NamedNode(role), None)
                      if isinstance(q.subject, ox.NamedNode)}
    old: set[ox.Quad] = set()
    for company in companies:
        for row in db.quads_for_pattern(None, COMPANY, ox.NamedNode(company), GRAPH):
            old.update(db.quads_for_pattern(row.subject, None, None, GRAPH))
    new = set(quads(counts(db, companies))) if companies else set()
    for quad in old - new:
        db.remove(quad)
    db.extend(sorted(new - old, key=str))
    return len(old ^ new)
