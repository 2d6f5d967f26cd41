"""What the postings show about roles and companies, derived from every posting in a store.

- ``kg:SkillDemand`` records: for each (role, skill), how many of the role's
  postings ask for the skill (``kg:postingCount``, of which ``kg:requiredCount``
  as a requirement), the share, and the majority level — the evidence behind a
  requirement, like ESCO's essential/optional or O*NET's importance. Each role
  with postings has its number of postings (``kg:postingCount`` on the role).
- Role requirements: a skill that at least ``MIN_POSTINGS`` postings and
  ``MIN_SHARE`` of a role's postings ask for, and that the role's curated
  profile does not list, becomes ``kg:requiresSkill`` or ``kg:prefersSkill``
  of the role (by majority). Evidence adds to the curated profiles and never
  contradicts them; where the postings' majority level differs from the
  curated one, the demand record shows it.
- ``kg:hires``: a company that posted a job for a role hires that role.
- Over time and place: per month, how many dated postings there are and how many
  ask for each skill (``kg:MonthlyPostings``, ``kg:MonthlyDemand``); per place, how
  many postings it has (``kg:postingCount`` on the place) and how many ask for each
  skill (``kg:PlaceDemand``). The trend and place queries read these.

The result lives in its own named graph. ``refresh`` recomputes it from all the
postings in the store (after a build); ``update`` adds the counts of new postings
to the stored ones and rewrites only the records of the roles they touch, so
adding 1,000 postings to a store of 100,000 costs in proportion to the 1,000.
Both give the same graph. The counts add up across any split of the postings
(:class:`DemandCounts`), which is what lets Dask workers count partitions apart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import posting_tallies
from kg.namespaces import DEMAND, DERIVED_GRAPH, PAIRS_GRAPH, PLACE, XSD, local_name
from kg.terms import (
    DATE_POSTED,
    FOR_ROLE,
    HIRES,
    JOB_LOCATION,
    JOB_POSTING_CLASS,
    LEVEL,
    LEVELS,
    OF_ROLE,
    OF_SKILL,
    POSTED_BY,
    POSTING_COUNT,
    PREFERS_SKILL,
    REQUIRES_SKILL,
    ROLE_CLASS,
    TYPE,
    WORKPLACE,
    WORKPLACES,
    decimal,
    integer,
    kg,
    value,
)

if TYPE_CHECKING:
    from kg.source import GraphSource

MIN_POSTINGS = 3
MIN_SHARE = Decimal("0.25")

_DEMAND = kg("SkillDemand")
_REQUIRED_COUNT = kg("requiredCount")
_MONTH = kg("month")
_PLACE = kg("place")
_MONTHLY_POSTINGS = kg("MonthlyPostings")
_MONTHLY_DEMAND = kg("MonthlyDemand")
_PLACE_DEMAND = kg("PlaceDemand")
_YEAR_MONTH = ox.NamedNode(XSD + "gYearMonth")


@dataclass(frozen=True)
class Demand:
    """How many of a role's postings ask for a skill, their share, and the majority level."""

    role: str
    skill: str
    count: int
    total: int
    share: Decimal
    level: str
    required: int = 0


@dataclass(frozen=True)
class PostingFacts:
    """The facts of one stored posting that derivation needs."""

    iri: str
    role: str | None
    company: str | None
    required: frozenset[str]
    preferred: frozenset[str]
    month: str | None = None
    place: str | None = None
    pay: posting_tallies.Pay | None = None


