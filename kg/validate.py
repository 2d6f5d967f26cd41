"""Check the graph against the SHACL shapes in ``ontology/shapes.ttl`` with pyshacl."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.namespaces import SH, curie
from kg.resources import ontology_file

if TYPE_CHECKING:
    import rdflib


@dataclass(frozen=True)
class Violation:
    """One SHACL result, shortened for people."""

    severity: str
    focus: str
    path: str
    value: str
    message: str


@dataclass
class Report:
    """The outcome of a validation."""

    conforms: bool
    triples: int
    violations: list[Violation] = field(default_factory=list)


def validate(db: ox.Store, shapes: Path | None = None, progress: Callable[[str], None] | None = None) -> Report:
    """Validate every graph of ``db`` (as one graph) against the shapes.

    ``progress`` hears what is being done now (reading the store, checking the shapes).
    """
    import pyshacl
    import rdflib

    from kg.export import sorted_ntriples
    from kg.shacl_sparql import parsed_once

    step = progress or (lambda _text: None)
    step(f"reading {len(db):,} triples")
    union = rdflib.Graph()
    union.parse(data=sorted_ntriples(db), format="ox-nt")
    shapes_graph = rdflib.Graph().parse(shapes or ontology_file("shapes.ttl"), format="turtle")
    step(f"checking {len(union):,} triples against ontology/shapes.ttl")
    with parsed_once():
        conforms, results, _ = pyshacl.validate(
            union, shacl_graph=shapes_graph, advanced=True, allow_warnings=True, inference="none"
        )
    return Report(bool(conforms), len(union), _violations(results))


def _violations(results: rdflib.Graph) -> list[Violation]:
    import rdflib

    sh = rdflib.Namespace(SH)
    found = []

    def one(result: rdflib.term.Node, predicate: rdflib.URIRef) -> str:
        value = results.value(result, predicate)
        if value is None:
            return ""
        return curie(str(value)) if isinstance(value, rdflib.URIRef) else str(value)

    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        severity = one(result, sh.resultSeverity).removeprefix("sh:")
        found.append(Violation(severity, one(result, sh.focusNode), one(result, sh.resultPath),
                               one(result, sh.value), one(result, sh.resultMessage)))
    return sorted(found, key=lambda v: (v.focus, v.path, v.value, v.message))
