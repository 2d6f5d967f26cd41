"""What the postings show about roles and companies, derived from every posting in a store.

- ``kg:SkillDemand`` records: for each (role, skill), how many of the role's
  postings ask for the skill, the share, and the majority level — the
  evidence behind a requirement, like ESCO's essential/optional or O*NET's
  importance.
- Role requirements: a skill that at least ``MIN_POSTINGS`` postings and
  ``MIN_SHARE`` of a role's postings ask for, and that the role's curated
  profile does not list, becomes ``kg:requiresSkill`` or ``kg:prefersSkill``
  of the role (by majority). Evidence adds to the curated profiles and never
  contradicts them; where the postings' majority level differs from the
  curated one, the demand record shows it.
- ``kg:hires``: a company that posted a job for a role hires that role.

The result goes into its own named graph, recomputed after every build and
ingest, so it always reflects all the postings in the store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import pyoxigraph as ox

from kg.namespaces import DEMAND, DERIVED_GRAPH, local_name
from kg.terms import TYPE, decimal, integer, kg, value

MIN_POSTINGS = 3
MIN_SHARE = Decimal("0.25")

_POSTING = kg("JobPosting")
_ROLE = kg("Role")
_REQUIRES = kg("requiresSkill")
_PREFERS = kg("prefersSkill")
_FOR_ROLE = kg("forRole")
_POSTED_BY = kg("postedBy")
_HIRES = kg("hires")
_LEVEL_NODES = {"required": kg("Required"), "preferred": kg("Preferred")}


@dataclass(frozen=True)
class Demand:
    """How many of a role's postings ask for a skill, their share, and the majority level."""

    role: str
    skill: str
    count: int
    total: int
    share: Decimal
    level: str


@dataclass(frozen=True)
class PostingFacts:
    """The facts of one stored posting that derivation needs."""

    iri: str
    role: str | None
    company: str | None
    required: frozenset[str]
    preferred: frozenset[str]


def _objects(db: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return sorted({value(q.object) for q in db.quads_for_pattern(subject, predicate, None, None)})


def stored_postings(db: ox.Store) -> list[PostingFacts]:
    """Every ``kg:JobPosting`` in the store (all graphs), sorted by IRI."""
    iris = sorted({q.subject.value for q in db.quads_for_pattern(None, TYPE, _POSTING, None)
                   if isinstance(q.subject, ox.NamedNode)})
    facts = []
    for iri in iris:
        node = ox.NamedNode(iri)
        roles = _objects(db, node, _FOR_ROLE)
        companies = _objects(db, node, _POSTED_BY)
        required = frozenset(_objects(db, node, _REQUIRES))
        facts.append(PostingFacts(iri, roles[0] if roles else None, companies[0] if companies else None,
                                  required, frozenset(_objects(db, node, _PREFERS)) - required))
    return facts


def demand(postings: Iterable[PostingFacts]) -> list[Demand]:
    """The demand of every (role, skill) pair, sorted by role then skill; level ties go to required."""
    totals: Counter[str] = Counter()
    levels: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for posting in postings:
        if posting.role is None:
            continue
        totals[posting.role] += 1
        for skill in posting.required:
            levels[(posting.role, skill)]["required"] += 1
        for skill in posting.preferred:
            levels[(posting.role, skill)]["preferred"] += 1
    rows = []
    for (role, skill), counts in sorted(levels.items()):
        count = counts["required"] + counts["preferred"]
        level = "required" if counts["required"] >= counts["preferred"] else "preferred"
        share = (Decimal(count) / Decimal(totals[role])).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
        rows.append(Demand(role, skill, count, totals[role], share, level))
    return rows


def derived_quads(db: ox.Store, graph: str) -> list[ox.Quad]:
    """Demand records, evidence-based role requirements and hires, in ``graph``, sorted."""
    g = ox.NamedNode(graph)
    postings = stored_postings(db)
    roles = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, _ROLE, None)}
    quads: set[ox.Quad] = set()
    required: dict[str, set[str]] = defaultdict(set)
    preferred: dict[str, set[str]] = defaultdict(set)
    for row in demand(postings):
        node = ox.NamedNode(f"{DEMAND}{local_name(row.role)}--{local_name(row.skill)}")
        quads.update([
            ox.Quad(node, TYPE, kg("SkillDemand"), g),
            ox.Quad(node, kg("role"), ox.NamedNode(row.role), g),
            ox.Quad(node, kg("skill"), ox.NamedNode(row.skill), g),
            ox.Quad(node, kg("postingCount"), integer(row.count), g),
            ox.Quad(node, kg("share"), decimal(row.share), g),
            ox.Quad(node, kg("level"), _LEVEL_NODES[row.level], g),
        ])
        if row.count >= MIN_POSTINGS and row.share >= MIN_SHARE and row.role in roles:
            (required if row.level == "required" else preferred)[row.role].add(row.skill)
    linked = {(value(q.subject), value(q.object)) for p in (_REQUIRES, _PREFERS)
              for q in db.quads_for_pattern(None, p, None, None) if value(q.subject) in roles}
    for links, predicate in ((required, _REQUIRES), (preferred, _PREFERS)):
        quads.update(ox.Quad(ox.NamedNode(role), predicate, ox.NamedNode(skill), g)
                     for role, skills in links.items() for skill in skills if (role, skill) not in linked)
    hires = {(value(q.subject), value(q.object)) for q in db.quads_for_pattern(None, _HIRES, None, None)}
    for posting in postings:
        if posting.company and posting.role and (posting.company, posting.role) not in hires:
            quads.add(ox.Quad(ox.NamedNode(posting.company), _HIRES, ox.NamedNode(posting.role), g))
    return sorted(quads, key=str)


def refresh(db: ox.Store) -> int:
    """Recompute the derived graph of a writable store from all its postings; the number of quads."""
    graph = ox.NamedNode(DERIVED_GRAPH)
    db.remove_graph(graph)
    quads = derived_quads(db, DERIVED_GRAPH)
    db.extend(quads)
    return len(quads)
