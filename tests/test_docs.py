"""The README is tested: its set-up commands, its console examples, and its list of commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

REPO = Path(__file__).resolve().parents[1]
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


def test_every_command_is_in_the_readme() -> None:
    for name in cli.commands:
        assert f"`kg {name}" in README, f"kg {name} is not documented in README.md"


def test_readme_console_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = console_commands()
    assert len(commands) >= 10
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    store = ["--store", str(tmp_path / "store")]
    for command in commands:
        args = shlex.split(command)[1:]
        result = runner.invoke(cli, [*store, *args], prog_name="kg")
        assert result.exit_code == 0, f"`{command}` failed: {result.stderr or result.exception}"
        if "query" in args[:1] and "--format" not in args:
            assert "(no rows)" not in result.stderr, f"`{command}` returned no rows"
    assert (tmp_path / "exports" / "kg.ttl").is_file()
