"""The command line: each command's exit code and output, errors as one line, the installed script."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import LocalStore

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


def run(runner: CliRunner, store: LocalStore | Path | None, *args: str):  # noqa: ANN201
    prefix = ["--store", str(store.path if isinstance(store, LocalStore) else store)] if store else []
    return runner.invoke(cli, [*prefix, *args], catch_exceptions=False, prog_name="kg")


def assert_one_line_error(result, code: int, text: str) -> None:  # noqa: ANN001
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kg: error: ") and text in lines[0], lines[0]
    assert "Traceback" not in result.stderr


def test_every_command_has_help(runner: CliRunner) -> None:
    result = run(runner, None, "--help")
    assert result.exit_code == 0
    for name, command in cli.commands.items():
        assert command.help and "Example" in command.help, f"kg {name} needs help text with an example"
        sub = run(runner, None, name, "--help")
        assert sub.exit_code == 0 and "Usage: kg " + name in sub.stdout


def test_query_table_and_formats(runner: CliRunner, tiny_store: LocalStore) -> None:
    result = run(runner, tiny_store, "query", "skills-for-role", "--param", "role=data engineer")
    assert result.exit_code == 0
    assert "Apache Airflow" in result.stdout and "skill:airflow" not in result.stdout  # labels, no IRI column
    assert "─" not in result.stdout and "│" not in result.stdout  # not a terminal: no box drawing
    with_iris = run(runner, tiny_store, "--iris", "query", "skills-for-role", "--param", "role=data engineer")
    assert "skill:airflow" in with_iris.stdout
    result = run(runner, tiny_store, "query", "skills-for-role", "-p", "role=data engineer", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["label"] for r in rows] == ["Apache Airflow", "Apache Spark", "Python", "SQL", "Kubernetes"]
    result = run(runner, tiny_store, "query", "skills-for-role", "-p", "role=data engineer", "-f", "json")
    assert len(json.loads(result.stdout)["results"]["bindings"]) == 5


def test_query_inline_and_file(runner: CliRunner, tiny_store: LocalStore, tmp_path: Path) -> None:
    result = run(runner, tiny_store, "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Skill }", "-f", "csv")
    assert result.stdout.splitlines() == ["n", "7"]
    query = tmp_path / "mine.rq"
    query.write_text("# description: mine\nPREFIX kg: <https://w3id.org/jobkg/ontology#>\nASK { ?s a kg:Company }\n")
    result = run(runner, tiny_store, "query", str(query), "-f", "json")
    assert json.loads(result.stdout)["boolean"] is True


def test_query_errors(runner: CliRunner, tiny_store: LocalStore) -> None:
    assert_one_line_error(run(runner, tiny_store, "query", "skils-for-role"), 4, "did you mean skills-for-role")
    assert_one_line_error(run(runner, tiny_store, "query", "skills-for-role"), 2, "needs --param role=VALUE")
    assert_one_line_error(run(runner, tiny_store, "query", "skills-for-role", "-p", "role"), 2, "malformed --param")
    assert_one_line_error(run(runner, tiny_store, "query", "SELECT * WHERE { ?s ?p }"), 4, "bad SPARQL")
    assert_one_line_error(run(runner, tiny_store, "query", "DROP ALL"), 4, "kg update")


def test_query_without_a_store(runner: CliRunner, tmp_path: Path) -> None:
    assert_one_line_error(run(runner, tmp_path / "none", "query", "top-skills"), 6, "kg build")


def test_queries_lists_names_and_params(runner: CliRunner) -> None:
    result = run(runner, None, "queries", "--format", "json")
    listed = {q["name"]: q for q in json.loads(result.stdout)}
    assert [p["name"] for p in listed["shared-skills"]["params"]] == ["role1", "role2"]
    assert listed["top-skills"]["description"]


def test_load_export_roundtrip(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "s"
    assert run(runner, store, "load", str(DATA / "tiny.ttl")).exit_code == 0
    for fmt, ext in [("turtle", "ttl"), ("nt", "nt"), ("jsonld", "jsonld")]:
        out = tmp_path / f"out.{ext}"
        assert run(runner, store, "export", "--format", fmt, "-o", str(out)).exit_code == 0
        other = tmp_path / f"s-{ext}"
        assert run(runner, other, "load", str(out)).exit_code == 0
        assert len(LocalStore.at(other).reader()) == len(LocalStore.at(store).reader())


def test_load_error_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n")
    assert_one_line_error(run(runner, tmp_path / "s", "load", str(bad)), 3, "bad.ttl line 2: malformed RDF")


def test_stats(runner: CliRunner, tiny_store: LocalStore) -> None:
    result = run(runner, tiny_store, "stats", "--format", "json")
    stats = json.loads(result.stdout)
    assert {r["class"]: r["count"] for r in stats["classes"]} == {"Skill": 7, "Role": 3, "Domain": 3, "Company": 2}
    relations = {r["relation"]: r["count"] for r in stats["relations"]}
    assert relations["requiresSkill"] == 10 and relations["prefersSkill"] == 4 and relations["hires"] == 3


def test_validate_conforms_and_reports(runner: CliRunner, tiny_store: LocalStore, tmp_path: Path) -> None:
    assert run(runner, tiny_store, "validate").exit_code == 0
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix kg: <https://w3id.org/jobkg/ontology#> .\n"
        "<https://w3id.org/jobkg/id/role/x> a kg:Role ; kg:requiresSkill <https://w3id.org/jobkg/id/role/x> .\n"
    )
    run(runner, tiny_store, "load", str(broken))
    result = run(runner, tiny_store, "validate", "--format", "json")
    assert result.exit_code == 8
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    messages = {v["message"] for v in report["violations"]}
    assert "kg:requiresSkill must point at a kg:Skill" in messages
    assert any("skos:prefLabel" in m for m in messages)


def test_validate_parses_each_sparql_constraint_once(tiny_store: LocalStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyshacl asks for a constraint's query once per focus node; rdflib parses it once per validation."""
    import rdflib.plugin
    import rdflib.plugins.sparql.processor as processor
    import rdflib.query

    from kg.validate import validate

    parsed: list[str] = []
    parse = processor.parseQuery
    monkeypatch.setattr(processor, "parseQuery", lambda text: parsed.append(text) or parse(text))
    report = validate(tiny_store.reader())
    assert report.conforms
    distinct = (REPO / "ontology" / "shapes.ttl").read_text(encoding="utf-8").count("sh:select")
    assert 0 < len(parsed) <= distinct, f"{len(parsed)} parses for {distinct} SPARQL constraints"
    assert rdflib.plugin.get("sparql", rdflib.query.Processor) is processor.SPARQLProcessor


