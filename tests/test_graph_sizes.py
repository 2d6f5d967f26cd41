"""The graphs' sizes kept at every write (``graphs``, ``default-graph-triples``), the relations' links and the classes'
nodes (``relation-counts``, ``class-counts``: kg.term_counts), and the derived-data version."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import graph_sizes, queries, term_counts
from kg.cli import cli
from kg.load import run_update
from kg.namespaces import CORE_GRAPH, PREFIXES, SIZES_GRAPH, SUMMARY_GRAPH
from kg.resources import queries_dir
from kg.store import LocalStore
from kg.taxonomies import drop, import_taxonomy
from taxonomy_samples import write_esco

KEPT = ("graphs", "default-graph-triples", "relation-counts", "class-counts")
TERMS = KEPT[2:]


def answers(store: LocalStore, name: str) -> tuple[bytes, bytes]:
    """The named query's answer (from the kept counts) and the same query text counted, as JSON bytes."""
    db = store.reader()
    named = queries.resolve(name)
    counted = queries.NamedQuery.parse(named.text, "inline")  # not kg's own file: counted by the store
    return (queries.serialize(queries.run(db, named), "json"), queries.serialize(queries.run(db, counted), "json"))


def assert_kept_counts_true(store: LocalStore) -> None:
    assert graph_sizes.is_current(store.reader())
    for name in KEPT:
        kept, counted = answers(store, name)
        assert kept == counted, name


@pytest.mark.slow  # seven writes of a built store: 40-80 s of CPU
def test_every_kind_of_write_keeps_the_counts_true(copy_built: Callable[[str], LocalStore], tmp_path: Path,
                                                  runner: CliRunner) -> None:
    store = copy_built("store")
    assert_kept_counts_true(store)  # build
    rows = tmp_path / "postings.csv"
    rows.write_text("title,company,description,location\n"
                    "Data Engineer,Acme,Python and SQL required.,\"Berlin, Germany\"\n"
                    "ML Engineer,Acme,PyTorch and Python required.,\"Berlin, Germany\"\n", encoding="utf-8")
    env = {"KG_STORE": str(store.path)}
    assert runner.invoke(cli, ["ingest", str(rows)], env=env).exit_code == 0
    assert_kept_counts_true(store)
    # the same file with a row more: its source document and place are in the store already, its company too
    with rows.open("a", encoding="utf-8") as out:
        out.write("Data Scientist,Acme,Statistics and Python required.,\"Berlin, Germany\"\n")
    assert runner.invoke(cli, ["ingest", str(rows)], env=env).exit_code == 0
    assert_kept_counts_true(store)
    import_taxonomy(store, "esco", write_esco(tmp_path / "esco"))
    assert_kept_counts_true(store)
    turtle = tmp_path / "extra.ttl"
    turtle.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
    assert runner.invoke(cli, ["load", str(turtle)], env=env).exit_code == 0
    assert_kept_counts_true(store)
    update = "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> <https://example.org/b> 1 } }"
    assert runner.invoke(cli, ["update", update, "--yes"], env=env).exit_code == 0
    assert_kept_counts_true(store)
    assert drop(store, "esco") > 0
    assert_kept_counts_true(store)


def test_the_named_queries_read_the_kept_counts(copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("store")

    def fake(db: ox.Store) -> None:  # what only the kept counts can answer: a count no graph has
        core = ox.NamedNode(CORE_GRAPH)
        for quad in list(db.quads_for_pattern(core, graph_sizes.TRIPLES, None, graph_sizes.GRAPH)):
            db.remove(quad)
        db.add(ox.Quad(core, graph_sizes.TRIPLES, ox.Literal("7", datatype=ox.NamedNode(
            "http://www.w3.org/2001/XMLSchema#integer")), graph_sizes.GRAPH))

    store.write(fake)
    rows = {row["graph"]: row["triples"] for row in queries.rows(queries.run(store.reader(),
                                                                             queries.resolve("graphs")))}
    assert rows[CORE_GRAPH] == 7
    # an entry a graph, its default graph's and the version, and the relations' and classes' counts (kg.term_counts)
    terms = sum(1 for _ in store.reader().quads_for_pattern(None, None, None, graph_sizes.GRAPH)) - len(rows) - 2
    assert terms > 100 and rows[SIZES_GRAPH] == len(rows) + 2 + terms
    kept, counted = answers(store, "default-graph-triples")
    assert kept != counted


def without_version(store: LocalStore, also: str | None = None) -> None:
    """Make ``store`` look derived by a kg before the version marker (and without the graph ``also``)."""
    def strip(db: ox.Store) -> None:
        db.remove_graph(graph_sizes.GRAPH)
        if also:
            db.remove_graph(ox.NamedNode(also))

    store.write(strip)


@pytest.mark.slow  # derives the whole store again
def test_an_older_store_says_so_and_is_counted_until_derived_again(copy_built: Callable[[str], LocalStore],
                                                                   runner: CliRunner) -> None:
    store = copy_built("store")
    without_version(store, SUMMARY_GRAPH + "/kg")
    env = {"KG_STORE": str(store.path)}
    result = runner.invoke(cli, ["query", "graphs", "-f", "json"], env=env)
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if line.startswith("kg: note: this store was derived")]
    assert len(notes) == 1 and "`kg rederive`" in notes[0]
    _, counted = answers(store, "graphs")
    assert result.stdout.encode() == counted  # answered by counting: the store keeps no counts
    result = runner.invoke(cli, ["rederive"], env=env)
    assert result.exit_code == 0, result.output
    db = store.reader()
    assert graph_sizes.version(db) == graph_sizes.DERIVED_VERSION
    assert next(iter(db.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH + "/kg"))), None)
    result = runner.invoke(cli, ["query", "graphs", "-f", "json"], env=env)
    assert "kg: note" not in result.stderr
    assert_kept_counts_true(store)


