"""Per company and skill, how many of the roles the company hires require the skill or only prefer it; per company,
how many roles it hires; and the labels the company reports show, kept in ``graph/summaries/company-skills``.

``report-company-skills`` counted, at query time, every role each company hires and every posting it published,
per skill: 45 s of CPU on 100,000 postings, and not done in 40 s on a graph ten times ESCO's size (820,000 company
and skill rows), because every row was counted and sorted before the first one came out. The postings' side is a
tally of the derived graph (:mod:`kg.posting_tallies`: ``kg:postingCount`` and ``kg:requiredCount`` of each
``kg:CompanyDemand``); this module keeps the roles' side, on the same node, and what a row needs of its company and
skill::

    demand:company--acme--python  kg:company company:acme ; kg:skill skill:python ;
        kg:requiredRoles 3 ;        # roles Acme hires (kg:hires, any graph) that require Python
        kg:preferredRoles 1 .       # and that prefer it without requiring it
    company:acme  kg:hiredRoles 7 ;             # every kg:Company: the kg:Role s it hires
        kg:keptLabel "Acme" .                   # every kg:Company and kg:Skill: its English or untagged prefLabels
    skill:python  kg:keptLabel "Python"@en .

A company hires a role in any graph (curated, derived from its postings, imported), and a role asks for a skill in
any graph (its profile, an import, the postings' evidence in the derived graph); only ``kg:Role`` s count, as the
query counted them. The labels are copies for the reading queries' sake: a label looked up in the union of the
store's graphs cost ~50 us a row (both indexes of quads, every graph), a kept one in this graph ~10 us, and a
concept that is no ``kg:Company`` (``kg:Skill``) has none, so that a row needs no look-up of its types either.
Every full or vocabulary's derivation of the summaries counts and copies the whole table again (:func:`refresh`);
an ingest counts again only the companies of its postings and those hiring a role whose links to skills it changed,
and copies again the labels of these companies and of the skills its postings ask for (:func:`update`). The kept
queries read these rows (``queries/internal/kept-company-*.rq``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.label_order import is_english
from kg.namespaces import COMPANY_SKILLS_GRAPH
from kg.posting_tallies import asking_node
from kg.terms import (
    COMPANY_CLASS,
    HIRES,
    OF_SKILL,
    PREF_LABEL,
    PREFERS_SKILL,
    REQUIRES_SKILL,
    ROLE_CLASS,
    SKILL_CLASS,
    TYPE,
    integer,
    kg,
    value,
)

GRAPH = ox.NamedNode(COMPANY_SKILLS_GRAPH)
COMPANY, REQUIRED_ROLES, PREFERRED_ROLES = kg("company"), kg("requiredRoles"), kg("preferredRoles")
HIRED_ROLES, KEPT_LABEL = kg("hiredRoles"), kg("keptLabel")

#: Per company, per skill: (roles requiring it, roles preferring it without requiring it).
Counts = dict[str, dict[str, list[int]]]


class _Levels:
    """The skills each role requires, and prefers without requiring them (None for what is no ``kg:Role``), read
    once a role."""

    def __init__(self, db: ox.Store) -> None:
        self._db = db
        self._found: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {}

    def __call__(self, role: str) -> tuple[frozenset[str], frozenset[str]] | None:
        if role not in self._found:
            node = ox.NamedNode(role)
            if next(iter(self._db.quads_for_pattern(node, TYPE, ROLE_CLASS, None)), None) is None:
                self._found[role] = None
            else:
                required = frozenset(value(q.object) for q in self._db.quads_for_pattern(node, REQUIRES_SKILL, None,
                                                                                         None))
                preferred = frozenset(value(q.object) for q in self._db.quads_for_pattern(node, PREFERS_SKILL, None,
                                                                                          None))
                self._found[role] = (required, preferred - required)
        return self._found[role]


def _hired(db: ox.Store, companies: Iterable[str] | None) -> dict[str, set[str]]:
    """The roles each company hires (every company that hires one, or ``companies`` only)."""
    hires = (db.quads_for_pattern(None, HIRES, None, None) if companies is None else
             (q for company in sorted(set(companies)) for q in db.quads_for_pattern(ox.NamedNode(company), HIRES,
                                                                                    None, None)))
    roles: dict[str, set[str]] = defaultdict(set)
    for quad in hires:
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            roles[quad.subject.value].add(quad.object.value)
    return roles


def counts(db: ox.Store, companies: Iterable[str] | None = None, levels: _Levels | None = None) -> Counts:
    """The roles' side of every company that hires a role (or of ``companies`` only); ``levels``: the roles' skills
    as read so far (shared with :func:`concept_quads`, which reads the same roles)."""
    levels = levels or _Levels(db)
    out: Counts = {}
    for company, hired in _hired(db, companies).items():
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for role in hired:
            required, preferred = levels(role) or (frozenset(), frozenset())
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


def _typed(db: ox.Store, cls: ox.NamedNode, nodes: Iterable[str] | None) -> list[str]:
    """The IRIs of every node of ``cls`` (or of those among ``nodes``), sorted."""
    if nodes is None:
        return sorted({q.subject.value for q in db.quads_for_pattern(None, TYPE, cls, None)
                       if isinstance(q.subject, ox.NamedNode)})
    return sorted(n for n in set(nodes) if next(iter(db.quads_for_pattern(ox.NamedNode(n), TYPE, cls, None)), None))


def concept_quads(db: ox.Store, companies: Iterable[str] | None = None, skills: Iterable[str] | None = None,
                  levels: _Levels | None = None) -> Iterator[ox.Quad]:
    """The number of roles each company hires and the English or untagged labels of each company and skill (of
    every ``kg:Company`` and ``kg:Skill``, or of those among ``companies`` and ``skills``)."""
    typed_companies = _typed(db, COMPANY_CLASS, companies)
    levels, hired = levels or _Levels(db), _hired(db, typed_companies if companies is not None else None)
    for company in typed_companies:
        roles = sum(1 for role in hired.get(company, ()) if levels(role) is not None)
        yield ox.Quad(ox.NamedNode(company), HIRED_ROLES, integer(roles), GRAPH)
    concepts = {*typed_companies, *_typed(db, SKILL_CLASS, skills)}
    labels = (db.quads_for_pattern(None, PREF_LABEL, None, None) if companies is None and skills is None else
              (q for concept in sorted(concepts) for q in db.quads_for_pattern(ox.NamedNode(concept), PREF_LABEL,
                                                                               None, None)))
    for quad in labels:  # every label of the store in one pass when all are copied (a look-up a concept: 50 us)
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value in concepts and \
                isinstance(quad.object, ox.Literal) and is_english(quad.object):
            yield ox.Quad(quad.subject, KEPT_LABEL, quad.object, GRAPH)


def kept_quads(db: ox.Store) -> set[ox.Quad]:
    """Everything this module keeps, counted whole (what :func:`refresh` writes)."""
    levels = _Levels(db)
    return {*quads(counts(db, levels=levels)), *concept_quads(db, levels=levels)}


def refresh(db: ox.Store) -> int:
    """Count the roles' side of every company again and copy every label again; the number of rows."""
    levels = _Levels(db)
    found = counts(db, levels=levels)
    db.remove_graph(GRAPH)
    db.bulk_extend(sorted({*quads(found), *concept_quads(db, levels=levels)}, key=str))
    return sum(len(skills) for skills in found.values())


