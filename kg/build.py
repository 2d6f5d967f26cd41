"""The default dataset: assemble it, load it into the store, write the exports.

``kg build`` replaces the core graph of the store (other graphs, such as
ingested postings or imported taxonomies, are kept), recomputes what the
postings show (:mod:`kg.derive`), and writes ``exports/`` from the project's
files alone, so the exports do not depend on what else the store holds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import export, graph_sizes, lookup_keys, summaries
from kg.curated import curated_quads
from kg.derive import refresh as refresh_derived
from kg.errors import UsageError
from kg.fileio import atomic_file_set
from kg.namespaces import CORE_GRAPH, DERIVED_GRAPH, NEAR_DUPLICATES_GRAPH, POSTINGS_GRAPH
from kg.store import LocalStore

#: What ``kg build`` writes to ``exports/``, in this order.
EXPORT_NAMES = ("kg.ttl", "kg.nt", "kg.jsonld", "kg.graphml", "kg.html", "report.html")
#: The exports committed to the repository: what people open on its page (Turtle, GraphML, the two
#: HTML pages). ``kg.nt`` and ``kg.jsonld`` hold the same graph as ``kg.ttl``; ``kg build`` writes
#: them and ``.gitignore`` leaves them out.
COMMITTED_EXPORTS = ("kg.ttl", "kg.graphml", "kg.html", "report.html")

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
    quads.extend(_seed_posting_quads(graph, quads))
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def _seed_posting_quads(graph: ox.NamedNode, curated: list[ox.Quad]) -> list[ox.Quad]:
    """The seed-corpus postings and what they show about roles and companies."""
    from kg.resources import data_file

    if not data_file("seed-postings.json").is_file():
        return []
    from kg.quads import seed_quads

    return seed_quads(graph, curated)


def build(store: LocalStore, out_dir: Path | None, progress: Progress | None = None,
          names: Iterable[str] = EXPORT_NAMES) -> BuildResult:
    """Load the default dataset into ``store`` and, if ``out_dir`` is given, write the exports ``names`` there."""
    step = progress or (lambda _message: None)
    step("assembling the default dataset")
    quads = default_dataset()
    step(f"loading {len(quads):,} triples into {store.path}")
    def fill(db: ox.Store) -> int:
        lookup_keys.ensure(db)
        lookup_keys.remove_graph(db, CORE_GRAPH)
        db.bulk_extend(lookup_keys.with_keys(quads))  # a new generation of the store: written whole or dropped
        if not graph_sizes.is_current(db):  # finish derives it all again, once
            graph_sizes.finish(db)
            return graph_sizes.kept_size(db, DERIVED_GRAPH)
        derived = refresh_derived(db)
        summaries.refresh(db, vocabularies=["kg"])
        graph_sizes.finish(db, kept=[POSTINGS_GRAPH, NEAR_DUPLICATES_GRAPH, *graph_sizes.imports_kept()])
        return derived

    derived = store.write(fill)
    result = BuildResult(store.path, len(quads) + derived)
    if out_dir is not None:
        result.exports = write_default_exports(out_dir, step, names, quads)
    return result


def write_default_exports(out_dir: Path, progress: Progress | None = None, names: Iterable[str] = EXPORT_NAMES,
                          quads: list[ox.Quad] | None = None) -> list[Path]:
    """Write the exports ``names`` of the default dataset (``quads``, assembled when not given) to ``out_dir``,
    from the project's files alone, as :func:`build` does; their paths."""
    memory = ox.Store()  # the same graphs as a built store holds: data, lookup keys, derived, summaries
    memory.extend(lookup_keys.with_keys(default_dataset() if quads is None else quads))
    refresh_derived(memory)
    summaries.refresh(memory)
    return write_exports(memory, out_dir, progress, names)


def write_exports(db: ox.Store, out_dir: Path, progress: Progress | None = None,
                  names: Iterable[str] = EXPORT_NAMES) -> list[Path]:
    """Write the exports ``names`` (some of :data:`EXPORT_NAMES`) of ``db`` to ``out_dir``, as one set; their paths.

    They replace the files of the same names together, after all were written
    (:func:`kg.fileio.atomic_file_set`): an error or Ctrl-C leaves the old set.

    Raises:
        UsageError: a name is not one of :data:`EXPORT_NAMES`.
    """
    step = progress or (lambda _message: None)
    writers = _writers(db)
    names = list(names)
    for name in names:
        if name not in writers:
            raise UsageError(f"unknown export {name!r}; choose from {', '.join(EXPORT_NAMES)}")
    with atomic_file_set(out_dir) as add:  # the exports change together: never half old, half new
        written = []
        for name in names:
            step(f"writing {out_dir / name}")
            written.append(add(name, writers[name]()))
    return written


def _writers(db: ox.Store) -> dict[str, Callable[[], bytes]]:
    """Each export's name and what writes it; the sorted triples are read once, when first needed."""
    from kg import report, viz
    from kg.property_graph import property_graph

    @functools.cache
    def triples() -> list[ox.Triple]:
        return export.triples(db)

    return {
        "kg.ttl": lambda: export.rdf_bytes(triples(), "turtle"),
        "kg.nt": lambda: export.rdf_bytes(triples(), "nt"),
        "kg.jsonld": lambda: export.rdf_bytes(triples(), "jsonld"),
        "kg.graphml": lambda: export.graphml_bytes(property_graph(db)),
        "kg.html": lambda: viz.page(viz.view(db)).encode("utf-8"),
        "report.html": lambda: report.report_page(report.report_data(db)).encode("utf-8"),
    }