@dataclass
class DemandCounts:
    """Postings per role, postings per (role, skill) and how many of them require it, and (company, role) pairs.

    Counts of two sets of postings add up (:meth:`merge`), in any order.
    """

    totals: Counter[str] = field(default_factory=Counter)
    asked: Counter[tuple[str, str]] = field(default_factory=Counter)
    required: Counter[tuple[str, str]] = field(default_factory=Counter)
    hires: set[tuple[str, str]] = field(default_factory=set)
    months: Counter[str] = field(default_factory=Counter)
    monthly: Counter[tuple[str, str]] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    placed: Counter[tuple[str, str]] = field(default_factory=Counter)
    tallies: posting_tallies.Tallies = field(default_factory=posting_tallies.Tallies)

    def add(self, posting: PostingFacts) -> None:
        """Count one posting."""
        skills = posting.required | posting.preferred
        if posting.month:
            self.months[posting.month] += 1
            self.monthly.update((posting.month, skill) for skill in skills)
        if posting.place:
            self.places[posting.place] += 1
            self.placed.update((posting.place, skill) for skill in skills)
        self.tallies.add(posting.role, posting.company, skills, posting.pay, posting.required)
        if posting.role is None:
            return
        role = posting.role
        self.totals[role] += 1
        for skill in posting.required:
            self.asked[(role, skill)] += 1
            self.required[(role, skill)] += 1
        for skill in posting.preferred - posting.required:
            self.asked[(role, skill)] += 1
        if posting.company:
            self.hires.add((posting.company, role))

    def merge(self, other: DemandCounts) -> DemandCounts:
        """Add another set of counts to these; returns self."""
        self.totals.update(other.totals)
        self.asked.update(other.asked)
        self.required.update(other.required)
        self.hires |= other.hires
        self.months.update(other.months)
        self.monthly.update(other.monthly)
        self.places.update(other.places)
        self.placed.update(other.placed)
        self.tallies.merge(other.tallies)
        return self

    @classmethod
    def of(cls, postings: Iterable[PostingFacts]) -> DemandCounts:
        counts = cls()
        for posting in postings:
            counts.add(posting)
        return counts

    def rows(self) -> list[Demand]:
        """The demand of every (role, skill) pair, sorted by role then skill; level ties go to required."""
        rows = []
        for (role, skill), count in sorted(self.asked.items()):
            required = self.required[(role, skill)]
            level = "required" if required >= count - required else "preferred"
            share = (Decimal(count) / Decimal(self.totals[role])).quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN)
            rows.append(Demand(role, skill, count, self.totals[role], share, level, required))
        return rows


def _objects(db: GraphSource, subject: ox.NamedNode, predicate: ox.NamedNode) -> list[str]:
    return sorted({value(q.object) for q in db.quads_for_pattern(subject, predicate, None, None)})


def posting_facts(db: GraphSource, iri: str, *, with_pay: bool = True) -> PostingFacts:
    """The derivation facts of one stored posting (``with_pay``: its stated pay too, for the salary tallies)."""
    node = ox.NamedNode(iri)
    roles = _objects(db, node, FOR_ROLE)
    companies = _objects(db, node, POSTED_BY)
    required = frozenset(_objects(db, node, REQUIRES_SKILL))
    dates = _objects(db, node, DATE_POSTED)
    places = _objects(db, node, JOB_LOCATION)
    return PostingFacts(iri, roles[0] if roles else None, companies[0] if companies else None,
                        required, frozenset(_objects(db, node, PREFERS_SKILL)) - required,
                        dates[0][:7] if dates else None, places[0] if places else None,
                        posting_tallies.pay_of(db, node) if with_pay else None)


def filtered_counts(db: GraphSource, *, since: str | None = None, places: Iterable[str] | None = None,
                    workplace: str | None = None) -> DemandCounts:
    """The demand counts of the stored postings posted on or after ``since`` (an ISO date), at one of
    ``places`` (place IRIs) and with ``workplace`` (``remote``, ``hybrid``, ``onsite``); ``None`` does not filter.

    Starts from the narrowest filter's index (the places, the workplace, else the dated postings), so a
    filter on one city reads that city's postings only.
    """
    candidates: set[str] | None = None
    if places is not None:
        candidates = {value(q.subject) for place in places
                      for q in db.quads_for_pattern(None, JOB_LOCATION, ox.NamedNode(place), None)}
    if workplace is not None:
        found = {value(q.subject) for q in db.quads_for_pattern(None, WORKPLACE, WORKPLACES[workplace], None)}
        candidates = found if candidates is None else candidates & found
    if since is not None:
        if candidates is None:
            candidates = {value(q.subject) for q in db.quads_for_pattern(None, DATE_POSTED, None, None)
                          if value(q.object) >= since}
        else:
            candidates = {iri for iri in candidates
                          if any(value(q.object) >= since
                                 for q in db.quads_for_pattern(ox.NamedNode(iri), DATE_POSTED, None, None))}
    if candidates is None:
        return DemandCounts.of(stored_postings(db))
    return DemandCounts.of(posting_facts(db, iri, with_pay=False) for iri in sorted(candidates))


