"""The skill mentions of each role's postings, kept with the data in the summaries graphs.

``report-role-levels`` counted, for every role, the skills every one of its
postings requires and prefers: on 100,000 postings that took over 30 s at query
time. :mod:`kg.summaries` keeps the two sums instead, derived at every write, in
the summaries graph of the role's vocabulary, for each role that has postings::

    role:data-scientist kg:requiredMentions 950 ; kg:preferredMentions 310 .

A skill both required and preferred by a posting counts as required. Postings
added by an ingest only add to the sums (:class:`Added` sums what they add, as
they are stored); a role without kept sums (a store an older kg wrote) has its
postings counted one by one. Roles without postings (every imported occupation)
cost nothing and keep nothing: the query reads 0.

The same query counted the skills each role requires, and prefers without
requiring, at query time (13 s of CPU for 30,000 roles on the graph ten times
ESCO's size); every role that asks for skills keeps them too
(:func:`skill_count_quads`), counted again for the roles whose links a write
changed (a role without them asks for none: the query reads 0)::

    role:data-scientist kg:requiredSkills 31 ; kg:preferredSkills 12 .
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import queries
from kg.namespaces import VOCABULARIES
from kg.resources import queries_dir
from kg.terms import FOR_ROLE, JOB_POSTING_CLASS, PREFERS_SKILL, REQUIRES_SKILL, ROLE_CLASS, TYPE, integer, kg, value

if TYPE_CHECKING:
    from kg.derive import PostingFacts

#: The kept sums, in the order (required, preferred).
MENTIONS = (kg("requiredMentions"), kg("preferredMentions"))
_LEVELS = ("required", "preferred")
#: The kept numbers of skills, in the order (required, preferred and not required).
SKILLS = (kg("requiredSkills"), kg("preferredSkills"))

#: The summaries graph a role's sums go to (its vocabulary's).
Graphs = Callable[[str], ox.NamedNode]


@dataclass
class Added:
    """What new postings add to the sums of their roles: (required, preferred) per role; and the (company, role)
    of each, and the companies of all, whose roles' side and labels :mod:`kg.company_skills` counts again."""

    mentions: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    hires: set[tuple[str, str]] = field(default_factory=set)
    companies: set[str] = field(default_factory=set)

    def add(self, facts: PostingFacts) -> None:
        """Count one new posting."""
        if facts.company:
            self.companies.add(facts.company)
        if facts.role and facts.company:
            self.hires.add((facts.company, facts.role))
        if facts.role:
            self.mentions[facts.role][0] += len(facts.required)
            self.mentions[facts.role][1] += len(facts.preferred - facts.required)


def mention_quads(db: ox.Store, graphs: Graphs, vocabularies: Iterable[str],
                  keep: Callable[[str], bool]) -> list[ox.Quad]:
    """The sums of every role of these vocabularies with postings that ``keep`` says to keep (by its IRI),
    counted by one query per vocabulary (imported occupations have no postings: theirs costs next to nothing)."""
    query = queries.load_file(Path(queries_dir()) / "internal" / "role-mentions.rq")
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for vocabulary in sorted(set(vocabularies)):
        result = queries.run(db, query, queries.Binding({"vocabulary": ox.Literal(vocabulary)}))
        assert isinstance(result, ox.QuerySolutions)
        for row in result:
            _, role, level, mentions = (value(t) for t in row)
            sums[role][_LEVELS.index(level)] = int(mentions)
    return [quad for role in sorted(sums) if keep(role)
            for quad in _quads(ox.NamedNode(role), sums[role], graphs(role))]


def _quads(node: ox.NamedNode, sums: Iterable[int], graph: ox.NamedNode) -> list[ox.Quad]:
    return [ox.Quad(node, predicate, integer(n), graph) for predicate, n in zip(MENTIONS, sums, strict=True)]


def _is(db: ox.Store, node: ox.NamedNode, cls: ox.NamedNode) -> bool:
    return next(iter(db.quads_for_pattern(node, TYPE, cls, None)), None) is not None


