"""`kg load` and `kg update`: bulk loading, all-or-nothing, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import queries
from kg.errors import InputError, ParseError, QueryError
from kg.load import load_files, run_update
from kg.namespaces import LOADED_GRAPH
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
GOOD_NT = "<https://example.org/a> <https://example.org/p> \"1\" .\n<https://example.org/b> <https://example.org/p> \"2\" .\n"
GOOD_JSONLD = '{"@id": "https://example.org/c", "https://example.org/p": "3"}'


def graph_sizes(store: LocalStore) -> dict[str, int]:
    return {r["graph"]: r["triples"] for r in queries.rows(queries.run(store.reader(), queries.resolve("graphs")))}


def test_loads_turtle_ntriples_and_jsonld(tmp_path: Path) -> None:
    (tmp_path / "a.nt").write_text(GOOD_NT)
    (tmp_path / "c.jsonld").write_text(GOOD_JSONLD)
    store = LocalStore.at(tmp_path / "s")
    result = load_files(store, [DATA / "tiny.ttl", tmp_path / "a.nt", tmp_path / "c.jsonld"])
    assert result.graph == LOADED_GRAPH
    assert result.triples == graph_sizes(store)[LOADED_GRAPH] > 50


def test_replace_empties_the_graph_first(tmp_path: Path) -> None:
    (tmp_path / "a.nt").write_text(GOOD_NT)
    store = LocalStore.at(tmp_path / "s")
    load_files(store, [DATA / "tiny.ttl"])
    load_files(store, [tmp_path / "a.nt"], replace=True)
    assert graph_sizes(store) == {LOADED_GRAPH: 2}


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n", 3),
        ("bad.nt", GOOD_NT + "<https://example.org/a> <https://example.org/p> oops .\n", 3),
        ("bad.jsonld", '{"@id": "https://example.org/a",\n "https://example.org/p": [}', 2),
    ],
)
def test_malformed_file_names_file_and_line_and_changes_nothing(tmp_path: Path, name: str, text: str, line: int) -> None:
    store = LocalStore.at(tmp_path / "s")
    load_files(store, [DATA / "tiny.ttl"])
    before = sorted(map(str, store.reader()))
    bad = tmp_path / name
    bad.write_text(text)
    (tmp_path / "good.nt").write_text(GOOD_NT)
    with pytest.raises(ParseError, match=rf"{name} line {line}: malformed RDF"):
        load_files(store, [tmp_path / "good.nt", bad])
    assert sorted(map(str, store.reader())) == before


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p / "missing.ttl", "no such file"),
        (lambda p: (p / "dir.ttl").mkdir() or p / "dir.ttl", "is a directory"),
        (lambda p: (p / "empty.ttl").write_text("") and None or p / "empty.ttl", "the file is empty"),
        (lambda p: (p / "notes.docx").write_text("x") and None or p / "notes.docx", "unknown RDF format"),
    ],
)
def test_bad_paths(tmp_path: Path, setup, message: str) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match=message):
        load_files(LocalStore.at(tmp_path / "s"), [setup(tmp_path)])
    assert not LocalStore.at(tmp_path / "s").exists


def test_update_is_atomic(tiny_store: LocalStore) -> None:
    before = len(tiny_store.reader())
    run_update(tiny_store, "PREFIX kg: <https://w3id.org/jobkg/ontology#> DELETE WHERE { GRAPH ?g { ?r kg:prefersSkill ?s } }")
    assert len(tiny_store.reader()) == before - 4
    with pytest.raises(QueryError, match="bad SPARQL Update"):
        run_update(tiny_store, "DELETE WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="--allow-remote"):
        run_update(tiny_store, "LOAD <http://example.org/x.ttl>")
    assert len(tiny_store.reader()) == before - 4