def stored_postings(db: GraphSource) -> list[PostingFacts]:
    """Every ``kg:JobPosting`` in the store (all graphs), sorted by IRI."""
    iris = sorted({value(q.subject) for q in db.quads_for_pattern(None, TYPE, JOB_POSTING_CLASS, None)
                   if isinstance(q.subject, ox.NamedNode)})
    return [posting_facts(db, iri) for iri in iris]


def demand(postings: Iterable[PostingFacts]) -> list[Demand]:
    """The demand of every (role, skill) pair, sorted by role then skill; level ties go to required."""
    return DemandCounts.of(postings).rows()


def _demand_node(role: str, skill: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEMAND}{local_name(role)}--{local_name(skill)}")


def _role_quads(db: ox.Store, counts: DemandCounts, roles: set[str], g: ox.NamedNode) -> set[ox.Quad]:
    """Totals, demand records and evidence-based requirements of the roles in ``counts``."""
    quads: set[ox.Quad] = set()
    for role, total in counts.totals.items():
        quads.add(ox.Quad(ox.NamedNode(role), POSTING_COUNT, integer(total), g))
    for row in counts.rows():
        node = _demand_node(row.role, row.skill)
        quads.update([
            ox.Quad(node, TYPE, _DEMAND, g),
            ox.Quad(node, OF_ROLE, ox.NamedNode(row.role), g),
            ox.Quad(node, OF_SKILL, ox.NamedNode(row.skill), g),
            ox.Quad(node, POSTING_COUNT, integer(row.count), g),
            ox.Quad(node, _REQUIRED_COUNT, integer(row.required), g),
            ox.Quad(node, kg("share"), decimal(row.share), g),
            ox.Quad(node, LEVEL, LEVELS[row.level], g),
        ])
        if row.count >= MIN_POSTINGS and row.share >= MIN_SHARE and row.role in roles \
                and not _linked(db, row.role, row.skill):
            quads.add(ox.Quad(ox.NamedNode(row.role), REQUIRES_SKILL if row.level == "required" else PREFERS_SKILL,
                              ox.NamedNode(row.skill), g))
    return quads


def _month_node(month: str, skill: str | None = None) -> ox.NamedNode:
    return ox.NamedNode(f"{DEMAND}month--{month}" + (f"--{local_name(skill)}" if skill else ""))


def _place_node(place: str, skill: str) -> ox.NamedNode:
    return ox.NamedNode(f"{DEMAND}place--{place.removeprefix(PLACE)}--{local_name(skill)}")


def _tally_quads(counts: DemandCounts, g: ox.NamedNode) -> set[ox.Quad]:
    """The month and place tallies of ``counts`` as quads."""
    quads: set[ox.Quad] = set()
    for month, total in counts.months.items():
        node = _month_node(month)
        quads.update([ox.Quad(node, TYPE, _MONTHLY_POSTINGS, g),
                      ox.Quad(node, _MONTH, ox.Literal(month, datatype=_YEAR_MONTH), g),
                      ox.Quad(node, POSTING_COUNT, integer(total), g)])
    for (month, skill), count in counts.monthly.items():
        node = _month_node(month, skill)
        quads.update([ox.Quad(node, TYPE, _MONTHLY_DEMAND, g),
                      ox.Quad(node, _MONTH, ox.Literal(month, datatype=_YEAR_MONTH), g),
                      ox.Quad(node, OF_SKILL, ox.NamedNode(skill), g),
                      ox.Quad(node, POSTING_COUNT, integer(count), g)])
    for place, total in counts.places.items():
        quads.add(ox.Quad(ox.NamedNode(place), POSTING_COUNT, integer(total), g))
    for (place, skill), count in counts.placed.items():
        node = _place_node(place, skill)
        quads.update([ox.Quad(node, TYPE, _PLACE_DEMAND, g),
                      ox.Quad(node, _PLACE, ox.NamedNode(place), g),
                      ox.Quad(node, OF_SKILL, ox.NamedNode(skill), g),
                      ox.Quad(node, POSTING_COUNT, integer(count), g)])
    return quads | posting_tallies.quads(counts.tallies, g)


