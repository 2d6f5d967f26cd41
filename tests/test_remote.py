"""A real Oxigraph server: push the default graph, then every named query answers the same there as here."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from conftest import free_port, oxigraph_serving
from kg import queries
from kg.cli import cli
from kg.errors import QueryError, UsageError
from kg.push import push
from kg.remote import Endpoint, guess_graph_store_url
from kg.resources import queries_dir
from kg.source import RemoteGraph
from kg.store import LocalStore

pytestmark = pytest.mark.server

DATA = Path(__file__).parent / "data"

#: Parameters that make each named query return rows on the default graph (as in test_queries.py).
EXAMPLE_PARAMS = {
    "role": "data scientist", "role1": "data scientist", "role2": "data engineer",
    "skill": "python", "company": "NVIDIA", "domain": "machine learning", "root": "EDA", "top": "3",
    "name": "Data  SCIENTIST", "kind": "Role",
}
SECRET = "s3cret-Pa55word"
TOKEN = "tok-0123456789abcdef"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server of this module's own, which its tests write to freely."""
    with oxigraph_serving(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(scope="module")
def default_store(built: tuple[LocalStore, Path]) -> LocalStore:
    """The default dataset: the session's build (only read here)."""
    return built[0]


@pytest.fixture(scope="module")
def pushed(server: str, default_store: LocalStore) -> RemoteGraph:
    """The server holding the default dataset, pushed in small batches with --replace."""
    endpoint = Endpoint.from_env(server, environ={})
    result = push(default_store.reader(), endpoint, replace=True, batch_bytes=1_000_000)
    assert result.requests > 2
    assert result.triples == len(default_store.reader())
    return RemoteGraph(endpoint)


def count(endpoint: Endpoint, graph: str) -> int:
    query = queries.resolve(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return queries.rows(queries.run(RemoteGraph(endpoint), query))[0]["n"]


def named_queries() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def test_result_formats_are_the_same_bytes(pushed: RemoteGraph, default_store: LocalStore) -> None:
    query = queries.resolve("skills-for-role")
    params = {"role": "data scientist"}
    for fmt in ("json", "csv", "tsv", "xml"):
        here = queries.serialize(queries.run(default_store.reader(), query, params), fmt)
        assert queries.serialize(queries.run(pushed, query, params), fmt) == here, fmt


def test_construct_gives_a_graph(pushed: RemoteGraph, default_store: LocalStore) -> None:
    query = queries.resolve(
        "CONSTRUCT { ?d a kg:Domain ; skos:prefLabel ?l } WHERE { ?d a kg:Domain ; skos:prefLabel ?l }")
    here = queries.serialize(queries.run(default_store.reader(), query), "nt")
    assert here
    assert queries.serialize(queries.run(pushed, query), "nt") == here


def canonical(triples: Iterable[ox.Triple | ox.Quad]) -> set[str]:
    """Triples with canonical blank node labels (RDFC-1.0): equal sets mean isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def test_batches_keep_blank_nodes_joined(server: str, default_store: LocalStore) -> None:
    graph = "https://example.org/test/batched"
    endpoint = Endpoint.from_env(server, environ={})
    db = default_store.reader()  # the default dataset's blank nodes (the ontology's lists) among 3,000 other triples
    sample = ox.Store()
    sample.extend([q for q in db if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)])
    sample.extend(itertools.islice(db, 3000))
    result = push(sample, endpoint, graph, replace=True, batch_bytes=30_000)
    assert result.graphs == (graph,) and result.requests > 10
    nt = queries.serialize(queries.run(RemoteGraph(endpoint), queries.resolve(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")), "nt")
    here = {ox.Triple(q.subject, q.predicate, q.object) for q in sample}
    assert any(isinstance(t.subject, ox.BlankNode) for t in here)
    assert canonical(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)) == canonical(here)


def test_replace_replaces_and_push_without_it_adds(server: str, tiny_store: LocalStore, tmp_path: Path) -> None:
    graph = "https://example.org/test/replace"
    endpoint = Endpoint.from_env(server, environ={})
    tiny = len(tiny_store.reader())
    other = LocalStore.at(tmp_path / "other")
    from kg.load import load_files

    other_file = tmp_path / "other.nt"
    other_file.write_text("<https://example.org/a> <https://example.org/b> \"c\" .\n", encoding="utf-8")
    load_files(other, [other_file])

    push(tiny_store.reader(), endpoint, graph, replace=True)
    push(tiny_store.reader(), endpoint, graph, replace=True)
    assert count(endpoint, graph) == tiny
    push(other.reader(), endpoint, graph)
    def triples(store: LocalStore) -> set[ox.Triple]:  # in one graph: what the stores hold alike counts once
        return {ox.Triple(q.subject, q.predicate, q.object) for q in store.reader()}

    assert count(endpoint, graph) == len(triples(tiny_store) | triples(other)) > tiny  # its triple, its sizes
    push(other.reader(), endpoint, graph, replace=True)
    assert count(endpoint, graph) == len(other.reader())


def test_cli_push_and_query_on_the_endpoint(server: str, tiny_store: LocalStore, runner: CliRunner) -> None:
    graph = "https://example.org/test/cli"
    result = runner.invoke(cli, ["--store", str(tiny_store.path), "--quiet", "push", "--endpoint", server,
                                 "--graph", graph, "--replace"])
    assert result.exit_code == 0, result.output
    assert count(Endpoint.from_env(server, environ={}), graph) == len(tiny_store.reader())

    query = f"SELECT ?label WHERE {{ GRAPH <{graph}> {{ ?s a kg:Skill ; skos:prefLabel ?label }} }} ORDER BY ?label"
    remote = runner.invoke(cli, ["query", query, "--endpoint", server, "-f", "json"])
    local = runner.invoke(cli, ["--store", str(tiny_store.path), "query",
                                query.replace(f"GRAPH <{graph}>", "GRAPH ?g"), "-f", "json"])
    assert remote.exit_code == 0 and local.exit_code == 0, remote.output + local.output
    labels = [b["label"]["value"] for b in json.loads(remote.stdout)["results"]["bindings"]]
    assert "PyTorch" in labels
    assert json.loads(remote.stdout) == json.loads(local.stdout)


def test_a_malformed_query_is_a_query_error(pushed: RemoteGraph) -> None:
    with pytest.raises(QueryError, match="refused the query"):
        pushed.endpoint.query("SELECT ?x WHERE { ?x kg:nope }", {})


def test_an_unreachable_endpoint_is_one_line_and_exit_9(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    env = {**os.environ, "KG_ENDPOINT_PASSWORD": SECRET, "KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_RETRIES": "1"}
    kg = Path(sys.executable).parent / "kg"
    done = subprocess.run([str(kg), "query", "class-counts", "--endpoint", url], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert done.returncode == 9
    assert done.stderr == f"kg: error: cannot reach {url}: connection refused\n"
    assert done.stdout == ""


def test_credentials_in_the_url_are_refused_without_echoing_them(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "ASK {}", "--endpoint", f"http://alice:{SECRET}@127.0.0.1:1/query"])
    assert result.exit_code == 2
    assert SECRET not in result.output and "KG_ENDPOINT_USER" in result.output
    with pytest.raises(UsageError):
        Endpoint.from_env("ftp://example.org/sparql", environ={})


@pytest.mark.parametrize(("query_url", "store_url"), [
    ("http://localhost:7878/query", "http://localhost:7878/store"),
    ("http://localhost:3030/jobs/sparql", "http://localhost:3030/jobs/data"),
    ("http://localhost:3030/jobs/query", "http://localhost:3030/jobs/data"),
    ("http://localhost:7200/repositories/jobs", "http://localhost:7200/repositories/jobs/rdf-graphs/service"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud-auth"),
    ("http://localhost:9999/somewhere/else", None),
])
def test_the_graph_store_url_is_guessed_for_known_servers(query_url: str, store_url: str | None) -> None:
    assert guess_graph_store_url(query_url) == store_url


def test_parameters_reach_the_sub_selects_that_project_them() -> None:
    from kg.sparql import bind_values

    text = ("SELECT ?skill ?n WHERE { { SELECT DISTINCT ?skill ?s WHERE { ?s ?p ?l } } "
            "{ SELECT ?s (COUNT(?x) AS ?n) WHERE { ?s ?q ?x } GROUP BY ?s } }")
    bound = bind_values(text, {"skill": ox.Literal('py"thon')})
    block = ' VALUES (?skill) { ("py\\"thon") } '
    assert bound.startswith("SELECT ?skill ?n WHERE {" + block)
    assert "SELECT DISTINCT ?skill ?s WHERE {" + block + " ?s ?p ?l" in bound
    assert "WHERE { ?s ?q ?x }" in bound
    assert bound.count(block) == 2
