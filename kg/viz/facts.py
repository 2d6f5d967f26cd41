"""Tooltip facts for drawn nodes, read off the property graph.

Counts are taken on the whole graph, so a focused view still says how many
postings in all ask for a skill. Postings are ``JobPosting`` nodes linked by
``forRole``, ``postedBy``, ``requiresSkill`` and ``prefersSkill``, with
``source`` and ``line`` attributes; a graph without postings simply has no
posting facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from kg.viz.model import Fact

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph

#: How many ``file:line`` sources a tooltip lists before "and N more".
MAX_SOURCES = 5

_ASKS = ("requiresSkill", "prefersSkill")


def node_facts(graph: PropertyGraph, nodes: Iterable[str]) -> dict[str, tuple[Fact, ...]]:
    """Node → its tooltip lines, for each of ``nodes``."""
    return {iri: _facts(graph, iri) for iri in sorted(nodes)}


def _facts(graph: PropertyGraph, iri: str) -> tuple[Fact, ...]:
    describe = _DESCRIBE.get(graph.nodes[iri].get("type", ""))
    return tuple(describe(graph, iri)) if describe else ()


def _posting(graph: PropertyGraph, iri: str) -> list[Fact]:
    facts = _labels_line(graph, "Role", _targets(graph, iri, ("forRole",)))
    facts += _labels_line(graph, "Company", _targets(graph, iri, ("postedBy",)))
    required = _targets(graph, iri, ("requiresSkill",))
    preferred = _targets(graph, iri, ("prefersSkill",)) - required
    facts.append(("Skills", f"{len(required)} required, {len(preferred)} preferred"))
    source = _source(graph, iri)
    return facts + ([("Source", source)] if source else [])


def _skill(graph: PropertyGraph, iri: str) -> list[Fact]:
    facts = _labels_line(graph, "Domains", _targets(graph, iri, ("partOfDomain",)))
    required = _sources_of(graph, iri, ("requiresSkill",), "Role")
    preferred = _sources_of(graph, iri, ("prefersSkill",), "Role") - required
    facts.append(("Roles", f"required by {len(required)}, preferred by {len(preferred)}"))
    return facts + _postings_lines(graph, _sources_of(graph, iri, _ASKS, "JobPosting"))


def _role(graph: PropertyGraph, iri: str) -> list[Fact]:
    facts = _domains_attr(graph, iri)
    required = _targets(graph, iri, ("requiresSkill",))
    preferred = _targets(graph, iri, ("prefersSkill",)) - required
    facts.append(("Skills", f"{len(required)} required, {len(preferred)} preferred"))
    facts.append(("Hired by", _count(_sources_of(graph, iri, ("hires",), "Company"), "company", "companies")))
    return facts + _postings_lines(graph, _sources_of(graph, iri, ("forRole",), "JobPosting"))


def _company(graph: PropertyGraph, iri: str) -> list[Fact]:
    facts = [("Hires", _count(_targets(graph, iri, ("hires",)), "role", "roles"))]
    return facts + _postings_lines(graph, _sources_of(graph, iri, ("postedBy",), "JobPosting"))


def _domain(graph: PropertyGraph, iri: str) -> list[Fact]:
    facts = _labels_line(graph, "Part of", _targets(graph, iri, ("broader",)))
    facts.append(("Skills", str(len(_sources_of(graph, iri, ("partOfDomain",), "Skill")))))
    subdomains = _sources_of(graph, iri, ("broader",), "Domain")
    return facts + ([("Subdomains", str(len(subdomains)))] if subdomains else [])


_DESCRIBE: dict[str, Callable[[PropertyGraph, str], list[Fact]]] = {
    "JobPosting": _posting,
    "Skill": _skill,
    "Role": _role,
    "Company": _company,
    "Domain": _domain,
}


def _postings_lines(graph: PropertyGraph, postings: set[str]) -> list[Fact]:
    return [("Postings", str(len(postings))), *_sources_line(graph, postings)]


def _targets(graph: PropertyGraph, iri: str, relations: tuple[str, ...]) -> set[str]:
    return {v for _, v, rel in graph.out_edges(iri, data="relation") if rel in relations}


def _sources_of(graph: PropertyGraph, iri: str, relations: tuple[str, ...], kind: str) -> set[str]:
    return {u for u, _, rel in graph.in_edges(iri, data="relation")
            if rel in relations and graph.nodes[u].get("type") == kind}


def _count(items: set[str], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}"


def _labels_line(graph: PropertyGraph, heading: str, iris: set[str]) -> list[Fact]:
    names = sorted({graph.nodes[i].get("label", i) for i in iris}, key=str.casefold)
    return [(heading, ", ".join(names))] if names else []


def _domains_attr(graph: PropertyGraph, iri: str) -> list[Fact]:
    names = graph.nodes[iri].get("domains") or ()
    return [("Domains", ", ".join(sorted(names, key=str.casefold)))] if names else []


def _source(graph: PropertyGraph, iri: str) -> str:
    data = graph.nodes[iri]
    source, line = data.get("source", ""), data.get("line")
    return f"{source}:{line}" if source and line is not None else source


def _sources_line(graph: PropertyGraph, postings: set[str]) -> list[Fact]:
    sources = sorted({s for s in (_source(graph, p) for p in postings) if s}, key=_source_key)
    if not sources:
        return []
    shown = ", ".join(sources[:MAX_SOURCES])
    if len(sources) > MAX_SOURCES:
        shown += f" and {len(sources) - MAX_SOURCES:,} more"
    return [("Sources", shown)]


def _source_key(source: str) -> tuple[str, int, str]:
    path, _, line = source.rpartition(":")
    return (path, int(line), source) if line.isdigit() else (source, 0, source)
