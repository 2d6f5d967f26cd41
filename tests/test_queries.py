"""Named queries: headers, binding, every .rq file runs, result formats."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import queries
from kg.errors import NotFoundError, QueryError, UsageError
from kg.paging import first_rows
from kg.resources import queries_dir
from kg.store import LocalStore

REQUIRED = [
    "skills-for-role", "roles-for-skill", "companies-for-skill", "companies-for-role", "roles-at-company",
    "skills-in-domain", "top-skills", "top-skills-by-domain", "domain-tree", "shared-skills",
]

#: Parameters that make each named query return rows on the default graph.
EXAMPLE_PARAMS = {
    "role": "data scientist", "role1": "data scientist", "role2": "data engineer",
    "skill": "python", "company": "NVIDIA", "domain": "machine learning", "root": "EDA", "top": "3",
    "name": "data scientist", "kind": "Role", "split": "2024-07",
}
#: The seed postings have no dates and no places: these answer on ingested postings (tests/test_trends.py).
DATED = {"skill-trend", "rising-skills", "skills-by-location", "places"}


def all_query_files() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


def test_the_required_queries_exist() -> None:
    assert set(REQUIRED) <= set(all_query_files())
    assert len(all_query_files()) >= 10


@pytest.mark.parametrize("name", all_query_files())
def test_every_query_has_a_header(name: str) -> None:
    query = queries.resolve(name)
    assert query.name == name
    assert query.description
    assert query.examples and query.examples[0].startswith(f"kg query {name}")
    for param in query.params:
        assert f"?{param.name}" in query.text, f"{name} declares {param.name} but does not use it"


@pytest.mark.parametrize("name", all_query_files())
def test_every_query_runs_on_the_default_graph(name: str, built: tuple[LocalStore, object]) -> None:
    store, _ = built
    query = queries.resolve(name)
    params = {p.name: EXAMPLE_PARAMS[p.name] for p in query.params if not p.optional}
    page = first_rows(queries.run(store.reader(), query, params), query.page)  # what `kg query` shows
    rows = queries.rows(page.result)
    assert rows or name in DATED, f"{name} returned no rows on the default graph with {params}"
    assert len(rows) <= query.page


#: The named queries kg's embedded store answers with a text of its own (``# embedded:``), and more skills to ask.
EMBEDDED = sorted(q.name for q in queries.list_queries() if q.embedded)
MORE_SKILLS = ("python", "pytorch", "sql", "kubernetes", "verilog", "c++", "communication")


def test_roles_for_skill_has_an_embedded_text() -> None:
    assert "roles-for-skill" in EMBEDDED  # 2.7 s from a cold CLI on 100,000 postings with the portable one


@pytest.mark.parametrize("name", EMBEDDED)
def test_an_embedded_text_answers_as_the_portable_one(name: str, built: tuple[LocalStore, object]) -> None:
    """On kg's own store the ``# embedded:`` text runs; it gives the portable text's rows, in its order."""
    db = built[0].reader()
    query = queries.resolve(name)
    assert queries.local_text(db, query).text != query.text
    portable = replace(query, path=None)  # not as shipped: run as given
    asked = [{p.name: EXAMPLE_PARAMS[p.name] for p in query.params if not p.optional}]
    if any(p.name == "skill" for p in query.params):
        asked += [{**asked[0], "skill": skill} for skill in MORE_SKILLS]
    answered = 0
    for params in asked:
        binding = queries.bind(db, query, params)
        here = queries.rows(queries.run(db, query, binding))
        there = queries.rows(queries.run(db, portable, binding))
        assert here == there, params
        answered += bool(here)
    assert answered >= len(asked) - 1  # the comparisons are of rows, not of empty answers


def tiny_rows(store: LocalStore, name: str, **params: str) -> list[dict]:
    return queries.rows(queries.run(store.reader(), queries.resolve(name), params))


def test_skills_for_role_matches_labels_in_any_case(tiny_store: LocalStore) -> None:
    rows = tiny_rows(tiny_store, "skills-for-role", role="ml ENGINEER")
    assert [(r["label"], r["level"]) for r in rows] == [
        ("Kubernetes", "required"), ("Python", "required"), ("PyTorch", "required"), ("Apache Spark", "preferred"),
    ]
    same = tiny_rows(tiny_store, "skills-for-role", role="Machine learning engineer")
    assert [{**r, "role": None} for r in rows] == [{**r, "role": None} for r in same]


def test_skills_for_role_says_how_many_postings_require_a_skill(tiny_store: LocalStore, tmp_path: Path) -> None:
    """The level is the role's (its profile's, or the postings' majority once enough ask); the postings asking for a
    skill may ask for it at another level: two more data engineer postings, one requiring Python and one preferring
    it, add 2 to Python's postings and 1 to those requiring it. Before, the row said "required, N postings" only."""
    from kg.ingest import ingest

    def counts() -> dict[str, tuple]:
        rows = tiny_rows(tiny_store, "skills-for-role", role="data engineer")
        return {r["label"]: (r["level"], r["postings"] or 0, r["required_by"] or 0, r["role_postings"]) for r in rows}

    def posting_file(name: str, title: str, texts: tuple[str, ...]) -> str:
        path = tmp_path / name
        path.write_text("".join(json.dumps({"title": title, "company": "Acme", "description": text}) + "\n"
                                for text in texts), encoding="utf-8")
        return str(path)

    ingest(tiny_store, [posting_file("first.jsonl", "Accountant", ("You know Excel.",))])  # the store's postings
    before = counts()
    ingest(tiny_store, [posting_file("two.jsonl", "Data Engineer",
                                     ("You know Python and SQL.", "You know SQL. Python is a plus."))])
    after = counts()
    level, postings, required_by, role_postings = before["Python"]
    assert after["Python"] == (level, postings + 2, required_by + 1, role_postings + 2)
    level, postings, required_by, role_postings = before["SQL"]
    assert after["SQL"] == (level, postings + 2, required_by + 2, role_postings + 2)
    assert all(0 <= required <= asked for _, asked, required, _ in after.values())


