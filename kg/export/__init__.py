"""Exports of the store: Turtle, N-Triples, JSON-LD, GraphML and schema.org JobPostings.

- :mod:`kg.export.rdf`: sorted N-Triples, Turtle and JSON-LD;
- :mod:`kg.export.graphml`: the property graph (:mod:`kg.property_graph`) as GraphML;
- :mod:`kg.export.jobposting`: the stored postings as schema.org ``JobPosting`` JSON-LD.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg.export.graphml import graphml_bytes
from kg.export.rdf import jsonld_bytes, jsonld_context, rdf_bytes, sorted_ntriples, triples
from kg.namespaces import PREFIXES
from kg.terms import serialize

__all__ = ["FORMATS", "export_store", "graphml_bytes", "jsonld_bytes", "jsonld_context", "rdf_bytes",
           "sorted_ntriples", "triples"]

#: What ``kg export --format`` writes.
FORMATS = ("turtle", "nt", "jsonld", "graphml", "jobposting")


def export_store(db: ox.Store, fmt: str, graphs: list[str] | None = None) -> bytes:
    """The store (or some of its named graphs) in one of ``FORMATS``.

    Raises:
        UsageError: an unknown format.
    """
    if fmt == "graphml":
        from kg.property_graph import property_graph

        if graphs is not None:
            subset = ox.Store()
            subset.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples(db, graphs))
            db = subset
        return graphml_bytes(property_graph(db))
    if fmt == "jobposting":
        from kg.export.jobposting import jobposting_bytes

        return jobposting_bytes(db)
    if fmt == "nt":
        return sorted_ntriples(db, graphs)
    if fmt == "turtle":
        return serialize(ox.parse(sorted_ntriples(db, graphs), format=ox.RdfFormat.N_TRIPLES),
                         ox.RdfFormat.TURTLE, PREFIXES)
    return rdf_bytes(triples(db, graphs), fmt)
