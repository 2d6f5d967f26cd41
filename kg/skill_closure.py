"""Each skill with every broader skill above it, kept with the data in the summaries graphs.

``skill-broader`` walked ``skos:broader`` up from every skill with a broader one at query time: 0.7 s of CPU for
kg's 1,190 rows on default + ESCO + O*NET, where the walk goes through ESCO's whole skill hierarchy, and 8 s for
ESCO's 83,521. kg keeps the pairs instead, derived when the data changes, in the summaries graph of each vocabulary
the skill is in (``kg:vocabulary`` of its lookup entries: ``graph/summaries/kg``, ``.../esco``, ``.../onet``)::

    esco-skill:0435fe96...  kg:broaderSkill isced-f:07, isced-f:073 .

The pairs are the walk's: a skill (typed ``kg:Skill``) with a broader concept, and every concept at one or more
``skos:broader`` steps above it that is a skill too (the steps between may be concepts of any kind). The
hierarchy of one vocabulary may run into another's (kg's skills link up through ESCO's), so the pairs of every
vocabulary are derived again whenever any of them is (:func:`pairs` at :func:`kg.summaries.refresh`, and
:func:`kg.summaries.refresh_broader` after a taxonomy is dropped); an ingest, which adds no ``skos:broader`` link,
derives again only the pairs of the skills it asks for and of those below them (:func:`changes`), where one of
them is in a hierarchy.
``queries/internal/kept-skill-broader.rq`` reads them (kg's own store, when current: :mod:`kg.graph_sizes`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from kg.namespaces import SKOS, SUMMARY_GRAPH, VOCABULARIES
from kg.terms import SKILL_CLASS, TYPE, Term, kg, value

BROADER_SKILL = kg("broaderSkill")
_BROADER = ox.NamedNode(SKOS + "broader")
_VOCABULARY = kg("vocabulary")
_GRAPHS = {vocabulary: ox.NamedNode(f"{SUMMARY_GRAPH}/{vocabulary}") for vocabulary in VOCABULARIES}


def pairs(db: ox.Store, skills: Iterable[ox.NamedNode] | None = None) -> set[ox.Quad]:
    """The kept pairs of every skill of the store, or of ``skills`` only: one quad per vocabulary of the skill."""
    above: dict[Term, set[Term]] = defaultdict(set)
    if skills is None:
        for quad in db.quads_for_pattern(None, _BROADER, None, None):
            above[quad.subject].add(quad.object)
        starts = sorted((node for node in above if isinstance(node, ox.NamedNode) and _is_skill(db, node)),
                        key=lambda node: node.value)
    else:
        starts = sorted(set(skills), key=lambda node: node.value)
    out: set[ox.Quad] = set()
    skill_cache: dict[Term, bool] = {}
    for skill in starts:
        graphs = _graphs(db, skill)
        if not graphs or (skills is not None and not _is_skill(db, skill)):
            continue
        for broader in _above(db, skill, above, skills is not None):
            if broader not in skill_cache:
                skill_cache[broader] = isinstance(broader, ox.NamedNode) and _is_skill(db, broader)
            if skill_cache[broader]:
                out.update(ox.Quad(skill, BROADER_SKILL, broader, graph) for graph in graphs)
    return out


def changes(db: ox.Store, skills: Iterable[str]) -> tuple[set[ox.Quad], set[ox.Quad]]:
    """(kept, derived again) pairs of these skills and of every skill below them, whose links or vocabularies a write
    such as an ingest may have changed: nothing for skills in no hierarchy."""
    nodes = {ox.NamedNode(skill) for skill in skills}
    linked = {node for node in nodes if _has_link(db, node)}
    if not linked:
        return set(), set()  # in no hierarchy: no pair starts or ends at them
    below = _below(db, linked)
    old = {q for node in below for q in db.quads_for_pattern(node, BROADER_SKILL, None, None) if _kept(q)}
    return old, pairs(db, below)


def kept(db: ox.Store, graphs: Iterable[ox.NamedNode] | None = None) -> set[ox.Quad]:
    """The pairs the store keeps, in every summaries graph of a vocabulary or in ``graphs``."""
    return {q for graph in (_GRAPHS.values() if graphs is None else graphs)
            for q in db.quads_for_pattern(None, BROADER_SKILL, None, graph)}


def _kept(quad: ox.Quad) -> bool:
    return quad.graph_name in _GRAPHS.values()


def _is_skill(db: ox.Store, node: ox.NamedNode) -> bool:
    return next(iter(db.quads_for_pattern(node, TYPE, SKILL_CLASS, None)), None) is not None


def _graphs(db: ox.Store, skill: ox.NamedNode) -> list[ox.NamedNode]:
    """The summaries graphs of the vocabularies the skill is in."""
    return [_GRAPHS[v] for v in sorted({value(q.object) for q in db.quads_for_pattern(skill, _VOCABULARY, None, None)})
            if v in _GRAPHS]


def _above(db: ox.Store, skill: Term, above: dict[Term, set[Term]], read: bool) -> set[Term]:
    """Every concept one or more ``skos:broader`` steps above ``skill`` (``read``: links read from the store as
    they are needed, into ``above``; else ``above`` holds every link)."""
    seen: set[Term] = set()
    todo = [skill]
    while todo:
        node = todo.pop()
        if read and node not in above and not isinstance(node, ox.Literal):
            above[node] = {q.object for q in db.quads_for_pattern(node, _BROADER, None, None)}
        for parent in above.get(node, ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _below(db: ox.Store, nodes: set[ox.NamedNode]) -> set[ox.NamedNode]:
    """These nodes and every named node one or more ``skos:broader`` steps below them."""
    seen = set(nodes)
    todo = list(nodes)
    while todo:
        for quad in db.quads_for_pattern(None, _BROADER, todo.pop(), None):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject not in seen:
                seen.add(quad.subject)
                todo.append(quad.subject)
    return seen


def _has_link(db: ox.Store, node: ox.NamedNode) -> bool:
    """Whether a ``skos:broader`` link starts or ends at ``node``."""
    return (next(iter(db.quads_for_pattern(node, _BROADER, None, None)), None) is not None
            or next(iter(db.quads_for_pattern(None, _BROADER, node, None)), None) is not None)
