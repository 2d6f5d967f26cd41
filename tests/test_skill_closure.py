"""The skill -> broader skill pairs kept with the data (kg/skill_closure.py) answer ``skill-broader`` as a walk does."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import graph_sizes, lookup_keys, queries, skill_closure, summaries
from kg.load import load_files
from kg.namespaces import ESCO_GRAPH, LOADED_GRAPH, SKILL
from kg.store import LocalStore
from kg.taxonomies import drop
from kg.terms import SKILL_CLASS, TYPE

EX = "https://example.org/closure/"

#: A hierarchy with what the walk must get right: a step through a concept that is no skill (x), a cycle (a, b),
#: a skill of kg's that runs up into another vocabulary's (sql -> e1 -> e2), a skill in two vocabularies (e1, typed in
#: kg's graph too), a broader concept that is no skill at the top (e2 -> top), and a skill with no vocabulary (lone).
HIERARCHY = f"""
@prefix kg:   <https://w3id.org/jobkg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix skill: <{SKILL}> .
@prefix ex:   <{EX}> .
GRAPH <{LOADED_GRAPH}> {{
  skill:pytorch skos:broader ex:x .
  ex:x skos:broader skill:python .
  ex:a a kg:Skill ; skos:prefLabel "A"@en ; skos:broader ex:b .
  ex:b a kg:Skill ; skos:prefLabel "B"@en ; skos:broader ex:a .
  skill:sql skos:broader ex:e1 .
  ex:e1 a kg:Skill .
}}
GRAPH <{ESCO_GRAPH}> {{
  ex:e1 a kg:Skill ; skos:prefLabel "E one"@en ; skos:broader ex:e2 .
  ex:e2 a kg:Skill ; skos:prefLabel "E two"@en ; skos:broader ex:top .
  ex:e3 a kg:Skill ; skos:prefLabel "E three"@en ; skos:broader ex:e1 .
}}
"""


def kept_and_walked(db: ox.Store, vocabulary: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """``skill-broader``'s rows as kg answers on its own store (the kept pairs), and as the query text walks."""
    named = queries.resolve("skill-broader")
    walk = queries.NamedQuery.parse(named.text, "inline")  # not kg's own file: walked by the store
    binding = queries.bind(db, named, {"vocabulary": vocabulary})
    return queries.rows(queries.run(db, named, binding)), queries.rows(queries.run(db, walk, binding))


def pairs(rows: list[dict[str, object]]) -> set[tuple[str, str]]:
    return {(str(row["skill"]).removeprefix(EX).removeprefix(SKILL), str(row["broader"]).removeprefix(EX)
             .removeprefix(SKILL)) for row in rows}


def assert_same(db: ox.Store) -> dict[str, set[tuple[str, str]]]:
    assert graph_sizes.is_current(db)
    out = {}
    for vocabulary in ("kg", "esco", "onet"):
        kept, walked = kept_and_walked(db, vocabulary)
        assert kept == walked, vocabulary  # the same rows, in the same order
        out[vocabulary] = pairs(kept)
    return out


@pytest.fixture
def hierarchy_store(tiny_store: LocalStore, tmp_path: Path) -> LocalStore:
    trig = tmp_path / "hierarchy.trig"
    trig.write_text(HIERARCHY, encoding="utf-8")
    load_files(tiny_store, [trig], force=True)
    return tiny_store


def test_the_kept_pairs_are_the_walk(hierarchy_store: LocalStore) -> None:
    found = assert_same(hierarchy_store.reader())
    assert found["kg"] == {("pytorch", "python"), ("a", "b"), ("a", "a"), ("b", "a"), ("b", "b"),
                           ("sql", "e1"), ("sql", "e2"), ("e1", "e2")}
    assert found["esco"] == {("e1", "e2"), ("e3", "e1"), ("e3", "e2")}
    assert found["onet"] == set()


def test_dropping_a_taxonomy_takes_its_part_of_kgs_pairs(hierarchy_store: LocalStore) -> None:
    assert drop(hierarchy_store, "esco") > 0
    found = assert_same(hierarchy_store.reader())
    # e1 is still a skill of kg's (typed in kg's graph), but its link to e2 went with ESCO
    assert found["kg"] == {("pytorch", "python"), ("a", "b"), ("a", "a"), ("b", "a"), ("b", "b"), ("sql", "e1")}
    assert found["esco"] == set()


def test_a_write_that_names_its_skills_derives_the_pairs_of_those_and_below(hierarchy_store: LocalStore) -> None:
    """As an ingest does: a concept typed a skill by the write becomes a broader skill of those below it."""
    x = ox.NamedNode(EX + "x")

    def type_x(db: ox.Store) -> int:
        db.extend(lookup_keys.with_keys([ox.Quad(x, TYPE, SKILL_CLASS, ox.NamedNode(LOADED_GRAPH))]))
        return summaries.refresh(db, skills=[x.value])

    assert hierarchy_store.write(type_x) > 0
    found = assert_same(hierarchy_store.reader())
    assert {("pytorch", "x"), ("x", "python")} <= found["kg"]
    assert skill_closure.changes(hierarchy_store.reader(), [SKILL + "kubernetes"]) == (set(), set())  # no hierarchy


def test_the_default_build_keeps_the_walks_pairs(built: tuple[LocalStore, Path]) -> None:
    found = assert_same(built[0].reader())
    assert len(found["kg"]) > 100
