"""The SPARQL lexer: query forms, refusing updates and SERVICE, binding by VALUES."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg import sparql
from kg.errors import QueryError


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://e/> # SELECT in a comment\nASK { ?s ex:p 'DELETE' }", "ASK"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/a>", "DESCRIBE"),
        ("INSERT DATA { <http://e/a> <http://e/b> 'SELECT' }", "UPDATE"),
        ("PREFIX ex: <http://e/> DELETE WHERE { ?s ?p ?o }", "UPDATE"),
        ("LOAD <http://example.org/x.ttl>", "UPDATE"),
    ],
)
def test_query_form(text: str, form: str) -> None:
    assert sparql.query_form(text) == form


def test_refuses_update() -> None:
    with pytest.raises(QueryError, match="kg update"):
        sparql.check_read_only("DROP ALL")


def test_refuses_service_unless_allowed() -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    with pytest.raises(QueryError, match="--allow-service"):
        sparql.check_read_only(query)
    assert sparql.check_read_only(query, allow_service=True) == "SELECT"
    assert sparql.check_read_only("SELECT * WHERE { ?s ?p 'SERVICE' }") == "SELECT"


def test_update_refuses_remote_load() -> None:
    with pytest.raises(QueryError, match="--allow-remote"):
        sparql.check_update("LOAD <http://example.org/data.ttl>")
    sparql.check_update("LOAD <http://example.org/data.ttl>", allow_remote=True)


def test_with_values_binds_hostile_text_as_one_literal() -> None:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/label"), ox.Literal("x")))
    query = "SELECT ?s WHERE { ?s <http://e/label> ?l . FILTER(STR(?l) = ?name) }"
    hostile = 'x" } UNION { ?s ?p ?o } #'
    bound = sparql.with_values(query, {"name": ox.Literal(hostile)})
    assert list(store.query(bound)) == []
    bound = sparql.with_values(query, {"name": ox.Literal("x")})
    assert [r["s"].value for r in store.query(bound)] == ["http://e/a"]


def test_with_values_goes_into_the_where_group_of_construct() -> None:
    query = "CONSTRUCT { ?s <http://e/q> ?v } WHERE { ?s <http://e/p> ?v }"
    bound = sparql.with_values(query, {"v": ox.Literal("1")})
    assert bound.index("VALUES") > bound.index("WHERE")


def test_importing_the_lexer_compiles_nothing() -> None:
    """Compiling the terminals takes 0.1 s (Python walks every character of their Unicode ranges): a command
    that runs only kg's own queries never needs them."""
    import subprocess
    import sys

    code = ("import re, kg.sparql as s; assert s._lexer.cache_info().currsize == 0; "
            "assert s.query_form('ASK {}') == 'ASK'; assert s._lexer.cache_info().currsize == 1")
    subprocess.run([sys.executable, "-c", code], check=True)