def _tallies_update(db: ox.Store, new: DemandCounts, g: ox.NamedNode) -> tuple[list[ox.Quad], set[ox.Quad]]:
    """The count quads to remove and the tally quads to write for adding ``new`` to the stored tallies."""
    merged = DemandCounts()
    stale: list[ox.Quad] = []

    def stored(node: ox.NamedNode) -> int:
        found = next(db.quads_for_pattern(node, POSTING_COUNT, None, g), None)
        if found is None:
            return 0
        stale.append(found)
        return int(value(found.object))

    for month, n in new.months.items():
        merged.months[month] = n + stored(_month_node(month))
    for (month, skill), n in new.monthly.items():
        merged.monthly[(month, skill)] = n + stored(_month_node(month, skill))
    for place, n in new.places.items():
        merged.places[place] = n + stored(ox.NamedNode(place))
    for (place, skill), n in new.placed.items():
        merged.placed[(place, skill)] = n + stored(_place_node(place, skill))
    stale_tallies, tallies = posting_tallies.updated(db, new.tallies, g)
    return stale + stale_tallies, _tally_quads(merged, g) | tallies


def _linked(db: ox.Store, role: str, skill: str) -> bool:
    """Whether a graph other than the derived one links the role to the skill."""
    r, s = ox.NamedNode(role), ox.NamedNode(skill)
    return any(q.graph_name != ox.NamedNode(DERIVED_GRAPH)
               for p in (REQUIRES_SKILL, PREFERS_SKILL) for q in db.quads_for_pattern(r, p, s, None))


def _hires_quads(db: ox.Store, pairs: Iterable[tuple[str, str]], g: ox.NamedNode) -> set[ox.Quad]:
    quads = set()
    for company, role in pairs:
        c, r = ox.NamedNode(company), ox.NamedNode(role)
        if not any(q.graph_name != g for q in db.quads_for_pattern(c, HIRES, r, None)):
            quads.add(ox.Quad(c, HIRES, r, g))
    return quads


def _roles(db: ox.Store, candidates: Iterable[str]) -> set[str]:
    return {r for r in candidates if next(db.quads_for_pattern(ox.NamedNode(r), TYPE, ROLE_CLASS, None), None)}


def derived_quads(db: ox.Store, graph: str) -> list[ox.Quad]:
    """Demand records, evidence-based role requirements and hires of all postings, in ``graph``, sorted."""
    return quads_of_counts(db, DemandCounts.of(stored_postings(db)), graph)


def quads_of_counts(db: ox.Store, counts: DemandCounts, graph: str) -> list[ox.Quad]:
    """The derived quads of ``counts``, given the vocabulary and curated links in ``db``, sorted."""
    g = ox.NamedNode(graph)
    quads = _role_quads(db, counts, _roles(db, counts.totals), g)
    quads |= _hires_quads(db, counts.hires, g)
    quads |= _tally_quads(counts, g)
    return sorted(quads, key=str)


