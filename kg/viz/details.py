"""What the details panel says about a node, read off the property graph and the store.

Counts are taken on the whole graph, so a focused view still says how many
postings in all ask for a skill. Postings are ``JobPosting`` nodes linked by
``forRole``, ``postedBy``, ``requiresSkill`` and ``prefersSkill``, with
``source`` and ``line`` attributes; a graph without postings has no posting
counts, and its drawings size nodes by their links instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.terms import ALT_LABEL

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph
    from kg.source import GraphSource

ASKS = ("requiresSkill", "prefersSkill")
#: The relation of a company to the skills its own postings ask for (drawn by the company view).
ASKS_FOR = "asksFor"


@dataclass(frozen=True)
class Link:
    """The figures on one link: how many postings back it, their share, and the level they ask for."""

    postings: int = 0
    share: float | None = None
    level: str = ""
    of: int = 0


def postings_of(graph: PropertyGraph, iri: str) -> set[str]:
    """The job postings behind a node: for a role, company or skill, the postings for it, by it or asking for it."""
    kind = graph.nodes[iri].get("type")
    relations = {"Role": ("forRole",), "Company": ("postedBy",), "Skill": ASKS}.get(kind or "", ())
    if kind == "JobPosting":
        return {iri}
    return {u for u, _, rel in graph.in_edges(iri, data="relation")
            if rel in relations and graph.nodes[u].get("type") == "JobPosting"}


def posting_counts(graph: PropertyGraph, nodes: Iterable[str]) -> dict[str, int]:
    """Node → how many postings stand behind it; a domain counts the postings asking for any of its skills."""
    counts = {iri: len(postings_of(graph, iri)) for iri in nodes}
    for iri in counts:
        if graph.nodes[iri].get("type") == "Domain":
            counts[iri] = len(_domain_postings(graph, iri))
    return counts


def _domain_postings(graph: PropertyGraph, domain: str) -> set[str]:
    found: set[str] = set()
    seen = {domain}
    frontier = [domain]
    while frontier:
        current = frontier.pop()
        for child, _, rel in graph.in_edges(current, data="relation"):
            if rel == "partOfDomain":
                found |= postings_of(graph, child)
            elif rel == "broader" and child not in seen and graph.nodes[child].get("type") == "Domain":
                seen.add(child)
                frontier.append(child)
    return found


def sources(graph: PropertyGraph, nodes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Node → every ``file:line`` of the postings behind it, sorted by file and line (nodes without any left out)."""
    found = {}
    for iri in nodes:
        if graph.nodes[iri].get("type") == "Domain":
            continue
        places = sorted({s for s in (source_of(graph, p) for p in postings_of(graph, iri)) if s}, key=_source_key)
        if places:
            found[iri] = tuple(places)
    return found


def source_of(graph: PropertyGraph, posting: str) -> str:
    data = graph.nodes[posting]
    source, line = data.get("source", ""), data.get("line")
    return f"{source}:{line}" if source and line is not None else source


def _source_key(source: str) -> tuple[str, int, str]:
    path, _, line = source.rpartition(":")
    return (path, int(line), source) if line.isdigit() else (source, 0, source)


def company_asks(graph: PropertyGraph, company: str) -> dict[str, Link]:
    """Skill → what the company's own postings ask for: how many of them, their share, the level most give."""
    posted = postings_of(graph, company)
    levels: dict[str, Counter[str]] = defaultdict(Counter)
    for posting in posted:
        required = {v for _, v, rel in graph.out_edges(posting, data="relation") if rel == "requiresSkill"}
        preferred = {v for _, v, rel in graph.out_edges(posting, data="relation") if rel == "prefersSkill"}
        for skill in required:
            levels[skill]["required"] += 1
        for skill in preferred - required:
            levels[skill]["preferred"] += 1
    result = {}
    for skill, counted in sorted(levels.items()):
        total = counted["required"] + counted["preferred"]
        level = "required" if counted["required"] >= counted["preferred"] else "preferred"
        result[skill] = Link(total, round(total / len(posted), 4) if posted else None, level, len(posted))
    return result


def role_links(graph: PropertyGraph, roles: Iterable[str], drawn: set[str]) -> dict[tuple[str, str], Link]:
    """(role, skill) → the level the role asks for, how many of its postings ask for the skill, and their share.

    Counted on the role's postings in ``graph``, as kg's derived demand is; roles without
    postings are left out (their link says the level). Only pairs whose skill is in ``drawn``.
    """
    found = {}
    for role in sorted(roles):
        posted = postings_of(graph, role)
        asked: Counter[str] = Counter()
        for posting in posted:
            asked.update({v for _, v, rel in graph.out_edges(posting, data="relation") if rel in ASKS})
        levels: dict[str, str] = {}
        for _, skill, rel in graph.out_edges(role, data="relation"):
            if rel in ASKS and skill in drawn and levels.get(skill) != "required":
                levels[skill] = "required" if rel == "requiresSkill" else "preferred"
        if not posted:  # the level is the relation itself: nothing more to say
            continue
        for skill, level in sorted(levels.items()):
            found[role, skill] = Link(asked[skill], round(asked[skill] / len(posted), 4), level, len(posted))
    return found


def aliases(db: GraphSource, nodes: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Node → its ``skos:altLabel`` values, sorted (what search matches besides the label)."""
    wanted = set(nodes)
    found: dict[str, set[str]] = defaultdict(set)
    for quad in db.quads_for_pattern(None, ALT_LABEL, None, None):
        subject, value = quad.subject, quad.object
        if isinstance(subject, ox.NamedNode) and subject.value in wanted and isinstance(value, ox.Literal):
            found[subject.value].add(value.value)
    result = {}
    for iri, names in sorted(found.items()):
        distinct: dict[str, str] = {}
        for name in sorted(names, key=lambda n: (n.casefold(), n)):
            distinct.setdefault(" ".join(name.casefold().split()), name)
        result[iri] = tuple(distinct.values())
    return result
