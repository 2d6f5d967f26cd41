"""The default dataset and `kg build`: sizes, references, exports committed and reproducible."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import queries
from kg.build import EXPORT_NAMES, default_dataset
from kg.namespaces import ROLE, is_index_graph
from kg.property_graph import property_graph
from kg.store import LocalStore

REPO = Path(__file__).resolve().parents[1]
CURATED = {line.split(",", 1)[0] for line in (REPO / "data" / "curated" / "companies.csv").read_text().splitlines()[1:]}


def count(store: LocalStore, cls: str) -> int:
    rows = queries.rows(queries.run(store.reader(), queries.resolve("class-counts")))
    return next((r["count"] for r in rows if r["class"] == cls), 0)


def test_default_dataset_sizes(built: tuple[LocalStore, Path]) -> None:
    store, _ = built
    assert count(store, "Skill") >= 500
    assert count(store, "Domain") >= 25
    assert count(store, "Role") >= 30
    assert count(store, "Company") >= 40


def test_every_role_requires_three_and_prefers_some(built: tuple[LocalStore, Path]) -> None:
    store, _ = built
    db = store.reader()
    rows = queries.rows(queries.run(db, queries.resolve("report-role-levels")))
    assert len(rows) >= 30
    for row in rows:
        assert row["required_skills"] >= 3, row
        assert row["preferred_skills"] >= 1, row


def test_required_aliases(built: tuple[LocalStore, Path]) -> None:
    from kg.lookup import Names

    names = Names(built[0].reader())
    for alias, label in [("pytorch", "PyTorch"), ("K8s", "Kubernetes"), ("sklearn", "scikit-learn")]:
        assert names.resolve(alias, "Skill").label == label


def test_companies_hire_what_their_postings_show(built: tuple[LocalStore, Path]) -> None:
    graph = property_graph(built[0].reader())
    hires = {(s, o) for s, o, d in graph.edges(data=True) if d["relation"] == "hires"}
    shown = set()
    for posting, data in graph.nodes(data=True):
        if data["type"] != "JobPosting":
            continue
        out = {d["relation"]: o for _, o, d in graph.out_edges(posting, data=True)}
        if "postedBy" in out and "forRole" in out:
            shown.add((out["postedBy"], out["forRole"]))
    assert len(shown) >= 40
    assert shown <= hires
    curated = [n for n, d in graph.nodes(data=True) if d["type"] == "Company" and n.rsplit("/", 1)[1] in CURATED]
    assert len(curated) >= 40
    assert all(any(s == c for s, _ in hires) for c in curated)


@pytest.mark.slow
def test_default_dataset_is_deterministic() -> None:
    assert [str(q) for q in default_dataset()] == [str(q) for q in default_dataset()]


def test_rdf_exports_hold_the_same_graph(tiny_store: LocalStore) -> None:
    from kg import export

    db = tiny_store.reader()
    triples = export.triples(db)
    turtle = rdflib.Graph().parse(data=export.rdf_bytes(triples, "turtle"), format="turtle")
    ntriples = rdflib.Graph().parse(data=export.rdf_bytes(triples, "nt"), format="nt")
    jsonld = rdflib.Graph().parse(data=export.rdf_bytes(triples, "jsonld"), format="json-ld")
    assert len(turtle) == len(triples) > 50  # every triple but the lookup keys and summaries (see test_lookup.py)
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, jsonld)


@pytest.mark.slow
def test_build_writes_every_export_and_they_hold_the_same_graph(tmp_path: Path) -> None:
    from kg.build import build

    result = build(LocalStore.at(tmp_path / "store"), tmp_path / "exports")
    assert [p.name for p in result.exports] == list(EXPORT_NAMES)
    exports = tmp_path / "exports"
    turtle = rdflib.Graph().parse(exports / "kg.ttl", format="turtle")
    ntriples = rdflib.Graph().parse(exports / "kg.nt", format="nt")
    jsonld = rdflib.Graph().parse(exports / "kg.jsonld", format="json-ld")
    assert len(turtle) > 10_000
    assert isomorphic(turtle, ntriples)
    assert isomorphic(turtle, jsonld)
    assert '"@context"' in (exports / "kg.jsonld").read_text()[:200]


@pytest.mark.slow
def test_build_keeps_other_graphs(copy_built: Callable[[str], LocalStore], tmp_path: Path) -> None:
    """A second build over a built store that holds a graph of its own: same graph, and that graph kept, with
    the lookup keys of its labels."""
    from kg.build import build
    from kg.load import load_files
    from kg.lookup import Names

    store = copy_built("s")
    first = len(store.reader())
    graphs = queries.rows(queries.run(store.reader(), queries.resolve("graphs")))
    data = sum(r["triples"] for r in graphs if not is_index_graph(r["graph"]))  # the lookup keys and summaries aside
    extra = tmp_path / "extra.ttl"
    extra.write_text(f'<{ROLE}data-analyst> <http://www.w3.org/2004/02/skos/core#altLabel> "Chart  Maker"@en .\n')
    load_files(store, [extra], "https://example.org/mine")
    loaded = len(store.reader())
    assert loaded > first + 1  # the label and its lookup key
    assert Names(store.reader()).resolve("chart maker", "Role").iri == ROLE + "data-analyst"
    assert build(store, None).triples == data
    rows = queries.rows(queries.run(store.reader(), queries.resolve("graphs")))
    assert {r["graph"]: r["triples"] for r in rows}["https://example.org/mine"] == 1
    assert len(store.reader()) == loaded
    assert Names(store.reader()).resolve("chart maker", "Role").iri == ROLE + "data-analyst"  # its key kept


def test_exports_change_together_or_not_at_all(tiny_store: LocalStore, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that fails (or is stopped) while writing the last export leaves the whole old set."""
    import pyoxigraph as ox

    from kg import report
    from kg.build import write_exports

    names = ["kg.ttl", "kg.nt", "report.html"]
    out = tmp_path / "exports"
    write_exports(tiny_store.reader(), out, names=names)
    old = {name: (out / name).read_bytes() for name in names}
    smaller = ox.Store()
    smaller.extend(list(tiny_store.reader())[:10])

    def broken(*_args: object) -> str:
        raise RuntimeError("stopped while writing report.html")

    monkeypatch.setattr(report, "report_page", broken)
    with pytest.raises(RuntimeError):
        write_exports(smaller, out, names=names)
    assert {name: (out / name).read_bytes() for name in names} == old
    assert sorted(p.name for p in out.iterdir()) == sorted(names)  # nothing staged is left behind
    monkeypatch.undo()
    assert [p.name for p in write_exports(smaller, out, names=names)] == names
    assert (out / "kg.ttl").read_bytes() != old["kg.ttl"]