def refresh(db: ox.Store) -> int:
    """Recompute the derived graph (and its index of pairs of skills) of a writable store from all its postings;
    the number of quads in the derived graph (the index, like the lookup keys, is not counted)."""
    for graph in (DERIVED_GRAPH, PAIRS_GRAPH):
        db.remove_graph(ox.NamedNode(graph))
    quads = derived_quads(db, DERIVED_GRAPH)
    db.bulk_extend(quads)  # Oxigraph's bulk loader: 4x less CPU than a transaction on disk (125,000 quads: 1.2 s)
    return sum(1 for quad in quads if quad.graph_name == ox.NamedNode(DERIVED_GRAPH))


def _demand_records(db: ox.Store, role: ox.NamedNode, g: ox.NamedNode) -> list[ox.NamedNode | ox.BlankNode]:
    """The demand records of a role (its tallies name it with the same property)."""
    return [q.subject for q in db.quads_for_pattern(None, OF_ROLE, role, g)
            if isinstance(q.subject, (ox.NamedNode, ox.BlankNode))
            and next(db.quads_for_pattern(q.subject, TYPE, _DEMAND, g), None) is not None]


def posting_count(db: ox.Store) -> int:
    """How many ``kg:JobPosting`` type quads the store holds (an index scan, no posting read)."""
    return sum(1 for _ in db.quads_for_pattern(None, TYPE, JOB_POSTING_CLASS, None))


def refresh_if_needed(db: ox.Store, postings_before: int) -> int:
    """Derive the graph again if the number of postings changed (postings loaded with ``kg load`` or
    ``kg update`` are counted like ingested ones); the number of quads written (0 when nothing was done).

    Ask only of a store this kg derived (:func:`kg.graph_sizes.is_current`): an older kg's is derived again, all of
    it, at the end of the write (:func:`kg.graph_sizes.finish`)."""
    if posting_count(db) != postings_before:
        return refresh(db)
    return 0


def stored_counts(db: ox.Store, roles: Iterable[str]) -> DemandCounts:
    """The counts the derived graph holds for ``roles`` (hires are not read back: they only grow)."""
    g = ox.NamedNode(DERIVED_GRAPH)
    counts = DemandCounts()
    for role in roles:
        node = ox.NamedNode(role)
        for quad in db.quads_for_pattern(node, POSTING_COUNT, None, g):
            counts.totals[role] = int(value(quad.object))
        for record in _demand_records(db, node, g):
            skill = value(next(db.quads_for_pattern(record, OF_SKILL, None, g)).object)
            counts.asked[(role, skill)] = int(value(next(db.quads_for_pattern(record, POSTING_COUNT, None, g)).object))
            found = next(db.quads_for_pattern(record, _REQUIRED_COUNT, None, g), None)
            counts.required[(role, skill)] = int(value(found.object)) if found else 0
    return counts


def update(db: ox.Store, new: DemandCounts) -> int:
    """Add the counts of newly stored postings to the derived graph; the number of quads written.

    Only the roles the new postings are for are rewritten. The result is the graph :func:`refresh` would compute,
    provided this kg derived the store (:func:`kg.graph_sizes.is_current`); an older kg's is derived again whole
    at the end of the write instead (:func:`kg.graph_sizes.finish`), and needs no update.
    """
    g = ox.NamedNode(DERIVED_GRAPH)
    roles = sorted(new.totals)
    merged = stored_counts(db, roles).merge(DemandCounts(new.totals, new.asked, new.required))
    stale: list[ox.Quad] = []
    for role in roles:
        node = ox.NamedNode(role)
        stale += db.quads_for_pattern(node, POSTING_COUNT, None, g)
        for predicate in (REQUIRES_SKILL, PREFERS_SKILL):
            stale += db.quads_for_pattern(node, predicate, None, g)
        for record in _demand_records(db, node, g):
            stale += db.quads_for_pattern(record, None, None, g)
    stale_tallies, tallies = _tallies_update(db, new, g)
    for quad in stale + stale_tallies:
        db.remove(quad)
    quads = _role_quads(db, merged, _roles(db, roles), g) | _hires_quads(db, new.hires, g) | tallies
    db.extend(sorted(quads, key=str))
    return len(quads)
