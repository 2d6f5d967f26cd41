"""Hostile and careless use of the command line: XML that always parses, errors that are ours, one line each.

Issue 18 (round two): labels holding control characters, a read-only store, bad environment
variables and option values, ``-o`` onto a folder, ``--graph`` that is no IRI, ``kg query -o`` with
a table, and N-Quads aimed at kg's own graphs.
"""

from __future__ import annotations

import builtins
import errno
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.errors import EXIT_CODES, StoreError, UsageError
from kg.namespaces import CORE_GRAPH, DERIVED_GRAPH, GRAPH, KG, LOADED_GRAPH, POSTINGS_GRAPH, RDF, SKOS, SUMMARY_GRAPH
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"

#: A skill whose labels hold every C0 control character XML 1.0 cannot write, and U+FFFE.
CONTROL_LABEL = "py\u0001thon \u0008\u000b\u001f end \ufffe"


def one_error_line(result: Result, code: int) -> str:
    """The one ``kg: error:`` line of a failed command, after checking its exit code and that nothing else was said."""
    assert result.exit_code == code, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    assert "internal error" not in lines[0] and "Usage:" not in result.stderr
    assert code in EXIT_CODES
    return lines[0]


@pytest.fixture
def control_store(tmp_path: Path) -> Path:
    """A store holding one skill labelled with control characters."""
    data = tmp_path / "control.nt"
    label = ox.Literal(CONTROL_LABEL, language="en")
    skill = ox.NamedNode("https://example.org/skill/control")
    triples = [ox.Triple(skill, ox.NamedNode(SKOS + "prefLabel"), label),
               ox.Triple(skill, ox.NamedNode(RDF + "type"), ox.NamedNode(KG + "Skill"))]
    data.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    store = tmp_path / "store"
    from kg.load import load_files

    load_files(LocalStore.at(store), [data])
    return store


# ------------------------------------------------------------------ every XML output parses


def test_graphml_export_parses_whatever_the_labels_hold(runner: CliRunner, control_store: Path) -> None:
    result = runner.invoke(cli, ["--store", str(control_store), "export", "-f", "graphml"])
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout_bytes)
    labels = [d.text for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data") if d.text and "end" in d.text]
    assert labels == ["py\ufffdthon \ufffd\ufffd\ufffd end \ufffd"]


def test_query_xml_results_parse_whatever_the_labels_hold(runner: CliRunner, control_store: Path) -> None:
    query = f"SELECT ?label WHERE {{ GRAPH ?g {{ ?s <{SKOS}prefLabel> ?label }} }}"
    result = runner.invoke(cli, ["--store", str(control_store), "query", query, "-f", "xml"])
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout_bytes)
    texts = [e.text for e in root.iter("{http://www.w3.org/2005/sparql-results#}literal")]
    assert texts == ["py\ufffdthon \ufffd\ufffd\ufffd end \ufffd"]


def test_xml_safe_keeps_every_character_xml_can_hold() -> None:
    from kg.xmlchars import xml_safe

    kept = "tab\tline\ncr\r é ☃ \U0001f600 \ud7ff \ue000 \ufffd".encode()
    assert xml_safe(kept) == kept
    assert xml_safe("a\x00b\x7fc\ufffff".encode()) == "a\ufffdb\x7fc\ufffdf".encode()


