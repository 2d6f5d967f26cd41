"""Where the library reads a graph from: the embedded store, or a SPARQL server behind the same interface.

Every reading function of kg (analytics, views, the report, stats) reads
through two calls: named queries (:func:`kg.queries.run`, which calls
``query``) and pattern reads (``quads_for_pattern``, ``named_graphs``). A
pyoxigraph ``Store`` has both; :class:`RemoteGraph` has them too, answered by a
SPARQL 1.1 server: queries go as they are (parameters as ``VALUES``), pattern
reads run the named query ``quads`` page by page. So every reading command
takes ``--endpoint`` without knowing which it reads, and gives the same output.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

import pyoxigraph as ox

from kg.remote import Endpoint

Result = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Bindable = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

#: Rows per request when a pattern read pages through a server's graphs.
PAGE_ROWS = 100_000


class GraphSource(Protocol):
    """What kg reads a graph through; ``pyoxigraph.Store`` and :class:`RemoteGraph` both are one."""

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              substitutions: dict[ox.Variable, Bindable] | None = None) -> Result: ...

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
                          predicate: ox.NamedNode | None,
                          object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
                          graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
                          ) -> Iterator[ox.Quad]: ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...


class RemoteGraph:
    """A SPARQL 1.1 server read as if it were the local store (read-only)."""

    def __init__(self, endpoint: Endpoint, page_rows: int = PAGE_ROWS) -> None:
        self.endpoint = endpoint
        self.page_rows = page_rows

    def __repr__(self) -> str:
        return f"RemoteGraph({self.endpoint.shown})"

    def query(self, query: str, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              substitutions: dict[ox.Variable, Bindable] | None = None) -> Result:
        """Run a read-only query on the server; ``substitutions`` travel as ``VALUES`` blocks.

        The server's default graph stands for the union (see docs/scale-out.md), and kg's own
        prefixes are always declared, so ``prefixes`` and ``use_default_graph_as_union`` need no sending.
        """
        return self.endpoint.query(query, _named(substitutions or {}))

    def quads_for_pattern(self, subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
                          predicate: ox.NamedNode | None,
                          object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
                          graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph | None = None,
                          ) -> Iterator[ox.Quad]:
        """The quads of the server's named graphs that match; a blank node cannot be asked for, nor the default graph.

        The quads come page by page (the named query ``quads``), so a server's row limit does not cut them.
        """
        from kg.queries import resolve

        if isinstance(subject, ox.BlankNode) or isinstance(object, ox.BlankNode) or isinstance(
                graph_name, (ox.BlankNode, ox.DefaultGraph)):
            return  # kg keeps its data in named graphs; a server's blank node labels are its own
        bindings = {name: term for name, term in (("s", subject), ("p", predicate), ("o", object), ("g", graph_name))
                    if term is not None and not isinstance(term, ox.Triple)}
        for page in self.endpoint.select_pages(resolve("quads").text, bindings, page=self.page_rows):
            for s, p, o, g in page:
                yield ox.Quad(s, p, o, g)

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        """The server's named graphs (Virtuoso lists a few of its own too)."""
        from kg.queries import resolve

        for page in self.endpoint.select_pages(resolve("graphs").text, page=self.page_rows):
            for solution in page:
                graph = solution["graph"]
                if isinstance(graph, (ox.NamedNode, ox.BlankNode)):
                    yield graph


def _named(substitutions: Mapping[ox.Variable, Bindable]) -> dict[str, ox.NamedNode | ox.Literal]:
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for variable, term in substitutions.items():
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise TypeError(f"only IRIs and literals can be sent to a server as parameters, not {type(term).__name__}")
        bound[variable.value] = term
    return bound
