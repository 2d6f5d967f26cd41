"""`kg load` and `kg update`: bulk loading, all-or-nothing, clear errors."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import load as load_module
from kg import queries
from kg.errors import InputError, ParseError, QueryError
from kg.export import sorted_ntriples
from kg.load import load_files, run_update
from kg.namespaces import LOADED_GRAPH, SIZES_GRAPH, is_index_graph
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
GOOD_NT = ("<https://example.org/a> <https://example.org/p> \"1\" .\n"
           "<https://example.org/b> <https://example.org/p> \"2\" .\n")
DELETE_PREFERENCES = "PREFIX kg: <https://w3id.org/jobkg/ontology#> DELETE WHERE { GRAPH ?g { ?r kg:prefersSkill ?s } }"
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
    assert {g: n for g, n in graph_sizes(store).items() if g != SIZES_GRAPH} == {LOADED_GRAPH: 2}


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.ttl", "@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"open .\n", 3),
        ("bad.nt", GOOD_NT + "<https://example.org/a> <https://example.org/p> oops .\n", 3),
        ("bad.jsonld", '{"@id": "https://example.org/a",\n "https://example.org/p": [}', 2),
    ],
)
def test_malformed_file_names_file_and_line_and_changes_nothing(tmp_path: Path, name: str, text: str, line: int,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "CHUNK_TRIPLES", 1)  # the error comes after chunks went to the loader threads
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
        (lambda p: ((p / "empty.ttl").write_text("") and None) or p / "empty.ttl", "the file is empty"),
        (lambda p: ((p / "notes.docx").write_text("x") and None) or p / "notes.docx", "unknown RDF format"),
    ],
)
def test_bad_paths(tmp_path: Path, setup, message: str) -> None:  # noqa: ANN001
    with pytest.raises(InputError, match=message):
        load_files(LocalStore.at(tmp_path / "s"), [setup(tmp_path)])
    assert not LocalStore.at(tmp_path / "s").exists


def data_size(store: LocalStore) -> int:
    """The quads of a store outside what kg derives to answer fast (which follows the data: a company-skill row
    goes with the last role preference it counted)."""
    return sum(1 for q in store.reader()
               if not (isinstance(q.graph_name, ox.NamedNode) and is_index_graph(q.graph_name.value)))


def test_update_is_atomic(tiny_store: LocalStore) -> None:
    before = data_size(tiny_store)
    run_update(tiny_store, DELETE_PREFERENCES)
    assert data_size(tiny_store) == before - 4
    everything = sorted(map(str, tiny_store.reader()))
    with pytest.raises(QueryError, match="bad SPARQL Update"):
        run_update(tiny_store, "DELETE WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="--allow-remote"):
        run_update(tiny_store, "LOAD <http://example.org/x.ttl>")
    assert sorted(map(str, tiny_store.reader())) == everything


# ------------------------------------------------------------------ the triple log beside each generation

#: Literals Oxigraph writes back in canonical form, a language tag in capitals, blank nodes (one of
#: them in triples far apart, so in different chunks), a repeated triple.
UNUSUAL_TTL = """@prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:n "01"^^xsd:integer , "1.50"^^xsd:decimal , "1"^^xsd:boolean , "1e0"^^xsd:double ;
     ex:when "2024-01-01T10:00:00+00:00"^^xsd:dateTime ; ex:l "Hi"@EN-GB ; ex:b [ ex:p "x" ] .
ex:a ex:n "01"^^xsd:integer .
_:far ex:p "first" .
""" + "".join(f"ex:filler{i} ex:p {i} .\n" for i in range(30)) + """_:far ex:p "last" .
"""
UNUSUAL_TRIG = """@prefix ex: <https://example.org/> .
ex:d ex:p "in the default graph" .
ex:g { ex:d ex:p "in a named graph" , "007"^^<http://www.w3.org/2001/XMLSchema#int> . }
"""


@pytest.fixture
def unusual_files(tmp_path: Path) -> list[Path]:
    (tmp_path / "unusual.ttl").write_text(UNUSUAL_TTL)
    (tmp_path / "unusual.trig").write_text(UNUSUAL_TRIG)
    (tmp_path / "a.nt").write_text(GOOD_NT)
    return [DATA / "tiny.ttl", tmp_path / "unusual.ttl", tmp_path / "unusual.trig", tmp_path / "a.nt"]


def data_quads(store: LocalStore) -> list[ox.Quad]:
    """The quads of a store but the lookup keys and summaries kg derives from them."""
    return [q for q in store.reader()
            if not (isinstance(q.graph_name, ox.NamedNode) and is_index_graph(q.graph_name.value))]


def test_chunked_load_holds_what_one_bulk_load_holds(tmp_path: Path, unusual_files: list[Path],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load_module, "CHUNK_TRIPLES", 5)  # many chunks, on several threads, growing to 10
    monkeypatch.setattr(load_module, "CHUNKS_BEFORE_GROWING", 2)
    monkeypatch.setattr(load_module, "CHUNK_MAX", 10)
    store = LocalStore.at(tmp_path / "s")
    load_files(store, unusual_files)
    expected = ox.Store()
    for path in unusual_files:
        fmt = load_module.rdf_format(path)
        options = {} if fmt.supports_datasets else {"to_graph": ox.NamedNode(LOADED_GRAPH)}
        expected.bulk_load(path=str(path), format=fmt, **options)
    expected.update(f"ADD DEFAULT TO <{LOADED_GRAPH}> ; CLEAR DEFAULT")  # kg load puts a dataset's default graph there
    data = data_quads(store)
    ours, theirs = ox.Dataset(data), ox.Dataset(expected)
    ours.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    theirs.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert ours == theirs
    assert len(ours) == len(data) > 80
    exported = sorted_ntriples(store.reader())
    assert b'"1"^^<http://www.w3.org/2001/XMLSchema#integer>' in exported and b'"01"^^' not in exported
    assert b'"in a named graph"' in exported and b'"007"' not in exported  # Oxigraph keeps xsd:int as an integer


def test_triple_logs_of_an_earlier_kg_go_at_the_next_write(tmp_path: Path) -> None:
    """kg kept a copy of each generation's triples beside it until 2026-12; the next write removes them."""
    store = LocalStore.at(tmp_path / "s")
    load_files(store, [DATA / "tiny.ttl"])
    current = (tmp_path / "s" / "HEAD").read_text().strip()
    (tmp_path / "s" / f"{current}.nt").write_text(GOOD_NT)
    (tmp_path / "s" / f".{current}.nt.123.tmp").write_text(GOOD_NT)
    (tmp_path / "a.nt").write_text(GOOD_NT)
    load_files(store, [tmp_path / "a.nt"])
    assert not [p.name for p in (tmp_path / "s").iterdir() if p.name.endswith((".nt", ".tmp"))]
    data = data_quads(store)
    assert sorted_ntriples(store.reader()).count(b"\n") == len(data)
