"""Choose what to draw: the whole graph, a neighbourhood, a domain or a company, pruned to a size."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFoundError, UsageError
from kg.namespaces import KG
from kg.viz.facts import node_facts
from kg.viz.model import View

#: Which kinds a tie in degree keeps first when a view is pruned.
PRUNE_ORDER = ("Role", "Company", "Domain", "Skill", "JobPosting")

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph
    from kg.source import GraphSource

log = logging.getLogger(__name__)

DEFAULT_MAX_NODES = 1500
_ASKS = ("requiresSkill", "prefersSkill")


def view(db: GraphSource, *, focus: str | None = None, depth: int = 1, domain: str | None = None,
         company: str | None = None, max_nodes: int = DEFAULT_MAX_NODES, postings: bool = False) -> View:
    """The view the ``viz`` command draws: the whole graph, or one focus of it.

    Args:
        db: the store to draw.
        focus: a node label or alias (any case); draw the nodes within ``depth`` hops of it.
        domain: a domain label; draw it, its subdomains' skills and the roles that ask for them.
        company: a company label; draw it, the roles it hires and their skills.
        max_nodes: past this many nodes, keep the most connected and say so on the page.
        postings: draw job postings as nodes too; by default they are only counted in the
            tooltips, which keeps the drawing about roles, skills and companies.

    Raises:
        NotFoundError: no node has that label; the message suggests close ones.
        UsageError: more than one of ``focus``, ``domain`` and ``company`` was given.
    """
    from kg.lookup import LabelIndex
    from kg.property_graph import property_graph

    chosen = [name for name, value in (("--focus", focus), ("--domain", domain), ("--company", company)) if value]
    if len(chosen) > 1:
        raise UsageError(f"give one of --focus, --domain and --company, not {' and '.join(chosen)}")
    graph = property_graph(db)
    add_role_domains(db, graph)
    if not chosen:
        return whole_graph(graph, max_nodes, postings=postings)
    index = LabelIndex.of(db)
    if focus:
        iri = index.resolve(focus)
        label = graph.nodes[iri]["label"]
        hops = "itself" if depth == 0 else f"within {depth} hop{'s' if depth != 1 else ''}"
        around = graph if postings or graph.nodes[iri]["type"] == "JobPosting" else without_postings(graph)
        return subgraph_view(graph, neighbourhood(around, iri, depth), title=label,
                             subtitle=f"{graph.nodes[iri]['type']} and what is {hops} of it",
                             focus=(iri,), max_nodes=max_nodes)
    if domain:
        iri = index.resolve(domain, "Domain")
        return subgraph_view(graph, domain_nodes(graph, iri), title=graph.nodes[iri]["label"],
                             subtitle="Domain: its subdomains, their skills and the roles that ask for them",
                             focus=(iri,), max_nodes=max_nodes)
    iri = index.resolve(company or "", "Company")
    return subgraph_view(graph, company_nodes(graph, iri, postings=postings), title=graph.nodes[iri]["label"],
                         subtitle="Company: the roles it hires and the skills they need",
                         focus=(iri,), max_nodes=max_nodes)


def whole_graph(graph: PropertyGraph, max_nodes: int = DEFAULT_MAX_NODES, *, postings: bool = False) -> View:
    """The whole property graph, pruned to the ``max_nodes`` most connected nodes.

    Job postings are counted in the tooltips but drawn only with ``postings=True``.
    """
    drawn = graph if postings else without_postings(graph)
    return subgraph_view(graph, drawn.nodes, title="Roles, skills and companies",
                         subtitle="Who hires which roles, and the skills those roles ask for",
                         max_nodes=max_nodes)


def without_postings(graph: PropertyGraph) -> PropertyGraph:
    """A read-only view of ``graph`` without its ``JobPosting`` nodes."""
    return graph.subgraph([iri for iri, kind in graph.nodes(data="type") if kind != "JobPosting"])


def subgraph_view(graph: PropertyGraph, nodes: Iterable[str], *, title: str, subtitle: str = "",
                  focus: Iterable[str] = (), max_nodes: int = DEFAULT_MAX_NODES) -> View:
    """A view of ``nodes`` of ``graph``, with tooltips counted on all of ``graph``.

    This is the building block of every view; ``gap`` draws a role's skills with it
    and then colours them with :meth:`View.with_marks`.
    """
    selected = set(nodes)
    centre = tuple(sorted(iri for iri in focus if iri in selected))
    kept = prune(graph.subgraph(selected), max_nodes, keep=centre)
    drawn = graph.subgraph(kept).copy()
    if len(kept) < len(selected):
        log.info("pruned %s of %s nodes", len(selected) - len(kept), len(selected))
    postings = sum(1 for _, kind in graph.nodes(data="type") if kind == "JobPosting")
    drawn_postings = sum(1 for _, kind in drawn.nodes(data="type") if kind == "JobPosting")
    return View(
        graph=drawn,
        title=title,
        subtitle=subtitle,
        total_nodes=len(selected),
        degrees={iri: drawn.degree(iri) for iri in sorted(kept)},
        facts=node_facts(graph, kept),
        focus=centre,
        postings_not_drawn=0 if drawn_postings else postings,
    )


def prune(graph: PropertyGraph, max_nodes: int, keep: Iterable[str] = ()) -> set[str]:
    """The ``max_nodes`` nodes of highest degree in ``graph`` (and always ``keep``).

    Ties go by type, the few structural kinds first (roles, companies, domains, then
    skills and postings), then label and IRI, so the same graph always keeps the same
    nodes and a company hiring one role is not dropped for a skill with one link.
    """
    always = set(keep)
    if graph.number_of_nodes() <= max_nodes:
        return set(graph.nodes)
    rank = {kind: i for i, kind in enumerate(PRUNE_ORDER)}

    def key(iri: str) -> tuple[int, int, str, str]:
        data = graph.nodes[iri]
        return (-graph.degree(iri), rank.get(data.get("type", ""), len(rank)), data.get("label", ""), iri)

    others = sorted((iri for iri in graph.nodes if iri not in always), key=key)
    return always | set(others[: max(0, max_nodes - len(always))])


def neighbourhood(graph: PropertyGraph, iri: str, depth: int) -> set[str]:
    """The nodes within ``depth`` hops of ``iri``, following edges either way.

    Raises:
        NotFoundError: ``iri`` is not a node of ``graph``.
    """
    import networkx as nx

    if iri not in graph:
        raise NotFoundError(f"{iri} is not in the graph")
    undirected = graph.to_undirected(as_view=True)
    return set(nx.single_source_shortest_path_length(undirected, iri, cutoff=depth))


def domain_nodes(graph: PropertyGraph, domain: str) -> set[str]:
    """A domain, the domains below it, their skills and the roles that ask for those skills."""
    domains = {domain}
    frontier = [domain]
    while frontier:
        current = frontier.pop()
        for child, _, rel in graph.in_edges(current, data="relation"):
            if rel == "broader" and graph.nodes[child].get("type") == "Domain" and child not in domains:
                domains.add(child)
                frontier.append(child)
    skills = {u for d in domains for u, _, rel in graph.in_edges(d, data="relation") if rel == "partOfDomain"}
    roles = _askers(graph, skills)
    return domains | skills | roles


def company_nodes(graph: PropertyGraph, company: str, *, postings: bool = False) -> set[str]:
    """A company, the roles it hires (or posts for) and the skills those roles ask for.

    With ``postings=True``, the company's postings too.
    """
    roles = {v for _, v, rel in graph.out_edges(company, data="relation") if rel == "hires"}
    posted = {u for u, _, rel in graph.in_edges(company, data="relation") if rel == "postedBy"}
    roles |= {v for p in posted for _, v, rel in graph.out_edges(p, data="relation") if rel == "forRole"}
    skills = {v for r in roles for _, v, rel in graph.out_edges(r, data="relation") if rel in _ASKS}
    return {company} | roles | skills | (posted if postings else set())


def _askers(graph: PropertyGraph, skills: set[str]) -> set[str]:
    return {u for s in skills for u, _, rel in graph.in_edges(s, data="relation")
            if rel in _ASKS and graph.nodes[u].get("type") == "Role"}


def add_role_domains(db: GraphSource, graph: PropertyGraph) -> None:
    """Set the ``domains`` attribute (labels) of each role from its ``kg:inDomain`` links."""
    found: dict[str, set[str]] = {}
    for quad in db.quads_for_pattern(None, ox.NamedNode(KG + "inDomain"), None, None):
        role, target = quad.subject, quad.object
        if (isinstance(role, ox.NamedNode) and isinstance(target, ox.NamedNode) and role.value in graph
                and target.value in graph and graph.nodes[role.value].get("type") == "Role"):
            found.setdefault(role.value, set()).add(graph.nodes[target.value]["label"])
    for iri, names in found.items():
        graph.nodes[iri]["domains"] = sorted(names, key=str.casefold)