def test_roles_for_skill_through_an_alias(tiny_store: LocalStore) -> None:
    rows = tiny_rows(tiny_store, "roles-for-skill", skill="k8s")
    assert [(r["label"], r["level"]) for r in rows] == [
        ("Machine learning engineer", "required"), ("Data engineer", "preferred")]


def test_shared_skills(tiny_store: LocalStore) -> None:
    rows = tiny_rows(tiny_store, "shared-skills", role1="data scientist", role2="data engineer")
    assert {(r["label"], r["level1"], r["level2"]) for r in rows} == {
        ("Python", "required", "required"), ("SQL", "required", "required"), ("Apache Spark", "preferred", "required"),
    }


def test_companies_and_roles(tiny_store: LocalStore) -> None:
    assert [r["label"] for r in tiny_rows(tiny_store, "roles-at-company", company="acme")] == [
        "Data scientist", "Machine learning engineer"]
    assert [r["label"] for r in tiny_rows(tiny_store, "companies-for-skill", skill="spark")] == ["Acme Corp", "Globex"]
    assert [r["label"] for r in tiny_rows(tiny_store, "companies-for-role", role="data engineer")] == ["Globex"]


def test_skills_in_domain_includes_subdomains(tiny_store: LocalStore) -> None:
    labels = {r["label"] for r in tiny_rows(tiny_store, "skills-in-domain", domain="technology")}
    assert labels == {"Python", "Kubernetes", "PyTorch", "Statistics", "SQL", "Apache Spark", "Apache Airflow"}
    assert {r["label"] for r in tiny_rows(tiny_store, "skills-in-domain", domain="ML")} == {"PyTorch", "Statistics"}


def test_top_skills_counts(tiny_store: LocalStore) -> None:
    rows = tiny_rows(tiny_store, "top-skills")
    python = next(r for r in rows if r["label"] == "Python")
    assert (python["required_by"], python["preferred_by"]) == (3, 0)
    assert rows[0]["label"] == "Python"


def test_top_skills_by_domain_keeps_top_n(tiny_store: LocalStore) -> None:
    rows = tiny_rows(tiny_store, "top-skills-by-domain", top="2")
    assert [(r["domainLabel"], r["label"], r["demand"]) for r in rows] == [
        ("Technology", "Apache Spark", 3), ("Technology", "Python", 3)]


