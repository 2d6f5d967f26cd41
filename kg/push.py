"""Upload a store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol, in batches."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import UsageError
from kg.remote import DEFAULT_BATCH_TRIPLES, Endpoint, safe_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` sent."""

    url: str
    graphs: tuple[str, ...]
    triples: int
    requests: int


def push(
    store: ox.Store,
    endpoint: Endpoint,
    graph: str | None = None,
    *,
    replace: bool = False,
    batch_triples: int = DEFAULT_BATCH_TRIPLES,
    on_batch: Callable[[int], None] | None = None,
) -> PushResult:
    """Upload the store to ``endpoint`` through the SPARQL 1.1 Graph Store Protocol.

    Each named graph of the store goes to the graph of the same name (the
    default graph to the default graph); with ``graph``, everything goes into
    that one graph. ``replace`` PUTs the first batch of each target graph, so
    it replaces what the server held there; later batches (and every batch
    without ``replace``) are POSTed, which adds. Triples with blank nodes are
    sent together in one request per graph, so the server keeps them joined.
    ``on_batch(n)`` is called after each request with its number of triples.

    Raises:
        UsageError: ``graph`` is not an IRI, or the Graph Store Protocol URL is unknown.
        EndpointError: the server is unreachable or refused a request (the push stops there).
    """
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise UsageError(f"--graph must be an absolute IRI, not {graph!r}") from None
    if batch_triples < 1:
        raise UsageError("the batch size must be at least 1 triple")
    url = endpoint.graph_store_url()
    sent = requests = 0
    targets: list[str] = []
    for target, quads in _plan(store, graph):
        name = target or "default graph"
        targets.append(name)
        log.info("pushing %s to %s", name, safe_url(url))
        for batch, first in _batches(quads, batch_triples):
            if batch or (replace and first):
                endpoint.send_triples(batch, target, replace=replace and first)
                sent += len(batch)
                requests += 1
                if on_batch:
                    on_batch(len(batch))
    return PushResult(safe_url(url), tuple(targets), sent, requests)


def _plan(store: ox.Store, graph: str | None) -> Iterator[tuple[str | None, Iterable[ox.Quad]]]:
    """(target graph, its quads) for each graph to send; ``None`` is the default graph."""
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    sources: list[ox.NamedNode | ox.DefaultGraph] = [*named]
    if any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        sources.append(ox.DefaultGraph())
    skipped = [g for g in store.named_graphs() if not isinstance(g, ox.NamedNode)]
    if skipped:
        log.warning("%d graph(s) named by a blank node cannot be addressed over the Graph Store Protocol", len(skipped))
    if graph is not None:
        yield graph, (q for source in sources for q in store.quads_for_pattern(None, None, None, source))
        return
    for source in sources:
        target = source.value if isinstance(source, ox.NamedNode) else None
        yield target, store.quads_for_pattern(None, None, None, source)


def _batches(quads: Iterable[ox.Quad], size: int) -> Iterator[tuple[list[ox.Triple], bool]]:
    """Triples in batches of ``size``, with blank-node triples all in the last batch; ``True`` marks the first."""
    batch: list[ox.Triple] = []
    with_blank_nodes: list[ox.Triple] = []
    first = True
    for quad in quads:
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            with_blank_nodes.append(triple)
            continue
        batch.append(triple)
        if len(batch) >= size:
            yield batch, first
            batch, first = [], False
    if with_blank_nodes and len(batch) + len(with_blank_nodes) > size:
        yield batch, first
        batch, first = [], False
    yield batch + with_blank_nodes, first