# ------------------------------------------------------------------ kg query -o FILE writes every format


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv", "xml"])
def test_query_output_file_gets_every_format(runner: CliRunner, tiny_store: LocalStore, tmp_path: Path,
                                             fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    query = f"SELECT ?label WHERE {{ GRAPH ?g {{ ?s <{SKOS}prefLabel> ?label }} }} ORDER BY ?label"
    result = runner.invoke(cli, ["--store", str(tiny_store.path), "query", query, "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert "PyTorch" in text


def test_extract_table_goes_to_the_output_file(runner: CliRunner, tmp_path: Path) -> None:
    posting = tmp_path / "posting.txt"
    posting.write_text("Data Scientist\nRequired: Python and SQL.\n", encoding="utf-8")
    out = tmp_path / "postings.txt"
    result = runner.invoke(cli, ["extract", str(posting), "-f", "table", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "Postings" in out.read_text(encoding="utf-8") and "Python" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ our own graphs are ours


@pytest.mark.parametrize("graph", [CORE_GRAPH, POSTINGS_GRAPH, DERIVED_GRAPH, GRAPH + "esco", GRAPH + "lookup/core",
                                   GRAPH + "summaries/kg"])
def test_nquads_into_kgs_own_graphs_are_refused_unless_forced(runner: CliRunner, tiny_store: LocalStore,
                                                              tmp_path: Path, graph: str) -> None:
    data = tmp_path / "intrude.nq"
    data.write_text(f'<https://example.org/x> <{SKOS}prefLabel> "intruder" <{graph}> .\n'
                    f'<https://example.org/y> <{SKOS}prefLabel> "fine" .\n', encoding="utf-8")
    before = len(tiny_store.reader())
    line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(data)]),
                          UsageError.exit_code)
    assert graph in line and "--force" in line
    assert len(tiny_store.reader()) == before  # nothing went in, not even the default graph's triple
    forced = runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(data), "--force"])
    assert forced.exit_code == 0, forced.stderr
    # the summary names the graphs the file wrote, and says when kg replaced what went into one of them
    said = forced.stderr.splitlines()
    (summary,) = [line for line in said if line.startswith("loaded ")]
    assert summary.endswith(" into " + ", ".join(f"<{g}>" for g in sorted({graph, LOADED_GRAPH})))
    warnings = [line for line in said if line.startswith("kg: warning:")]
    assert warnings == ([(f"kg: warning: kg derives <{graph}> from the rest of the store at every write: it was "
                         "derived again after the load, which replaced what the files put there")]
                        if graph.startswith(SUMMARY_GRAPH) else [])
    db = tiny_store.reader()
    intruder, fine = ox.NamedNode("https://example.org/x"), ox.NamedNode("https://example.org/y")
    # in a summaries graph it does not last: the same write derives the summaries again, and they replace it
    expected = 0 if graph.startswith(SUMMARY_GRAPH) else 1
    assert len(list(db.quads_for_pattern(intruder, None, None, ox.NamedNode(graph)))) == expected
    labels = ox.NamedNode(SKOS + "prefLabel")  # both went in (each with its lookup key, in graph/lookup/...)
    assert len([q for s in (intruder, fine) for q in db.quads_for_pattern(s, labels, None)]) == 1 + expected


def test_graph_option_naming_kgs_own_graph_is_refused(runner: CliRunner, tiny_store: LocalStore) -> None:
    before = len(tiny_store.reader())
    line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(DATA / "tiny.ttl"),
                                              "--graph", CORE_GRAPH]), UsageError.exit_code)
    assert CORE_GRAPH in line
    assert len(tiny_store.reader()) == before
    other = runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(DATA / "tiny.ttl"),
                                "--graph", "https://example.org/mine"])
    assert other.exit_code == 0, other.stderr


# ------------------------------------------------------------------ messages that are ours


def test_read_only_store_is_a_store_error(runner: CliRunner, tiny_store: LocalStore,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A store kg may not write (read-only folder or file system) is one line with the store error's code."""
    if os.geteuid() != 0:
        for path in [tiny_store.path, *tiny_store.path.rglob("*")]:
            path.chmod(path.stat().st_mode & ~0o222)
    else:  # root writes anywhere: the store's lock file fails to open as it would on a read-only file system
        real_open = builtins.open

        def read_only_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if Path(str(file)).parent == tiny_store.path and any(m in mode for m in "wa+x"):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(file))
            return real_open(file, mode, *args, **kwargs)

        monkeypatch.setattr("kg.store.open", read_only_open, raising=False)
    try:
        line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(DATA / "tiny.ttl")]),
                              StoreError.exit_code)
        assert str(tiny_store.path) in line
    finally:
        for path in [tiny_store.path, *tiny_store.path.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o200)


