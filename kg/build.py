"""The default dataset: assemble it, load it into the store, write the exports.

``kg build`` replaces the core graph of the store (other graphs, such as
ingested postings or imported taxonomies, are kept), recomputes what the
postings show (:mod:`kg.derive`), and writes ``exports/`` from the project's
files alone, so the exports do not depend on what else the store holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import export, lookup_keys, summaries
from kg.curated import curated_quads
from kg.derive import refresh as refresh_derived
from kg.fileio import write_bytes_atomic
from kg.namespaces import CORE_GRAPH
from kg.store import LocalStore

EXPORT_NAMES = ("kg.ttl", "kg.nt", "kg.jsonld", "kg.graphml", "kg.html", "report.html")

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build loaded and wrote."""

    store: Path
    triples: int
    exports: list[Path] = field(default_factory=list)


def default_dataset() -> list[ox.Quad]:
    """Every quad of the default dataset, in the core graph, sorted.

    Blank nodes (the ontology's RDF lists) get canonical labels (RDFC-1.0), so
    the same files always give the same quads.
    """
    graph = ox.NamedNode(CORE_GRAPH)
    quads = curated_quads(graph)
    quads.extend(_evidence_quads(graph, quads))
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _evidence_quads(graph: ox.NamedNode, curated: list[ox.Quad]) -> list[ox.Quad]:
    """The seed-corpus postings and what they show about roles and companies."""
    from kg.resources import data_file

    if not data_file("seed-postings.json").is_file():
        return []
    from kg import evidence

    return evidence.seed_quads(graph, curated)


def build(store: LocalStore, out_dir: Path | None, progress: Progress | None = None) -> BuildResult:
    """Load the default dataset into ``store`` and, if ``out_dir`` is given, write the exports there."""
    step = progress or (lambda _message: None)
    step("assembling the default dataset")
    quads = default_dataset()
    step(f"loading {len(quads):,} triples into {store.path}")
    with store.writer() as db:
        lookup_keys.ensure(db)
        lookup_keys.remove_graph(db, CORE_GRAPH)
        db.extend(lookup_keys.with_keys(quads))
        derived = refresh_derived(db)
        summaries.refresh(db, vocabularies=["kg"])
    result = BuildResult(store.path, len(quads) + derived)
    if out_dir is not None:
        memory = ox.Store()
        memory.extend(quads)
        refresh_derived(memory)
        summaries.refresh(memory)
        result.exports = write_exports(memory, out_dir, step)
    return result


def write_exports(db: ox.Store, out_dir: Path, progress: Progress | None = None) -> list[Path]:
    """Write ``kg.ttl``, ``kg.nt``, ``kg.jsonld``, ``kg.graphml``, ``kg.html`` and ``report.html`` from ``db``."""
    from kg import graphview, report, viz

    step = progress or (lambda _message: None)
    triples = export.triples(db)
    written = []
    for fmt in ("turtle", "nt", "jsonld"):
        path = out_dir / f"kg.{export.EXTENSIONS[fmt]}"
        step(f"writing {path}")
        write_bytes_atomic(path, export.rdf_bytes(triples, fmt))
        written.append(path)
    graph = graphview.property_graph(db)
    path = out_dir / "kg.graphml"
    step(f"writing {path}")
    write_bytes_atomic(path, export.graphml_bytes(graph))
    written.append(path)
    path = out_dir / "kg.html"
    step(f"writing {path}")
    write_bytes_atomic(path, viz.page(viz.view(db)).encode("utf-8"))
    written.append(path)
    path = out_dir / "report.html"
    step(f"writing {path}")
    write_bytes_atomic(path, report.report_page(report.report_data(db)).encode("utf-8"))
    written.append(path)
    return written
