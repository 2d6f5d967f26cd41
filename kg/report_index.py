"""What the report's whole-table answers count, kept with the data in the summaries graphs.

``report-role-levels`` counted, for every role, the skill mentions of all its
postings, and ``report-company-skills`` counted, for every company and skill,
the roles and postings asking for it: on 100,000 postings each took over 30 s
at query time. :mod:`kg.summaries` keeps the counts instead, derived at every
write, in the summaries graph of the role's vocabulary (the companies' in kg's
own)::

    role:data-scientist kg:requiredSkills 12 ; kg:preferredSkills 4 ;      # its skills at each level
                        kg:requiredMentions 950 ; kg:preferredMentions 310 .  # its postings' skills at each level
    [ kg:company company:acme ; kg:askedSkill skill:python ;                 # a kg:CompanySkill
      kg:requiredRoles 2 ; kg:preferredRoles 0 ; kg:requiredPostings 40 ; kg:preferredPostings 3 ]

A skill both required and preferred counts as required. Postings added by an
ingest only add to these counts (:class:`Added` sums what they add, as they are
stored); the skills of a role, and the roles a company hires, are counted again
for the roles and companies a write touched.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import ID
from kg.terms import (
    COMPANY_CLASS,
    FOR_ROLE,
    HIRES,
    JOB_POSTING_CLASS,
    POSTED_BY,
    PREFERS_SKILL,
    REQUIRES_SKILL,
    ROLE_CLASS,
    TYPE,
    integer,
    kg,
    value,
)

if TYPE_CHECKING:
    from kg.derive import PostingFacts

ROLE_LEVELS = ("requiredSkills", "preferredSkills", "requiredMentions", "preferredMentions")
COMPANY_COUNTS = ("requiredRoles", "preferredRoles", "requiredPostings", "preferredPostings")
_P = {name: kg(name) for name in (*ROLE_LEVELS, *COMPANY_COUNTS, "company", "askedSkill")}

#: The summaries graph a role's counts go to (its vocabulary's).
Graphs = Callable[[str], ox.NamedNode]


@dataclass
class Added:
    """What new postings add: skill mentions per role, postings per (company, skill), each (required, preferred)."""

    mentions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    postings: dict[tuple[str, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, facts: PostingFacts) -> None:
        """Count one new posting."""
        preferred = facts.preferred - facts.required
        if facts.role:
            self.mentions[facts.role][0] += len(facts.required)
            self.mentions[facts.role][1] += len(preferred)
        if facts.company:
            for skills, level in ((facts.required, 0), (preferred, 1)):
                for skill in skills:
                    self.postings[facts.company, skill][level] += 1


def _objects(db: ox.Store, subject: ox.NamedNode, predicate: ox.NamedNode) -> set[str]:
    return {value(q.object) for q in db.quads_for_pattern(subject, predicate, None, None)}


def _is(db: ox.Store, node: ox.NamedNode, cls: ox.NamedNode) -> bool:
    return next(iter(db.quads_for_pattern(node, TYPE, cls, None)), None) is not None


def _levels(db: ox.Store, asker: ox.NamedNode) -> tuple[set[str], set[str]]:
    """The skills ``asker`` requires, and those it prefers and does not require."""
    required = _objects(db, asker, REQUIRES_SKILL)
    return required, _objects(db, asker, PREFERS_SKILL) - required


def _postings(db: ox.Store, predicate: ox.NamedNode, node: ox.NamedNode) -> list[ox.NamedNode]:
    found = {q.subject for q in db.quads_for_pattern(None, predicate, node, None)}
    return sorted((p for p in found if isinstance(p, ox.NamedNode) and _is(db, p, JOB_POSTING_CLASS)),
                  key=lambda p: p.value)


# -- roles ---------------------------------------------------------------------------------------------------------

def role_level_quads(store: Scan, roles: Iterable[str], graphs: Graphs) -> list[ox.Quad]:
    """The four counts of each of these roles (those typed kg:Role), counted from the store's links, each kind
    read once (a lookup per role and posting costs 30 s on 100,000 postings)."""
    wanted = set(roles) & store.typed(ROLE_CLASS)
    mentions: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    postings = store.typed(JOB_POSTING_CLASS)
    for posting, role in store.pairs(FOR_ROLE):
        if role in wanted and posting in postings:
            for level, skills in enumerate(store.levels(posting)):
                mentions[role][level] += len(skills)
    out = []
    for role in sorted(wanted):
        required, preferred = store.levels(role)
        out += _role_quads(ox.NamedNode(role), (len(required), len(preferred), *mentions.get(role, [0, 0])),
                           graphs(role))
    return out


class Scan:
    """The store's links of a few kinds, each read whole once, for counting every role or company."""

    def __init__(self, db: ox.Store) -> None:
        self.db = db
        self.asks = {name: self.objects(predicate) for name, predicate in (("r", REQUIRES_SKILL), ("p", PREFERS_SKILL))}

    def pairs(self, predicate: ox.NamedNode) -> set[tuple[str, str]]:
        return {(value(q.subject), value(q.object)) for q in self.db.quads_for_pattern(None, predicate, None, None)}

    def objects(self, predicate: ox.NamedNode) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for subject, obj in self.pairs(predicate):
            found[subject].add(obj)
        return found

    def typed(self, cls: ox.NamedNode) -> set[str]:
        return {value(q.subject) for q in self.db.quads_for_pattern(None, TYPE, cls, None)}

    def levels(self, asker: str) -> tuple[set[str], set[str]]:
        required = self.asks["r"].get(asker, set())
        return required, self.asks["p"].get(asker, set()) - required