def test_debug_shows_the_traceback(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--debug", "--store", str(tmp_path / "none"), "query", "top-skills"])
    assert result.exit_code == 6
    assert "Traceback" in result.stderr


def test_installed_script_and_module(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("kg")
    assert exe.exists(), "the kg script is not installed next to python"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "kg, version 0.1.0"
    out = subprocess.run([sys.executable, "-m", "kg", "queries"], capture_output=True, text=True, cwd=tmp_path,
                         check=False)
    assert out.returncode == 0 and "skills-for-role" in out.stdout


def test_terminal_escapes_in_data_are_shown_escaped(runner: CliRunner, tmp_path: Path) -> None:
    from kg.load import load_files
    from kg.store import LocalStore

    data = tmp_path / "hostile.ttl"
    data.write_text('@prefix kg: <https://w3id.org/jobkg/ontology#> .\n'
                    '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
                    '<https://w3id.org/jobkg/id/skill/x> a kg:Skill ; '
                    'skos:prefLabel "Evil\\u001b]0;owned\\u0007\\u001b[31m red\\r\\nline\\u202e" .\n', encoding="utf-8")
    store = LocalStore.at(tmp_path / "store")
    load_files(store, [data])
    result = run(runner, store, "query", "SELECT ?label WHERE { ?s a kg:Skill ; skos:prefLabel ?label }")
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    assert result.stdout.splitlines() == ["label", "Evil\\x1b]0;owned\\x07\\x1b[31m red\\r\\nline\\u202e"]


def test_validate_shows_progress_and_its_headline_on_stdout(runner: CliRunner, tiny_store: LocalStore) -> None:
    result = run(runner, tiny_store, "validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("conforms: ")
    progress = result.stderr.splitlines()
    assert progress[0].startswith("reading ") and progress[1].startswith("checking ")
    quiet = run(runner, tiny_store, "--quiet", "validate")
    assert quiet.stderr == "" and quiet.stdout == result.stdout


def test_gap_headline_goes_to_stdout_with_shares_and_counts(runner: CliRunner, tiny_store: LocalStore) -> None:
    result = run(runner, tiny_store, "gap", "--have", "python", "--role", "data engineer")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"Data engineer: \d+% covered, from 0 postings \(thin: 0 postings\)", lines[0])
    assert lines[1].split() == ["status", "label", "level", "importance", "support", "share"]
    assert result.stderr == ""


def test_gap_table_shows_the_importance_it_is_ordered_by(runner: CliRunner, built) -> None:  # noqa: ANN001
    """The rows were ordered by importance (with the curated profile as a prior, halved when preferred), which the
    table did not show: a skill 60% of the postings ask for stood above one 80% ask for, with nothing to say why."""
    store, _ = built
    result = run(runner, store, "gap", "--have", "python, sql", "--role", "data engineer")
    assert result.exit_code == 0
    rows = [line.split() for line in result.stdout.splitlines()[2:]]
    weights = {"have": [], "missing": []}
    for row in rows:
        level, importance = next((cell, row[n + 1]) for n, cell in enumerate(row) if cell in ("required", "preferred"))
        weights[row[0]].append(int(importance.rstrip("%")) * (1.0 if level == "required" else 0.5))
    assert weights["have"] and weights["missing"]
    assert all(part == sorted(part, reverse=True) for part in weights.values())
    assert len(set(weights["missing"])) > 2  # built from postings: not every skill the same


def test_long_commands_show_progress_off_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    files = []
    for n in range(4):
        path = tmp_path / f"part{n}.ttl"
        path.write_text(f"<https://example.org/s{n}> <https://example.org/p> <https://example.org/o> .\n",
                        encoding="utf-8")
        files.append(str(path))
    result = run(runner, tmp_path / "store", "load", *files)
    assert result.exit_code == 0
    progress = [line for line in result.stderr.splitlines() if line.startswith("loading: ")]
    assert progress == ["loading: 25% (1 of 4)", "loading: 50% (2 of 4)", "loading: 75% (3 of 4)",
                        "loading: 100% (4 of 4)"]


def test_export_formats_are_the_library_s() -> None:
    from kg.cli.graph import EXPORT_FORMATS
    from kg.export import FORMATS

    assert EXPORT_FORMATS == FORMATS
