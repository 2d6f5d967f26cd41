"""Serialize the graph: Turtle, N-Triples, JSON-LD (with a context) and GraphML.

Every writer sorts what it writes, so the same graph gives the same bytes.
Turtle and N-Triples use Oxigraph's serializers; JSON-LD uses rdflib's
compaction with ``ontology/context.jsonld``; GraphML goes through networkx.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.errors import UsageError
from kg.namespaces import PREFIXES
from kg.resources import ontology_file

FORMATS = ("turtle", "nt", "jsonld", "graphml")
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "graphml": "graphml"}


def sorted_ntriples(store: ox.Store, graphs: Iterable[str] | None = None) -> bytes:
    """The distinct triples of the given named graphs (all graphs if ``None``) as sorted N-Triples.

    Oxigraph writes each graph itself and Python only sorts the lines, which is
    several times faster than building a Python object per triple. Graphs with
    blank nodes are canonicalized first (RDFC-1.0) so that blank node labels,
    too, are stable.
    """
    if graphs is None:
        sources: list[ox.NamedNode | ox.DefaultGraph] = [
            ox.DefaultGraph(), *sorted(store.named_graphs(), key=lambda g: str(g))  # type: ignore[list-item]
        ]
    else:
        sources = [ox.NamedNode(g) for g in graphs]
    lines: set[bytes] = set()
    for graph in sources:
        lines.update(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())
    lines.discard(b"")
    if any(b"_:" in line for line in lines):  # maybe a blank node (or just "_:" inside a literal)
        dataset = ox.Dataset(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        lines = set(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines())
        lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def triples(store: ox.Store, graphs: Iterable[str] | None = None) -> list[ox.Triple]:
    """The distinct triples of the given named graphs (all graphs if ``None``), in :func:`sorted_ntriples` order."""
    return [q.triple for q in ox.parse(sorted_ntriples(store, graphs), format=ox.RdfFormat.N_TRIPLES)]


def rdf_bytes(sorted_triples: list[ox.Triple], fmt: str) -> bytes:
    """Triples as Turtle, N-Triples or JSON-LD.

    Raises:
        UsageError: ``fmt`` is not one of these.
    """
    if fmt == "turtle":
        return ox.serialize(sorted_triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    if fmt == "nt":
        return ox.serialize(sorted_triples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "jsonld":
        return jsonld_bytes(sorted_triples)
    raise UsageError(f"unknown RDF format {fmt!r}; choose one of turtle, nt, jsonld")


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context of kg (``ontology/context.jsonld``)."""
    with open(ontology_file("context.jsonld"), encoding="utf-8") as handle:
        return json.load(handle)["@context"]


def jsonld_bytes(sorted_triples: list[ox.Triple]) -> bytes:
    """Compacted JSON-LD with kg's context, nodes sorted by ``@id`` and values sorted."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(sorted_triples, format=ox.RdfFormat.N_TRIPLES), format="ox-nt")
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


def graphml_bytes(graph: Any) -> bytes:
    """A networkx graph as GraphML, readable by Gephi, Cytoscape, igraph and networkx."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml_xml(graph, buffer, named_key_ids=True)
    return buffer.getvalue()


def export_store(db: ox.Store, fmt: str, graphs: list[str] | None = None) -> bytes:
    """The store (or some of its named graphs) in one of ``FORMATS``.

    Raises:
        UsageError: an unknown format.
    """
    if fmt == "graphml":
        from kg.graphview import property_graph

        if graphs is not None:
            subset = ox.Store()
            subset.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples(db, graphs))
            db = subset
        return graphml_bytes(property_graph(db))
    if fmt == "jobposting":
        from kg.jobposting import jobposting_bytes

        return jobposting_bytes(db)
    if fmt == "nt":
        return sorted_ntriples(db, graphs)
    if fmt == "turtle":
        return ox.serialize(ox.parse(sorted_ntriples(db, graphs), format=ox.RdfFormat.N_TRIPLES),
                            format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return rdf_bytes(triples(db, graphs), fmt)