def _role_quads(node: ox.NamedNode, counts: Iterable[int], graph: ox.NamedNode) -> list[ox.Quad]:
    return [ox.Quad(node, _P[name], integer(n), graph) for name, n in zip(ROLE_LEVELS, counts, strict=True)]


def refresh_roles(db: ox.Store, roles: Iterable[str], added: Added,
                  graphs: Graphs) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(old, new) counts of the roles a write touched: their skills counted again, their postings' mentions the
    stored ones plus ``added`` (counted again where the store holds not exactly one of each)."""
    old: set[ox.Quad] = set()
    new: set[ox.Quad] = set()
    for role in sorted(set(roles) | set(added.mentions)):
        node = ox.NamedNode(role)
        stored = [q for name in ROLE_LEVELS for q in db.quads_for_pattern(node, _P[name], None, graphs(role))]
        old.update(stored)
        by_name = Counter(q.predicate.value for q in stored)
        if not _is(db, node, ROLE_CLASS):
            continue
        required, preferred = _levels(db, node)
        if any(by_name[_P[name].value] != 1 for name in ROLE_LEVELS):
            mentions = [0, 0]  # not counted before: its postings counted one by one
            for posting in _postings(db, FOR_ROLE, node):
                for level, skills in enumerate(_levels(db, posting)):
                    mentions[level] += len(skills)
        else:
            kept = {q.predicate.value: int(value(q.object)) for q in stored}
            plus = added.mentions.get(role, [0, 0])
            mentions = [kept[_P["requiredMentions"].value] + plus[0], kept[_P["preferredMentions"].value] + plus[1]]
        new.update(_role_quads(node, (len(required), len(preferred), *mentions), graphs(role)))
    return old, new


# -- companies -----------------------------------------------------------------------------------------------------

def _entry(company: str, skill: str) -> ox.NamedNode:
    return ox.NamedNode(f"{ID}company-skill/{hashlib.sha256(f'{company} {skill}'.encode()).hexdigest()[:24]}")


def _role_counts(db: ox.Store, company: ox.NamedNode) -> dict[str, list[int]]:
    """Per skill: the roles the company hires that require it, that prefer it (and do not require it)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    roles = {q.object for q in db.quads_for_pattern(company, HIRES, None, None)}
    for role in roles:
        if isinstance(role, ox.NamedNode) and _is(db, role, ROLE_CLASS):
            for level, skills in enumerate(_levels(db, role)):
                for skill in skills:
                    counts[skill][level] += 1
    return counts


