"""Copy a SPARQL server's graphs into the local store, keeping their names, all or nothing.

The graphs come as pages of the named query ``quads`` (so a server's row limit
does not cut them), are counted against what the server says each holds, and
only when every graph is whole do they replace the graphs of the same name in
the local store, in one write; the lookup keys and summaries of what came are
derived again there, as after any write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg import graph_sizes, lookup_keys, queries, summaries
from kg.errors import EndpointError, NotFoundError, UsageError
from kg.namespaces import GRAPH, is_index_graph
from kg.remote import Endpoint
from kg.source import PAGE_ROWS, RemoteGraph
from kg.store import LocalStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullResult:
    """What :func:`pull` copied: from where, which graphs, how many triples."""

    url: str
    graphs: tuple[str, ...]
    triples: int


def server_graphs(endpoint: Endpoint) -> dict[str, int]:
    """Each named graph of the server and how many triples it holds."""
    counts: dict[str, int] = {}
    for page in endpoint.select_pages(queries.resolve("graphs").text, page=PAGE_ROWS):
        for graph, triples in page:
            if isinstance(graph, ox.NamedNode) and isinstance(triples, ox.Literal):
                counts[graph.value] = int(triples.value)
    return counts


def choose(available: dict[str, int], graphs: Sequence[str] = (), *, all_graphs: bool = False) -> dict[str, int]:
    """The graphs to copy: those named, or every graph, or (by default) kg's own graphs.

    Raises:
        NotFoundError: a named graph is not on the server.
        UsageError: the server holds no kg graphs and none were named.
    """
    if graphs:
        missing = [g for g in graphs if g not in available]
        if missing:
            from difflib import get_close_matches

            raise NotFoundError(f"the server has no graph <{missing[0]}>",
                                get_close_matches(missing[0], list(available), n=3, cutoff=0.6))
        return {g: available[g] for g in sorted(set(graphs))}
    if all_graphs:
        return dict(sorted(available.items()))
    ours = {g: n for g, n in sorted(available.items()) if g.startswith(GRAPH)}
    if not ours:
        raise UsageError(f"the server holds no kg graphs (none under {GRAPH}); "
                         "name graphs with --graph IRI, or take every graph with --all-graphs")
    return ours


def fetch(endpoint: Endpoint, graphs: dict[str, int], on_triples: Callable[[int], None] | None = None) -> ox.Store:
    """The given graphs of the server in an in-memory store, each checked against its expected size.

    Raises:
        EndpointError: the server is unreachable, or a graph came back with other than its count of triples.
    """
    remote = RemoteGraph(endpoint)
    memory = ox.Store()
    for graph, expected in graphs.items():
        name = ox.NamedNode(graph)
        batch: list[ox.Quad] = []
        for quad in remote.quads_for_pattern(None, None, None, name):
            batch.append(quad)
            if len(batch) >= 10_000:
                memory.extend(batch)
                if on_triples:
                    on_triples(len(batch))
                batch = []
        memory.extend(batch)
        if on_triples:
            on_triples(len(batch))
        got = sum(1 for _ in memory.quads_for_pattern(None, None, None, name))
        if got != expected:
            raise EndpointError(f"{endpoint.shown} sent {got:,} distinct triples of <{graph}>, which holds "
                                f"{expected:,}; nothing was copied (is the server being written to?)")
    return memory


def plan(endpoint: Endpoint, graphs: Sequence[str] = (), *, all_graphs: bool = False) -> dict[str, int]:
    """The graphs :func:`pull` would copy from ``endpoint`` and the triples each holds (see :func:`choose`)."""
    return choose(server_graphs(endpoint), graphs, all_graphs=all_graphs)


def pull(store: LocalStore, endpoint: Endpoint, graphs: dict[str, int],
         on_triples: Callable[[int], None] | None = None) -> PullResult:
    """Copy ``graphs`` (from :func:`plan`) of ``endpoint`` into ``store``, each replacing the local graph of that name.

    Raises:
        EndpointError: as :func:`fetch`; StoreError or StoreBusyError from the write (the store stays as it was).
    """
    memory = fetch(endpoint, graphs, on_triples)
    def fill(db: ox.Store) -> None:
        for graph in graphs:
            db.clear_graph(ox.NamedNode(graph))
        db.bulk_extend(memory)
        # what kg derives from the pulled graphs, as after any write (the same, if the server had it)
        if graph_sizes.is_current(db):  # else finish derives it all again, once
            lookup_keys.refresh(db, [ox.NamedNode(g) for g in graphs if not is_index_graph(g)])
            summaries.refresh(db)
        graph_sizes.finish(db)

    store.write(fill)
    log.info("pulled %d graph(s) from %s", len(graphs), endpoint.shown)
    return PullResult(endpoint.shown, tuple(graphs), len(memory))
