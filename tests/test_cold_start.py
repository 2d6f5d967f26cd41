"""Cold start: the query path imports only what it needs (no drawing, graph or SHACL libraries)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.store import LocalStore

#: Heavy libraries that `kg query` and `kg --help` must not import.
NOT_ON_THE_QUERY_PATH = ("pyvis", "networkx", "pyshacl", "rdflib")


def imported_modules(*args: str) -> set[str]:
    """The top-level modules a fresh ``python -m kg ARGS`` imports, read from ``-X importtime``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "kg", *args], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert len(lines) > 50, "no -X importtime output: the check would prove nothing"
    return {name.split(".")[0] for name in lines}


@pytest.mark.parametrize("query", ["skills-for-role", "SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Skill }"])
def test_kg_query_imports_no_heavy_library(tiny_store: LocalStore, query: str) -> None:
    params = ["--param", "role=data scientist"] if query == "skills-for-role" else []
    modules = imported_modules("--store", str(tiny_store.path), "query", query, *params, "-f", "json")
    assert "pyoxigraph" in modules and "kg" in modules
    assert not modules & set(NOT_ON_THE_QUERY_PATH), sorted(modules & set(NOT_ON_THE_QUERY_PATH))


def test_kg_help_imports_no_heavy_library() -> None:
    modules = imported_modules("--help")
    assert not modules & set(NOT_ON_THE_QUERY_PATH), sorted(modules & set(NOT_ON_THE_QUERY_PATH))