@pytest.mark.parametrize("value", ["abc", "-1", "nan"])
def test_bad_busy_timeout_is_a_usage_error(runner: CliRunner, tiny_store: LocalStore,
                                           monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KG_BUSY_TIMEOUT", value)
    line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), "load", str(DATA / "tiny.ttl")]),
                          UsageError.exit_code)
    assert "KG_BUSY_TIMEOUT" in line


def test_export_onto_a_folder_is_a_usage_error(runner: CliRunner, tiny_store: LocalStore, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), "export", "-o", str(folder)]),
                          UsageError.exit_code)
    assert str(folder) in line
    assert list(folder.iterdir()) == [] and not list(tmp_path.glob(".folder.*"))


@pytest.mark.parametrize("command", [["load", str(DATA / "tiny.ttl"), "--graph", "not an iri"],
                                     ["export", "--graph", "not an iri"]])
def test_graph_that_is_not_an_iri_is_a_usage_error(runner: CliRunner, tiny_store: LocalStore,
                                                   command: list[str]) -> None:
    line = one_error_line(runner.invoke(cli, ["--store", str(tiny_store.path), *command]), UsageError.exit_code)
    assert "not an iri" in line and "--graph" in line


def test_store_that_is_a_file_is_one_line(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    monkeypatch.setenv("KG_STORE", str(afile))
    line = one_error_line(runner.invoke(cli, ["query", "graphs"]), UsageError.exit_code)
    assert "KG_STORE" in line and str(afile) in line


@pytest.mark.parametrize("command", [["gap", "data scientist", "--have", "python", "--top", "abc"],
                                     ["viz", "--depth", "abc"],
                                     ["ingest", "--jobs", "abc", "x.txt"],
                                     ["ingest", "--jobs", "0", "x.txt"],
                                     ["update", "INSERT DATA { <https://e.org/a> <https://e.org/b> 1 }"],
                                     ["no-such-command"],
                                     ["query"],
                                     ["--no-such-option", "stats"]])
def test_usage_errors_are_one_line(runner: CliRunner, command: list[str]) -> None:
    line = one_error_line(runner.invoke(cli, command), UsageError.exit_code)
    assert "--help" in line  # says where to read more


def test_kg_alone_still_shows_the_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, [])
    assert "Usage: " in result.output and "Commands:" in result.output


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_says_a_bad_option_in_one_line(runner: CliRunner, name: str) -> None:
    line = one_error_line(runner.invoke(cli, [name, "--no-such-option"]), UsageError.exit_code)
    assert "--no-such-option" in line and f" {name} --help" in line


@pytest.mark.parametrize("variable", ["KG_MAX_DEPTH", "KG_MAX_UNPACKED", "KG_MAX_EXPANSION"])
def test_bad_limit_variable_is_a_usage_error(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             variable: str) -> None:
    from taxonomy_samples import write_onet

    monkeypatch.setenv(variable, "lots")
    data = tmp_path / "data.rdf"
    data.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY e "https://example.org/">]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', encoding="utf-8")
    command = ["import", "onet", str(write_onet(tmp_path / "onet")[0])] if variable == "KG_MAX_UNPACKED" else \
        ["load", str(data)]
    line = one_error_line(runner.invoke(cli, ["--store", str(tmp_path / "store"), *command]), UsageError.exit_code)
    assert f"{variable}='lots'" in line


def test_escape_sequences_in_an_error_reach_the_terminal_escaped(runner: CliRunner, tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b]0;owned\x07\x1b[31m.ttl"
    line = one_error_line(runner.invoke(cli, ["load", str(name)]), 3)
    assert "\x1b" not in line and "\x07" not in line
    assert "evil\\x1b]0;owned\\x07\\x1b[31m.ttl" in line