def test_injection_in_a_param_is_only_a_value(tiny_store: LocalStore) -> None:
    hostile = 'x" } UNION { ?s ?p ?o } #'
    with pytest.raises(NotFoundError, match="no role called"):
        tiny_rows(tiny_store, "skills-for-role", role=hostile)
    query = queries.resolve("SELECT ?label ?value WHERE { ?s skos:prefLabel ?label FILTER(STR(?label) = ?value) }")
    assert queries.rows(queries.run(tiny_store.reader(), query, {"value": hostile})) == []


def test_missing_and_unknown_params() -> None:
    query = queries.resolve("skills-for-role")
    with pytest.raises(UsageError, match="needs --param role"):
        queries.bindings_for(query, {})
    with pytest.raises(UsageError, match="no parameter 'colour'"):
        queries.bindings_for(query, {"role": "x", "colour": "red"})
    with pytest.raises(UsageError, match="malformed --param"):
        queries.parse_params(["role"])


def test_unknown_query_name_suggests() -> None:
    with pytest.raises(QueryError, match="did you mean skills-for-role"):
        queries.resolve("skill-for-role")


def test_bad_sparql_is_a_query_error(tiny_store: LocalStore) -> None:
    with pytest.raises(QueryError, match="bad SPARQL"):
        queries.run(tiny_store.reader(), queries.resolve("SELECT * WHERE { ?s ?p }"))


def test_w3c_result_formats(tiny_store: LocalStore) -> None:
    result = lambda: queries.run(tiny_store.reader(), queries.resolve("roles-at-company"), {"company": "Globex"})  # noqa: E731
    document = json.loads(queries.serialize(result(), "json"))
    assert document["head"]["vars"] == ["company", "role", "label", "postings"]
    assert document["results"]["bindings"][0]["label"] == {
        "type": "literal", "value": "Data engineer", "xml:lang": "en"}
    table = list(csv.reader(io.StringIO(queries.serialize(result(), "csv").decode())))
    assert table == [["company", "role", "label", "postings"],
                     ["https://w3id.org/jobkg/id/company/globex", "https://w3id.org/jobkg/id/role/data-engineer",
                      "Data engineer", "0"]]
    tsv = queries.serialize(result(), "tsv").decode().splitlines()
    assert tsv[0] == "?company\t?role\t?label\t?postings"
    assert tsv[1] == ('<https://w3id.org/jobkg/id/company/globex>\t<https://w3id.org/jobkg/id/role/data-engineer>'
                      '\t"Data engineer"@en\t0')


def test_construct_gives_a_graph(tiny_store: LocalStore) -> None:
    query = queries.resolve("CONSTRUCT { ?r ?p ?o } WHERE { ?r a kg:Role ; ?p ?o } ")
    text = queries.serialize(queries.run(tiny_store.reader(), query), "nt")
    assert len(list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES))) > 10
    with pytest.raises(UsageError):
        queries.serialize(queries.run(tiny_store.reader(), query), "csv")


@pytest.mark.parametrize("path", sorted([*queries_dir().glob("*.rq"), *queries_dir().glob("internal/*.rq")]),
                         ids=lambda p: p.name)
def test_every_shipped_query_is_read_only_and_calls_no_service(path: Path) -> None:
    """kg runs its own queries without lexing them again (the lexer costs 0.1 s of every command): so each must
    pass the guard that every other query passes at run time."""
    from kg import sparql

    assert sparql.check_read_only(path.read_text(encoding="utf-8")) in sparql.QUERY_FORMS


def test_a_query_is_checked_unless_it_is_a_shipped_file_as_shipped() -> None:
    db = ox.Store()
    shipped = queries.resolve("has-triple")
    assert queries.rows(queries.run(db, shipped)) == [{"result": False}]
    altered = queries.NamedQuery.parse("SELECT * WHERE { SERVICE <http://localhost:1/> { ?s ?p ?o } }",
                                       "has-triple", shipped.path)
    with pytest.raises(QueryError, match="SERVICE"):
        queries.run(db, altered)
    with pytest.raises(QueryError, match="SPARQL Update"):
        queries.run(db, queries.NamedQuery.parse("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "inline"))
