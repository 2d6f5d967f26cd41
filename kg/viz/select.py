"""Choose what to draw: the whole graph, a neighbourhood, a domain or a company.

The whole graph is kg's own roles, skills, companies and domains; after
``kg import esco|onet`` it adds the imported concepts that
``ontology/alignments/`` links to them, and ``everything=True`` draws every
imported concept too.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import NotFoundError, UsageError
from kg.namespaces import ESCO_DATA, KG, ONET, SKOS
from kg.viz import details
from kg.viz.details import ASKS, ASKS_FOR
from kg.viz.model import View

if TYPE_CHECKING:
    from kg.property_graph import PropertyGraph
    from kg.source import GraphSource

log = logging.getLogger(__name__)

#: Which kinds a tie in degree keeps first when a view is pruned.
PRUNE_ORDER = ("Role", "Company", "Domain", "Skill", "JobPosting")
#: Past this many nodes a drawing keeps the most connected (the renderer draws 30,000 smoothly).
DEFAULT_MAX_NODES = 50_000
#: The SKOS mapping relations of ``ontology/alignments/``, drawn as links to imported concepts.
ALIGNMENTS = ("exactMatch", "closeMatch", "broadMatch")
#: Up to this many drawn nodes, search matches the aliases of imported concepts too (past it, kg's own only:
#: ESCO and O*NET have about 180,000 aliases, which would triple the size of the page).
ALIASES_UP_TO = 5_000
#: Imported taxonomies by the start of their IRIs, as the page names them.
TAXONOMIES = ((ESCO_DATA, "ESCO"), (ONET, "O*NET"))


def view(db: GraphSource, *, focus: str | None = None, depth: int = 1, domain: str | None = None,
         company: str | None = None, max_nodes: int = DEFAULT_MAX_NODES, postings: bool = False,
         everything: bool = False) -> View:
    """The view the ``viz`` command draws: the whole graph, or one focus of it.

    Args:
        db: the store to draw.
        focus: a node label or alias (any case); draw the nodes within ``depth`` hops of it.
        domain: a domain label; draw it, its subdomains' skills and the roles that ask for them.
        company: a company label; draw what its own postings ask for, and the profiles of the
            roles it hires as a second layer.
        max_nodes: past this many nodes, keep the most connected and say so on the page.
        postings: draw job postings as nodes too; by default they are only counted.
        everything: in the whole graph, draw every imported concept, not only the aligned ones.

    Raises:
        NotFoundError: no node has that label; the message suggests close ones.
        UsageError: more than one of ``focus``, ``domain`` and ``company`` was given.
    """
    from kg.lookup import Names
    from kg.property_graph import property_graph

    chosen = [name for name, value in (("--focus", focus), ("--domain", domain), ("--company", company)) if value]
    if len(chosen) > 1:
        raise UsageError(f"give one of --focus, --domain and --company, not {' and '.join(chosen)}")
    graph = property_graph(db)
    add_role_domains(db, graph)
    add_alignments(db, graph)
    add_company_asks(graph)
    if not chosen:
        return whole_graph(db, graph, max_nodes, postings=postings, everything=everything)
    names = Names(db)
    if focus:
        iri = names.resolve(focus).iri
        label = graph.nodes[iri]["label"]
        hops = "itself" if depth == 0 else f"within {depth} hop{'s' if depth != 1 else ''}"
        around = graph if postings or graph.nodes[iri]["type"] == "JobPosting" else without_postings(graph)
        return subgraph_view(db, graph, neighbourhood(around, iri, depth), title=label,
                             subtitle=f"{graph.nodes[iri]['type']} and what is {hops} of it",
                             focus=(iri,), max_nodes=max_nodes)
    if domain:
        iri = names.resolve(domain, "Domain").iri
        return subgraph_view(db, graph, domain_nodes(graph, iri), title=graph.nodes[iri]["label"],
                             subtitle="Domain: its subdomains, their skills and the roles that ask for them",
                             focus=(iri,), max_nodes=max_nodes)
    iri = names.resolve(company or "", "Company").iri
    own, profiles = company_nodes(graph, iri, postings=postings)
    posted = len(details.postings_of(graph, iri))
    name = graph.nodes[iri]["label"]
    subtitle = (f"What {name}'s {posted:,} posting{'s' if posted != 1 else ''} ask for; fainter, the profiles "
                "of the roles it hires" if posted else
                f"{name} has no postings in the graph: the profiles of the roles it hires")
    view = subgraph_view(db, graph, own | profiles, title=name, subtitle=subtitle, focus=(iri,),
                         secondary=profiles - own if posted else frozenset(), max_nodes=max_nodes)
    return dataclasses.replace(view, scope=iri)


def taxonomy_of(iri: str) -> str:
    """``ESCO`` or ``O*NET`` for an imported concept, else ``""``."""
    return next((name for start, name in TAXONOMIES if iri.startswith(start)), "")


def whole_graph(db: GraphSource, graph: PropertyGraph, max_nodes: int = DEFAULT_MAX_NODES, *,
                postings: bool = False, everything: bool = False) -> View:
    """The whole property graph: kg's own nodes, and the imported concepts aligned to them (all with ``everything``).

    Job postings are counted in the details but drawn only with ``postings=True``.
    """
    drawn = graph if postings else without_postings(graph)
    own = {iri for iri in drawn.nodes if not taxonomy_of(iri)}
    imported = set(drawn.nodes) - own
    aligned = {v for u in own for _, v, rel in graph.out_edges(u, data="relation") if rel in ALIGNMENTS}
    nodes = own | (imported if everything else aligned & imported)
    names = _taxonomy_names(imported)
    title, subtitle = "Roles, skills and companies", "Who hires which roles, and the skills those roles ask for"
    note = ""
    if imported and everything:
        title = f"Roles, skills and companies, and all of {names}"
        subtitle = (f"kg's graph and the {len(imported):,} imported concepts, "
                    "each beside the kg concept it is aligned to")
    elif imported:
        shown = len(aligned & imported)
        title = f"Roles, skills and companies, with the {names} concepts aligned to them"
        subtitle = (f"kg's graph and the {shown:,} imported concept{'s' if shown != 1 else ''} that "
                    "ontology/alignments/ links to it")
        note = (f"{len(imported) - shown:,} imported concepts without an alignment are left out "
                "(kg viz --all draws them)")
    return subgraph_view(db, graph, nodes, title=title, subtitle=subtitle, max_nodes=max_nodes, note=note)


def _taxonomy_names(imported: Iterable[str]) -> str:
    found = {taxonomy_of(iri) for iri in imported}
    names = [name for _, name in TAXONOMIES if name in found]
    return " and ".join(names)


def without_postings(graph: PropertyGraph) -> PropertyGraph:
    """A read-only view of ``graph`` without its ``JobPosting`` nodes."""
    return graph.subgraph([iri for iri, kind in graph.nodes(data="type") if kind != "JobPosting"])


def subgraph_view(db: GraphSource, graph: PropertyGraph, nodes: Iterable[str], *, title: str, subtitle: str = "",
                  focus: Iterable[str] = (), secondary: Iterable[str] = (), max_nodes: int = DEFAULT_MAX_NODES,
                  note: str = "") -> View:
    """A view of ``nodes`` of ``graph``, with figures counted on all of ``graph``."""
    selected = set(nodes)
    centre = tuple(sorted(iri for iri in focus if iri in selected))
    kept = prune(graph.subgraph(selected), max_nodes, keep=centre)
    drawn = graph.subgraph(kept).copy()
    if len(kept) < len(selected):
        log.info("pruned %s of %s nodes", len(selected) - len(kept), len(selected))
    all_postings = sum(1 for _, kind in graph.nodes(data="type") if kind == "JobPosting")
    drawn_postings = sum(1 for _, kind in drawn.nodes(data="type") if kind == "JobPosting")
    counts = details.posting_counts(graph, sorted(kept))
    roles = [iri for iri in kept if graph.nodes[iri].get("type") == "Role"]
    links = details.role_links(graph, roles, kept)
    for company, skill, link in graph.edges(data="link"):
        if link is not None and company in kept and skill in kept:
            links[company, skill] = link
    for iri in drawn.nodes:
        kind = taxonomy_of(iri)
        if kind:
            drawn.nodes[iri]["taxonomy"] = kind
    return View(
        graph=drawn,
        title=title,
        subtitle=subtitle,
        total_nodes=len(selected),
        postings=counts,
        links=links,
        sources=details.sources(graph, sorted(kept)),
        aliases=details.aliases(db, kept if len(kept) <= ALIASES_UP_TO else {i for i in kept if not taxonomy_of(i)}),
        focus=centre,
        secondary=frozenset(iri for iri in secondary if iri in kept),
        postings_not_drawn=0 if drawn_postings else all_postings,
        extra_note=note,
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
    roles = {u for s in skills for u, _, rel in graph.in_edges(s, data="relation")
             if rel in ASKS and graph.nodes[u].get("type") == "Role"}
    return domains | skills | roles


def company_nodes(graph: PropertyGraph, company: str, *, postings: bool = False) -> tuple[set[str], set[str]]:
    """What a company's own postings show (it, the skills they ask for, the roles they are for, with
    ``postings=True`` the postings too), and the role profiles behind the roles it hires.
    """
    posted = details.postings_of(graph, company)
    asked = {v for _, v, rel in graph.out_edges(company, data="relation") if rel == ASKS_FOR}
    roles = {v for p in posted for _, v, rel in graph.out_edges(p, data="relation") if rel == "forRole"}
    hired = {v for _, v, rel in graph.out_edges(company, data="relation") if rel == "hires"} | roles
    profiles = {v for r in hired for _, v, rel in graph.out_edges(r, data="relation") if rel in ASKS}
    own = {company} | asked | roles | (posted if postings else set())
    return own, hired | profiles


def add_company_asks(graph: PropertyGraph) -> None:
    """Link each company to the skills its own postings ask for (relation ``asksFor``, with a ``link``)."""
    companies = sorted(iri for iri, kind in graph.nodes(data="type") if kind == "Company")
    for company in companies:
        for skill, link in details.company_asks(graph, company).items():
            graph.add_edge(company, skill, key=ASKS_FOR, relation=ASKS_FOR, link=link)


def add_alignments(db: GraphSource, graph: PropertyGraph) -> None:
    """Link kg's concepts to the imported concepts ``ontology/alignments/`` maps them to, where both are drawn."""
    edges: set[tuple[str, str, str]] = set()
    for relation in ALIGNMENTS:
        for quad in db.quads_for_pattern(None, ox.NamedNode(SKOS + relation), None, None):
            subject, obj = quad.subject, quad.object
            if (isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode) and subject.value in graph
                    and obj.value in graph):
                edges.add((subject.value, obj.value, relation))
    for source, target, relation in sorted(edges):
        graph.add_edge(source, target, key=relation, relation=relation)


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


def file_name(*, focus: str | None = None, domain: str | None = None, company: str | None = None) -> str:
    """The file a view is written to when none is given: ``kg.html``, ``focus-pytorch.html``, ``company-nvidia.html``.
    """
    for prefix, name in (("focus", focus), ("domain", domain), ("company", company)):
        if name:
            slug = "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())
            return f"{prefix}-{slug or 'view'}.html"
    return "kg.html"
