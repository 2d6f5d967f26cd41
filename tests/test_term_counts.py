"""The relations' links and the classes' nodes kept at every write (``relation-counts``, ``class-counts``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from kg import graph_sizes, queries, term_counts
from kg.load import run_update
from kg.namespaces import CORE_GRAPH, PREFIXES
from kg.resources import queries_dir
from kg.store import LocalStore

KEPT = ("relation-counts", "class-counts")


def answers(store: LocalStore, name: str) -> tuple[bytes, bytes]:
    """The named query's answer (from the kept counts) and the same query text counted, as JSON bytes."""
    db = store.reader()
    named = queries.resolve(name)
    assert named.kept is not None
    counted = queries.NamedQuery.parse(named.text, "inline")  # not kg's own file: counted by the store
    return (queries.serialize(queries.run(db, named), "json"), queries.serialize(queries.run(db, counted), "json"))


def assert_kept_counts_true(store: LocalStore) -> None:
    assert graph_sizes.is_current(store.reader())
    for name in KEPT:
        kept, counted = answers(store, name)
        assert kept == counted, name


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


def test_the_built_store_keeps_what_counting_gives(built: tuple) -> None:  # type: ignore[type-arg]
    assert_kept_counts_true(built[0])


def test_the_named_queries_read_the_kept_counts(copy_built: Callable[[str], LocalStore]) -> None:
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
    relations = {row["relation"]: row["count"] for row in queries.rows(queries.run(db, queries.resolve(KEPT[0])))}
    classes = {row["class"]: row["count"] for row in queries.rows(queries.run(db, queries.resolve(KEPT[1])))}
    assert relations["requiresSkill"] == classes["Skill"] == 123456789
    assert next(iter(relations)) == "requiresSkill" and next(iter(classes)) == "Skill"  # the most, first


def test_a_link_or_node_in_several_graphs_is_counted_once(copy_built: Callable[[str], LocalStore]) -> None:
    """Links and typed nodes copied into other graphs (the default graph too) count once; dropped, they go."""
    store = copy_built("store")
    copy = ("INSERT { GRAPH <https://example.org/a> { ?s ?p ?o } GRAPH <https://example.org/b> { ?s ?p ?o } ?s ?p ?o }"
            f" WHERE {{ GRAPH <{CORE_GRAPH}> {{ ?s ?p ?o FILTER(?p IN (kg:requiresSkill, rdf:type, skos:altLabel)) }}"
            " FILTER(STRENDS(STR(?s), \"a\")) }")
    prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())
    before = {name: answers(store, name)[0] for name in KEPT}
    run_update(store, prefixes + copy)
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in KEPT} == before  # the same links and nodes, in more graphs
    run_update(store, prefixes + "INSERT DATA { GRAPH <https://example.org/b> { <https://example.org/x> a kg:Skill ;"
               " kg:requiresSkill <https://example.org/y> } }")
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in KEPT} != before
    run_update(store, "DROP GRAPH <https://example.org/a> ; DROP GRAPH <https://example.org/b> ; DROP DEFAULT")
    assert_kept_counts_true(store)
    assert {name: answers(store, name)[0] for name in KEPT} == before
