"""The graph as RDF: sorted N-Triples, Turtle and JSON-LD (compacted with ``ontology/context.jsonld``).

Every writer sorts what it writes, so the same graph gives the same bytes.
Turtle and N-Triples use Oxigraph's serializers; JSON-LD uses rdflib's
compaction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.namespaces import PREFIXES, is_index_graph
from kg.resources import ontology_file
from kg.terms import serialize


def sorted_ntriples(store: ox.Store, graphs: Iterable[str] | None = None) -> bytes:
    """The distinct triples of the given named graphs (all graphs if ``None``) as sorted N-Triples.

    Oxigraph writes each graph itself (``Store.dump``), on a thread per graph;
    Python only sorts lines, which is several times faster than building a
    Python object per triple. Graphs with blank nodes are canonicalized
    (RDFC-1.0) so that blank node labels, too, are stable.
    """
    lines = _dump_lines(store, graphs)
    lines.discard(b"")
    body = b"".join(line + b"\n" for line in sorted(lines))
    if b"_:" not in body:
        return body
    # maybe a blank node (or just "_:" inside a literal): canonical labels
    dataset = ox.Dataset(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    lines = set(serialize(dataset, ox.RdfFormat.N_QUADS).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def _dump_lines(store: ox.Store, graphs: Iterable[str] | None) -> set[bytes]:
    """The N-Triples lines of each graph (all graphs if ``None``), written by Oxigraph on a thread per graph."""
    sources: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
    if graphs is None:  # every graph but the indexes (lookup keys, summaries, near-duplicates), derived anywhere
        sources = [ox.DefaultGraph(), *sorted((g for g in store.named_graphs()
                                               if not (isinstance(g, ox.NamedNode) and is_index_graph(g.value))),
                                              key=str)]
    else:
        sources = [ox.NamedNode(g) for g in graphs]

    def dump(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bytes:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)  # releases the GIL
        assert data is not None  # written to memory
        return data

    with ThreadPoolExecutor(max(1, min(len(sources), os.cpu_count() or 1))) as pool:
        return {line for part in pool.map(dump, sources) for line in part.splitlines()}


def triples(store: ox.Store, graphs: Iterable[str] | None = None) -> list[ox.Triple]:
    """The distinct triples of the given named graphs (all graphs if ``None``), in :func:`sorted_ntriples` order."""
    return [q.triple for q in ox.parse(sorted_ntriples(store, graphs), format=ox.RdfFormat.N_TRIPLES)]


def rdf_bytes(sorted_triples: list[ox.Triple], fmt: str) -> bytes:
    """Triples as Turtle, N-Triples or JSON-LD.

    Raises:
        UsageError: ``fmt`` is not one of these.
    """
    if fmt == "turtle":
        return serialize(sorted_triples, ox.RdfFormat.TURTLE, PREFIXES)
    if fmt == "nt":
        return serialize(sorted_triples, ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return jsonld_bytes(sorted_triples)
    raise UsageError(f"unknown RDF format {fmt!r}; choose one of turtle, nt, jsonld")


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of kg (``ontology/context.jsonld``)."""
    with open(ontology_file("context.jsonld"), encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)["@context"]
    return context


def jsonld_bytes(sorted_triples: list[ox.Triple]) -> bytes:
    """Compacted JSON-LD with kg's context, nodes sorted by ``@id`` and values sorted."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=serialize(sorted_triples, ox.RdfFormat.N_TRIPLES), format="ox-nt")
    context = jsonld_context()
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.pop("@graph", None)
    if nodes is None:  # a single node is compacted without @graph
        nodes = [{k: v for k, v in document.items() if k != "@context"}] if len(document) > 1 else []
    nodes = sorted((_sorted_values(node) for node in nodes), key=lambda n: str(n.get("@id", "")))
    text = json.dumps({"@context": context, "@graph": nodes}, indent=1, sort_keys=False, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _sorted_values(node: dict[str, Any]) -> dict[str, Any]:
    def canonical(value: Any) -> Any:
        if isinstance(value, list):
            return sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        return value

    return {key: canonical(node[key]) for key in sorted(node)}
