"""The README is tested: its set-up commands, its console examples, and its list of commands."""

from __future__ import annotations

import csv
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import EXIT_CODES, KgError
from kg.namespaces import KG, RDF

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
README = (REPO / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def console_commands() -> list[str]:
    return [line[2:] for block in code_blocks("console") for line in block.splitlines() if line.startswith("$ kg ")]


def test_readme_opens_with_the_two_setup_commands() -> None:
    first, second = [block.strip() for block in code_blocks("bash")[:2]]
    assert first.endswith("kg build") and "pip install ." in first
    assert "pytest" in second and "pip install -e '.[test]'" in second
    assert README.index(first) < README.index("## ")


def test_ci_runs_the_readme_test_command() -> None:
    second = code_blocks("bash")[1].strip()
    ci = (REPO / ".ci" / "run").read_text().replace("pip install -q", "pip install").replace("pytest -q", "pytest")
    assert second.replace("pytest -q", "pytest") in ci
    after = ci.split(second.replace("pytest -q", "pytest"), 1)[1]
    assert "pytest -m slow" in after, "CI runs the slow tests, which the README's command deselects, after it"
    assert "ruff check kg tests benchmarks" in after and "mypy kg" in after


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert f"`kg {name}" in README, f"kg {name} is not documented in README.md"


#: The README's commands that work on the whole default graph, which the fast run leaves to the slow one:
#: the session's build (the ``built`` fixture) stands in for ``kg build``; ``kg validate`` runs pySHACL on it all.
WHOLE_GRAPH_COMMANDS = {"build", "validate"}


@pytest.mark.parametrize("fresh", [False, pytest.param(True, marks=pytest.mark.slow)],
                         ids=["on-the-session-build", "from-a-fresh-build"])
def test_readme_console_examples_run(fresh: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     request: pytest.FixtureRequest) -> None:
    """Every ``$ kg`` line of the README runs, in order; the fast run starts from a copy of the session's build."""
    commands = console_commands()
    assert len(commands) >= 10 and {shlex.split(c)[1] for c in commands} >= WHOLE_GRAPH_COMMANDS
    if not fresh:
        built = request.getfixturevalue("built")
        shutil.copytree(built[0].path, tmp_path / "store")
        commands = [c for c in commands if shlex.split(c)[1] not in WHOLE_GRAPH_COMMANDS]
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    store = ["--store", str(tmp_path / "store")]
    for command in commands:
        args = shlex.split(command)[1:]
        result = runner.invoke(cli, [*store, *args], prog_name="kg")
        assert result.exit_code == 0, f"`{command}` failed: {result.stderr or result.exception}"
        if "query" in args[:1] and "--format" not in args:
            assert "(no rows)" not in result.stderr, f"`{command}` returned no rows"
    assert (tmp_path / "exports" / "kg.ttl").is_file() is fresh


# ------------------------------------------------------------------ numbers in the README come from the files

def typed(path: Path, cls: str) -> set[str]:
    """The subjects a Turtle file types as ``kg:cls``."""
    kind = ox.NamedNode(KG + cls)
    return {q.subject.value for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            if q.predicate.value == RDF + "type" and q.object == kind}


def rows(name: str) -> list[dict[str, str]]:
    with open(REPO / "data" / "curated" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_readme_dataset_table_counts_the_files() -> None:
    ontology = REPO / "ontology"
    sizes = {
        "ontology/domains.ttl": f"{len(typed(ontology / 'domains.ttl', 'Domain')):,} domains",
        "ontology/skills.ttl": f"{len(typed(ontology / 'skills.ttl', 'Skill')):,} skills",
        "ontology/roles.ttl": f"{len(typed(ontology / 'roles.ttl', 'Role')):,} roles",
        "data/curated/companies.csv": f"{len(rows('companies.csv')):,} companies",
        "data/curated/hires.csv": f"{len(rows('hires.csv')):,} rows",
        "data/curated/profiles.csv": f"{len(rows('profiles.csv')):,} rows",
    }
    for file, size in sizes.items():
        assert re.search(rf"^\| `{re.escape(file)}` \|.*\| {re.escape(size)} \|$", README, flags=re.M), (
            f"README's dataset table should say {size} for {file}")


def test_readme_alignment_figures_count_the_links() -> None:
    skills = typed(REPO / "ontology" / "skills.ttl", "Skill")
    roles = typed(REPO / "ontology" / "roles.ttl", "Role")
    linked = {name: {q.subject.value for q in ox.parse(path=str(REPO / "ontology" / "alignments" / f"{name}.ttl"),
                                                        format=ox.RdfFormat.TURTLE)} for name in ("esco", "onet")}
    either = linked["esco"] | linked["onet"]
    for name, links in (("ESCO", linked["esco"]), ("O*NET", linked["onet"])):
        row = (f"| {name} | {len(links & skills)} of {len(skills):,} ({len(links & skills) / len(skills):.1%}) "
               f"| {len(links & roles)} of {len(roles)} ({len(links & roles) / len(roles):.0%}) |")
        assert row in README, row
    row = (f"| either | {len(either & skills)} ({len(either & skills) / len(skills):.1%}) "
           f"| {len(either & roles)} of {len(roles)} ({len(either & roles) / len(roles):.0%}) |")
    assert row in README, row
    asked = {(q.subject.value, q.object.value) for q in ox.parse(path=str(REPO / "exports" / "kg.ttl"),
                                                                  format=ox.RdfFormat.TURTLE)
             if q.predicate.value in (KG + "requiresSkill", KG + "prefersSkill") and q.subject.value in roles}
    share = sum(1 for _, skill in asked if skill in either) / len(asked)
    sentence = f"Of the {len(asked):,} skills the role profiles ask for (counted once per role), {share:.0%} link"
    assert sentence in " ".join(README.split()), sentence
    with open(DATA / "alignment-sample.tsv", encoding="utf-8", newline="") as handle:
        sample = Counter((row["stratum"], row["verdict"]) for row in csv.DictReader(handle, delimiter="\t"))
    random, risky = sample[("random", "correct")] + sample[("random", "wrong")], sum(
        n for (stratum, _), n in sample.items() if stratum == "close-or-broad")
    sentence = (f"{sample[('random', 'correct')]} of {random} random links correct, and "
                f"{sample[('close-or-broad', 'correct')]} of {risky} riskier close/broad links")
    assert sentence in " ".join(README.split()), sentence


def test_readme_exit_codes_are_the_cli_s() -> None:
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    table = dict(re.findall(r"^\| (\d+) \| (.+) \|$", section, flags=re.M))
    assert {int(code): meaning for code, meaning in table.items()} == EXIT_CODES
    codes = {cls.exit_code for cls in _subclasses(KgError)} | {KgError.exit_code}
    assert codes <= set(EXIT_CODES)


def _subclasses(cls: type) -> set[type]:
    return {sub for direct in cls.__subclasses__() for sub in {direct, *_subclasses(direct)}}


def test_the_code_map_names_every_module() -> None:
    section = README.split("## The code: a map", 1)[1].split("\n## ", 1)[0]
    package = REPO / "kg"
    modules = [f"kg/{p.name}" for p in package.glob("*.py") if not p.name.startswith("__")]
    folders = [f"kg/{p.name}/" for p in package.iterdir() if p.is_dir() and not p.name.startswith("__")]
    missing = [name for name in [*modules, *folders] if f"`{name}`" not in section]
    assert not missing, f"README's code map does not say where these fit: {missing}"