@pytest.mark.slow  # derives the whole store again
@pytest.mark.parametrize("stored", [None, graph_sizes.DERIVED_VERSION - 1])
def test_the_next_write_derives_an_older_store_again(copy_built: Callable[[str], LocalStore], tmp_path: Path,
                                                    stored: int | None) -> None:
    store = copy_built("store")
    without_version(store, SUMMARY_GRAPH + "/kg")
    if stored is not None:
        store.write(lambda db: db.add(ox.Quad(graph_sizes.GRAPH, graph_sizes.VERSION, ox.Literal(
            str(stored), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), graph_sizes.GRAPH)))
        assert "version " + str(stored) in graph_sizes.stale_note(store.reader())
    from kg.load import load_files

    turtle = tmp_path / "extra.ttl"
    turtle.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
    load_files(store, [turtle])
    db = store.reader()
    assert graph_sizes.stale_note(db) == ""
    assert next(iter(db.quads_for_pattern(None, None, None, ox.NamedNode(SUMMARY_GRAPH + "/kg"))), None)
    assert_kept_counts_true(store)


@pytest.mark.slow  # derives the whole store again
def test_a_big_store_derived_again_whole_is_compacted(copy_built: Callable[[str], LocalStore], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A store just derived again held the old and the new derived graphs in its files until RocksDB merged them: a
    # page of report-company-skills at ten times ESCO cost 3.4 s of CPU, 1.4 s once compacted.
    store = copy_built("store")
    compacted: list[int] = []
    monkeypatch.setattr(graph_sizes, "compact", lambda db: compacted.append(len(db)))  # keeps no reference
    graph_sizes.rederive_store(store)
    assert compacted == []  # the built store is small: not worth it
    monkeypatch.setattr(graph_sizes, "COMPACT_AFTER_DERIVING", graph_sizes.total(store.reader()))
    graph_sizes.rederive_store(store)
    assert len(compacted) == 1
    from kg.load import load_files

    turtle = tmp_path / "extra.ttl"
    turtle.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
    load_files(store, [turtle])  # a write that derives in proportion to what it adds compacts nothing
    assert len(compacted) == 1


def values_of(path: str) -> set[str]:
    """The IRIs of the VALUES block of a query file, prefixes expanded."""
    text = (queries_dir() / path).read_text(encoding="utf-8")
    block = re.search(r"VALUES \?\w+ \{([^}]*)\}", text)
    assert block
    return {PREFIXES[prefix] + name for prefix, name in re.findall(r"(\w+):(\w+)", block.group(1))}


@pytest.mark.parametrize("path", ["relation-counts.rq", "internal/kept-relation-counts.rq",
                                  "internal/term-counts.rq"])
def test_every_query_counts_the_same_relations(path: str) -> None:
    assert values_of(path) == set(term_counts.RELATIONS) and len(term_counts.RELATIONS) == 12


def test_the_built_store_keeps_what_counting_gives(built: tuple[LocalStore, Path]) -> None:
    assert_kept_counts_true(built[0])


def test_relation_and_class_counts_read_the_kept_counts(copy_built: Callable[[str], LocalStore]) -> None:
    store = copy_built("store")

    def fake(db: ox.Store) -> None:  # what only the kept counts can answer
        for term, kind in ((term_counts.RELATIONS[0], term_counts.LINKS),
                           (PREFIXES["kg"] + "Skill", term_counts.NODES)):
            node = ox.NamedNode(term)
            for quad in list(db.quads_for_pattern(node, kind, None, graph_sizes.GRAPH)):
                db.remove(quad)
            db.add(ox.Quad(node, kind, ox.Literal("123456789", datatype=ox.NamedNode(
                "http://www.w3.org/2001/XMLSchema#integer")), graph_sizes.GRAPH))

    store.write(fake)
    db = store.reader()
    relations = {row["relation"]: row["count"]
                 for row in queries.rows(queries.run(db, queries.resolve("relation-counts")))}
    classes = {row["class"]: row["count"] for row in queries.rows(queries.run(db, queries.resolve("class-counts")))}
    assert relations["requiresSkill"] == classes["Skill"] == 123456789
    assert next(iter(relations)) == "requiresSkill" and next(iter(classes)) == "Skill"  # the most, first


@pytest.mark.slow  # several writes of a built store: 25-55 s of CPU, the fast suite's heaviest test
def test_a_link_or_node_in_several_graphs_is_counted_once(copy_built: Callable[[str], LocalStore]) -> None:
    """Links and typed nodes copied into other graphs (the default graph too) count once; dropped, they go."""
    store = copy_built("store")
    copy = ("INSERT { GRAPH <https://example.org/a> { ?s ?p ?o } GRAPH <https://example.org/b> { ?s ?p ?o } ?s ?p ?o }"
            f" WHERE {{ GRAPH <{CORE_GRAPH}> {{ ?s ?p ?o FILTER(?p IN (kg:requiresSkill, rdf:type, skos:altLabel)) }}"
            " FILTER(STRENDS(STR(?s), \"a\")) }")
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    before = {name: answers(store, name)[0] for name in TERMS}
    run_update(store, prefixes + copy)
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in TERMS} == before  # the same links and nodes, in more graphs
    run_update(store, prefixes + "INSERT DATA { GRAPH <https://example.org/b> { <https://example.org/x> a kg:Skill ;"
               " kg:requiresSkill <https://example.org/y> } }")
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in TERMS} != before
    run_update(store, "DROP GRAPH <https://example.org/a> ; DROP GRAPH <https://example.org/b> ; DROP DEFAULT")
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in TERMS} == before
