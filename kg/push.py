"""Upload a store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol, then check that it took.

Each graph travels as N-Triples in batches cut by size in bytes, several
requests at a time. A small first request takes the server's login challenge
(and finds a redirect or a wrong URL) before any data travels, so a server that
closes the connection on an unauthenticated upload never sees one. After the
upload kg counts the triples of each pushed graph on the server, and asks
whether the server's default graph (what queries read) shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from kg import queries
from kg.errors import EndpointError, UsageError
from kg.remote import Endpoint, safe_url

log = logging.getLogger(__name__)

#: Bytes of N-Triples per request, and requests in flight (tuned in benchmarks/bench_push.py).
DEFAULT_BATCH_BYTES = 1_000_000
DEFAULT_WORKERS = 1
#: ``--graph default``: everything into the server's default graph.
DEFAULT_GRAPH = "default"


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` sent, what the server holds afterwards, and whether queries will see it."""

    url: str
    graphs: tuple[str, ...]
    triples: int
    requests: int
    on_server: dict[str, int]
    default_graph_shows_data: bool


@dataclass(frozen=True)
class _Target:
    graph: str | None  # None: the server's default graph
    lines: list[bytes]  # distinct N-Triples lines without blank nodes
    joined: list[bytes]  # lines that may hold blank nodes: sent in one request, so they stay joined

    @property
    def name(self) -> str:
        return self.graph or "default graph"

    @property
    def triples(self) -> int:
        return len(self.lines) + len(self.joined)


def push(
    store: ox.Store,
    endpoint: Endpoint,
    graph: str | None = None,
    *,
    replace: bool = False,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    workers: int = DEFAULT_WORKERS,
    on_batch: Callable[[int], None] | None = None,
) -> PushResult:
    """Upload the store to ``endpoint`` and check that the server holds it.

    Each named graph of the store goes to the graph of the same name; with
    ``graph``, everything goes into that one graph (``"default"``: the
    server's default graph). ``replace`` PUTs the first request of each
    target, replacing what the server held there; the rest are POSTed, which
    adds. ``on_batch(n)`` is called after each request with its triples.

    Raises:
        UsageError: ``graph`` is not an IRI, a size is below 1, or the Graph Store Protocol URL is unknown.
        EndpointError: the server is unreachable, refused or redirected a request, or does not hold the
            triples afterwards (with ``replace``: exactly as many as were sent; without: at least as many).
    """
    if graph is not None and graph != DEFAULT_GRAPH:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise UsageError(f"--graph must be an absolute IRI or 'default', not {graph!r}") from None
    if batch_bytes < 1 or workers < 1:
        raise UsageError("the batch size and the number of parallel requests must be at least 1")
    url = endpoint.graph_store_url()
    targets = list(_plan(store, graph))
    if not targets:
        raise UsageError("the store is empty: nothing to push")
    # a small first request: the login challenge, a redirect or a wrong URL show before data travels
    endpoint.send_triples(b"", targets[0].graph, replace=False)
    sent = requests = 0
    try:
        with ThreadPoolExecutor(workers) as pool:
            for target in targets:
                log.info("pushing %s (%d triples) to %s", target.name, target.triples, safe_url(url))
                batches = list(_batches(target, batch_bytes))
                first, rest = batches[0], batches[1:]
                endpoint.send_triples(first[0], target.graph, replace=replace)  # a PUT must land first
                if on_batch:
                    on_batch(first[1])
                done = [first[1], *pool.map(lambda batch, t=target: _post(endpoint, t.graph, batch, on_batch), rest)]
                sent += sum(done)
                requests += len(done)
    finally:
        endpoint.client.close()
    on_server = _verify(endpoint, targets, replace=replace)
    return PushResult(safe_url(url), tuple(t.name for t in targets), sent, requests, on_server,
                      _default_graph_shows(endpoint, targets))


def _post(endpoint: Endpoint, graph: str | None, batch: tuple[bytes, int],
          on_batch: Callable[[int], None] | None) -> int:
    endpoint.send_triples(batch[0], graph, replace=False)
    if on_batch:
        on_batch(batch[1])
    return batch[1]


def _plan(store: ox.Store, graph: str | None) -> Iterator[_Target]:
    """The graphs to send, each with its distinct N-Triples lines."""
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    skipped = sum(1 for g in store.named_graphs() if not isinstance(g, ox.NamedNode))
    if skipped:
        log.warning("%d graph(s) named by a blank node cannot be addressed over the Graph Store Protocol", skipped)
    sources: list[ox.NamedNode | ox.DefaultGraph] = [*named]
    if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        sources.append(ox.DefaultGraph())
    if graph is not None:
        lines = {line for source in sources for line in _lines(store, source)}
        yield _split(None if graph == DEFAULT_GRAPH else graph, lines)
        return
    for source in sources:
        yield _split(source.value if isinstance(source, ox.NamedNode) else None, set(_lines(store, source)))


def _lines(store: ox.Store, source: ox.NamedNode | ox.DefaultGraph) -> list[bytes]:
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=source) or b""
    return [line for line in dumped.splitlines() if line]


def _split(graph: str | None, lines: set[bytes]) -> _Target:
    joined = sorted(line for line in lines if b"_:" in line)
    return _Target(graph, sorted(lines.difference(joined)), joined)


def _batches(target: _Target, size: int) -> Iterator[tuple[bytes, int]]:
    """(N-Triples, triples) of at most about ``size`` bytes each; the lines with blank nodes all in the last.

    Always at least one batch, so that a PUT with ``--replace`` empties a graph even when nothing is sent.
    """
    batch: list[bytes] = []
    length = 0
    for line in target.lines:
        if batch and length + len(line) + 1 > size:
            yield b"\n".join(batch) + b"\n", len(batch)
            batch, length = [], 0
        batch.append(line)
        length += len(line) + 1
    if target.joined and batch and length + sum(len(line) + 1 for line in target.joined) > size:
        yield b"\n".join(batch) + b"\n", len(batch)
        batch = []
    batch += target.joined
    yield (b"\n".join(batch) + b"\n" if batch else b""), len(batch)


def _verify(endpoint: Endpoint, targets: list[_Target], *, replace: bool) -> dict[str, int]:
    """The triples each pushed graph holds on the server; an error if that is not what was sent."""
    on_server: dict[str, int] = {}
    for target in targets:
        bindings = {"graph": ox.NamedNode(target.graph)} if target.graph else {}
        query = queries.resolve("graphs" if target.graph else "default-graph-triples")
        rows = queries.rows(endpoint.query(query.text, bindings))
        held = int(rows[0]["triples"]) if rows else 0
        on_server[target.name] = held
        exact = replace and target.graph is not None  # the default graph may show the union of all graphs
        if held < target.triples or (exact and held != target.triples):
            expected = f"{'exactly' if exact else 'at least'} {target.triples:,}"
            raise EndpointError(f"after the push, {endpoint.shown} holds {held:,} triples in {target.name}, "
                                f"not {expected}: the server did not keep what it accepted")
    return on_server


def _default_graph_shows(endpoint: Endpoint, targets: list[_Target]) -> bool:
    """Whether a query without GRAPH (as every named query is) sees a pushed triple."""
    sample = next((t.lines[0] for t in targets if t.lines), None)
    if sample is None:
        return True
    triple = next(iter(ox.parse(sample + b"\n", format=ox.RdfFormat.N_TRIPLES)))
    bindings = {"s": triple.subject, "p": triple.predicate, "o": triple.object}
    return bool(endpoint.query(queries.resolve("has-triple").text, bindings))
