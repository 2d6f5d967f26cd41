"""`kg query --limit`: a page of the answer in every format, the same bytes when nothing is left out, a note when
something is (kg/paging.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg import paging, queries, sparql
from kg.cli import cli
from kg.numbers import PAGE_ROWS
from kg.store import LocalStore

FORMATS = ["table", "json", "csv", "tsv", "xml"]
#: Every kind of term a row can hold: IRIs, blank nodes, plain, language-tagged and typed literals, a tab and a
#: line break inside a literal, and an unbound cell.
TERMS_QUERY = """
SELECT ?x ?y WHERE {
  { BIND(TRIPLE(<https://example.org/s>, <https://example.org/p>, "o\\tp"@en) AS ?x) BIND("" AS ?y) }
  UNION
  { VALUES (?x ?y) {
    (<https://example.org/a> "plain")
    ("tab\\tand\\nline" "é"@fr)
    (1 "2.50"^^<http://www.w3.org/2001/XMLSchema#decimal>)
    ("1e0"^^<http://www.w3.org/2001/XMLSchema#double> UNDEF)
    (true "x"^^<https://example.org/type>)
    ("quote \\" backslash \\\\ bell \\u0007 return \\r" UNDEF)
  } }
  UNION
  { BIND(STRLANGDIR("in Arabic", "ar", "rtl") AS ?y) }
}
"""


def run_cli(runner: CliRunner, store: LocalStore, *args: str) -> tuple[bytes, str]:
    result = runner.invoke(cli, ["--store", str(store.path), "query", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes, result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_page_is_the_head_of_the_answer_and_says_more_were_left_out(
        fmt: str, built: tuple[LocalStore, Path], runner: CliRunner) -> None:
    store = built[0]
    whole, quiet = run_cli(runner, store, "skill-contexts", "-f", fmt, "--limit", "0")
    assert quiet == ""
    rows = queries.rows(queries.run(store.reader(), queries.resolve("skill-contexts")))
    assert len(rows) > 20
    page, note = run_cli(runner, store, "skill-contexts", "-f", fmt, "--limit", "7")
    assert note == "kg: note: showing the first 7 rows; more were left out (--limit N for more, --limit 0 for all)\n"
    if fmt in ("csv", "tsv", "table"):  # one line a row here (no line break in these values), after the header
        assert page.splitlines() == whole.splitlines()[:8]
    result = paging.first_rows(queries.run(store.reader(), queries.resolve("skill-contexts")), 7)
    assert result.more and queries.rows(result.result) == rows[:7]


@pytest.mark.parametrize("fmt", FORMATS)
def test_nothing_left_out_is_the_same_bytes_and_no_note(fmt: str, built: tuple[LocalStore, Path],
                                                        runner: CliRunner) -> None:
    store = built[0]
    whole, _ = run_cli(runner, store, "top-skills", "-f", fmt, "--limit", "0")
    count = len(queries.rows(queries.run(store.reader(), queries.resolve("top-skills"))))
    for limit in (str(count), str(PAGE_ROWS)):  # exactly the rows there are, and the default page
        page, note = run_cli(runner, store, "top-skills", "-f", fmt, "--limit", limit)
        assert (page, note) == (whole, "")
    cut, note = run_cli(runner, store, "top-skills", "-f", fmt, "--limit", str(count - 1))
    assert cut != whole and "more were left out" in note


@pytest.mark.parametrize("fmt", ["json", "csv", "tsv", "xml"])
def test_every_kind_of_term_survives_the_page(fmt: str) -> None:
    db = ox.Store()
    whole, paged = io.BytesIO(), io.BytesIO()
    queries.write_result(db.query(TERMS_QUERY), fmt, whole)
    page = paging.first_rows(db.query(TERMS_QUERY), 8)
    assert not page.more
    queries.write_result(page.result, fmt, paged)
    assert paged.getvalue() == whole.getvalue()
    blank = paging.first_rows(db.query("SELECT ?b WHERE { BIND(BNODE() AS ?b) }"), 1)
    assert isinstance(next(iter(blank.result))["b"], ox.BlankNode)


def test_the_default_page_is_said_in_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "--help"])
    said = " ".join(result.output.split())
    assert result.exit_code == 0 and f"Default: {PAGE_ROWS:,}, or a named query's own page" in said
    refused = runner.invoke(cli, ["query", "graphs", "--limit", "-1"])
    assert refused.exit_code == 2


def test_ask_and_construct_are_not_cut() -> None:
    db = ox.Store()
    db.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                   ox.Literal("o"), ox.NamedNode("https://example.org/g")))
    assert bool(paging.first_rows(db.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True), 1).result)
    graph = paging.first_rows(db.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True), 1)
    assert not graph.more and len(list(graph.result)) == 1


#: Whole tables: their first page must cost a page, so their rows come as the store finds them, unsorted, ungrouped.
STREAMED = ("quads", "skill-contexts", "role-skills", "postings-for-skill", "evidence")


@pytest.mark.parametrize("name", STREAMED)
def test_whole_tables_neither_rank_nor_group(name: str) -> None:
    words = " ".join(t.text.upper() for t in sparql.tokens(queries.resolve(name).text) if t.kind == "word")
    assert "ORDER BY" not in words and "GROUP BY" not in words


def test_a_whole_table_gives_the_same_bytes_twice(built: tuple[LocalStore, Path], runner: CliRunner) -> None:
    store = built[0]
    first = run_cli(runner, store, "skill-contexts", "-f", "csv", "--limit", "100")
    assert run_cli(runner, store, "skill-contexts", "-f", "csv", "--limit", "100") == first


def test_a_query_header_sets_its_own_page(built: tuple[LocalStore, Path], runner: CliRunner, tmp_path: Path) -> None:
    store = built[0]
    text = queries.resolve("skill-contexts").text.replace("# name: skill-contexts", "# name: contexts\n# page: 3")
    path = tmp_path / "contexts.rq"
    path.write_text(text, encoding="utf-8")
    assert queries.resolve(str(path)).page == 3 and queries.resolve("skill-contexts").page == PAGE_ROWS
    page, note = run_cli(runner, store, str(path), "-f", "csv")
    whole, quiet = run_cli(runner, store, str(path), "-f", "csv", "--limit", "0")
    assert page.splitlines() == whole.splitlines()[:4] and len(whole.splitlines()) > 20 and quiet == ""
    assert note.startswith("kg: note: showing the first 3 rows; more were left out")


@pytest.mark.parametrize("name", ["postings-for-skill", "evidence"])
def test_lists_of_postings_show_a_thousand_rows_unless_asked(name: str) -> None:
    assert queries.resolve(name).page == 1000