def _posting_counts(db: ox.Store, company: ox.NamedNode) -> dict[str, list[int]]:
    """Per skill: the company's postings that require it, that prefer it (and do not require it)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for posting in _postings(db, POSTED_BY, company):
        for level, skills in enumerate(_levels(db, posting)):
            for skill in skills:
                counts[skill][level] += 1
    return counts


def _company_quads(company: ox.NamedNode, roles: dict[str, list[int]], postings: dict[str, list[int]],
                   graph: ox.NamedNode) -> list[ox.Quad]:
    out = []
    for skill in sorted(set(roles) | set(postings)):
        counts = [*roles.get(skill, [0, 0]), *postings.get(skill, [0, 0])]
        if not any(counts):
            continue
        entry = _entry(company.value, skill)
        out += [ox.Quad(entry, _P["company"], company, graph),
                ox.Quad(entry, _P["askedSkill"], ox.NamedNode(skill), graph)]
        out += [ox.Quad(entry, _P[name], integer(n), graph) for name, n in zip(COMPANY_COUNTS, counts, strict=True)]
    return out


def company_skill_quads(store: Scan, graph: ox.NamedNode) -> list[ox.Quad]:
    """The entry of every (company, skill) some role the company hires or some posting of it asks for, counted
    from the store's links, each kind read once."""
    companies, roles, postings = (store.typed(c) for c in (COMPANY_CLASS, ROLE_CLASS, JOB_POSTING_CLASS))
    by_roles: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    by_postings: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for counts, pairs, kept in ((by_roles, store.pairs(HIRES), roles),
                                (by_postings, {(c, p) for p, c in store.pairs(POSTED_BY)}, postings)):
        for company, asker in pairs:
            if company in companies and asker in kept:
                for level, skills in enumerate(store.levels(asker)):
                    for skill in skills:
                        counts[company][skill][level] += 1
    return [q for company in sorted(set(by_roles) | set(by_postings))
            for q in _company_quads(ox.NamedNode(company), by_roles[company], by_postings[company], graph)]


def refresh_companies(db: ox.Store, companies: Iterable[str], added: Added,
                      graph: ox.NamedNode) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(old, new) entries of the companies a write touched: the roles they hire counted again, their postings
    the stored counts plus ``added`` (counted again where an entry is not whole)."""
    touched = set(companies) | {company for company, _ in added.postings}
    old: set[ox.Quad] = set()
    new: set[ox.Quad] = set()
    for company in sorted(touched):
        node = ox.NamedNode(company)
        entries = {q.subject for q in db.quads_for_pattern(None, _P["company"], node, graph)}
        stored = [q for entry in entries for q in db.quads_for_pattern(entry, None, None, graph)]
        old.update(stored)
        if not _is(db, node, COMPANY_CLASS):
            continue
        postings = _stored_postings(stored)
        if postings is None:
            postings = _posting_counts(db, node)
        else:
            for (asker, skill), plus in added.postings.items():
                if asker == company:
                    postings[skill] = [postings[skill][0] + plus[0], postings[skill][1] + plus[1]]
        new.update(_company_quads(node, _role_counts(db, node), postings, graph))
    return old, new


def _stored_postings(stored: list[ox.Quad]) -> dict[str, list[int]] | None:
    """The posting counts per skill of a company's stored entries, or ``None`` if an entry is not whole."""
    by_entry: dict[ox.NamedNode | ox.BlankNode | ox.Triple, dict[str, str]] = defaultdict(dict)
    for quad in stored:
        if quad.predicate.value in by_entry[quad.subject]:
            return None
        by_entry[quad.subject][quad.predicate.value] = value(quad.object)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for fields in by_entry.values():
        if len(fields) != 2 + len(COMPANY_COUNTS):
            return None
        skill = fields[_P["askedSkill"].value]
        counts[skill] = [int(fields[_P["requiredPostings"].value]), int(fields[_P["preferredPostings"].value])]
    return counts