def _counted(db: ox.Store, role: ox.NamedNode) -> list[int]:
    """The sums of one role, its postings counted one by one."""
    sums = [0, 0]
    for posting in {q.subject for q in db.quads_for_pattern(None, FOR_ROLE, role, None)}:
        if isinstance(posting, ox.NamedNode) and _is(db, posting, JOB_POSTING_CLASS):
            required = {value(q.object) for q in db.quads_for_pattern(posting, REQUIRES_SKILL, None, None)}
            preferred = {value(q.object) for q in db.quads_for_pattern(posting, PREFERS_SKILL, None, None)}
            sums[0] += len(required)
            sums[1] += len(preferred - required)
    return sums


def refresh(db: ox.Store, added: Added, graphs: Graphs) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(old, new) sums of the roles new postings are for: the kept ones plus ``added``, or counted one by one
    where the store keeps not exactly one of each; every role's, counted by one query, where the store keeps
    none (an older kg wrote it)."""
    old: set[ox.Quad] = set()
    new: set[ox.Quad] = set()
    if next(iter(db.quads_for_pattern(None, MENTIONS[0], None, None)), None) is None:
        return old, set(mention_quads(db, graphs, VOCABULARIES, lambda role: True))
    for role in sorted(added.mentions):
        node = ox.NamedNode(role)
        kept = [q for predicate in MENTIONS for q in db.quads_for_pattern(node, predicate, None, graphs(role))]
        old.update(kept)
        if not _is(db, node, ROLE_CLASS):
            continue
        by_predicate = {q.predicate: int(value(q.object)) for q in kept}
        if len(kept) == len(MENTIONS) == len(by_predicate):
            sums = [by_predicate[p] + plus for p, plus in zip(MENTIONS, added.mentions[role], strict=True)]
        else:
            sums = _counted(db, node)
        new.update(_quads(node, sums, graphs(role)))
    return old, new



def skill_count_quads(db: ox.Store, graphs: Graphs, keep: Callable[[str], bool]) -> list[ox.Quad]:
    """How many skills each role that ``keep`` says to keep (by its IRI) requires, and prefers without requiring
    them, counted by one query (a role that asks for none has no row: :func:`refresh_skill_counts` gives it 0 and 0)."""
    query = queries.load_file(Path(queries_dir()) / "internal" / "role-skill-counts.rq")
    result = queries.run(db, query, queries.Binding({}))
    assert isinstance(result, ox.QuerySolutions)
    out: list[ox.Quad] = []
    for role, required, skills in result:
        if isinstance(role, ox.NamedNode) and keep(role.value):
            out += _skill_quads(role, int(value(required)), int(value(skills)) - int(value(required)), graphs)
    return out


def refresh_skill_counts(db: ox.Store, roles: Iterable[str], graphs: Graphs) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(old, new) numbers of skills of these roles (whose links a write changed), counted one by one."""
    old: set[ox.Quad] = set()
    new: set[ox.Quad] = set()
    for node in (ox.NamedNode(role) for role in sorted(set(roles))):
        old |= {q for predicate in SKILLS for q in db.quads_for_pattern(node, predicate, None, graphs(node.value))}
        if _is(db, node, ROLE_CLASS):
            required = {q.object for q in db.quads_for_pattern(node, REQUIRES_SKILL, None, None)}
            preferred = {q.object for q in db.quads_for_pattern(node, PREFERS_SKILL, None, None)} - required
            if required or preferred:
                new |= set(_skill_quads(node, len(required), len(preferred), graphs))
    return old, new


def _skill_quads(role: ox.NamedNode, required: int, preferred: int, graphs: Graphs) -> list[ox.Quad]:
    graph = graphs(role.value)
    return [ox.Quad(role, predicate, integer(n), graph)
            for predicate, n in zip(SKILLS, (required, preferred), strict=True)]