def update(db: ox.Store, hires: Iterable[tuple[str, str]], roles: Iterable[str], companies: Iterable[str] = (),
           skills: Iterable[str] = ()) -> int:
    """Count again the rows of ``companies`` (new postings'), of the companies of ``hires`` (company, role) and of
    every company that hires one of ``roles`` (whose links to skills changed), and copy again the labels of these
    companies and of ``skills``; the number of quads written or removed."""
    counted = {company for company, _ in hires} | set(companies)
    for role in set(roles):
        counted |= {value(q.subject) for q in db.quads_for_pattern(None, HIRES, ox.NamedNode(role), None)
                    if isinstance(q.subject, ox.NamedNode)}
    skills = set(skills)
    old: set[ox.Quad] = set()
    for company in counted:
        for row in db.quads_for_pattern(None, COMPANY, ox.NamedNode(company), GRAPH):
            old.update(db.quads_for_pattern(row.subject, None, None, GRAPH))
    for concept in counted | skills:
        for predicate in (HIRED_ROLES, KEPT_LABEL):
            old.update(db.quads_for_pattern(ox.NamedNode(concept), predicate, None, GRAPH))
    levels = _Levels(db)
    new = ({*quads(counts(db, counted, levels)), *concept_quads(db, counted, skills, levels)} if counted or skills
           else set())
    for quad in old - new:
        db.remove(quad)
    db.extend(sorted(new - old, key=str))
    return len(old ^ new)
