"""`pip install .` (not only -e): the wheel carries ontology/, queries/, data/ and the templates."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    (found,) = out.glob("kg-*.whl")
    return found


def test_wheel_carries_the_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in ["kg/ontology/kg.ttl", "kg/ontology/shapes.ttl", "kg/ontology/skills.ttl", "kg/ontology/context.jsonld",
                 "kg/queries/skills-for-role.rq", "kg/data/seed-postings.json", "kg/data/curated/profiles.csv",
                 "kg/templates/graph.html.j2", "kg/templates/report.html.j2", "kg/templates/charts.html.j2",
                 "kg/templates/gap.html.j2", "kg/viz/vendor/sigma.min.js", "kg/viz/vendor/graphology.umd.min.js",
                 "kg/viz/vendor/LICENSE-sigma.txt", "kg/viz/vendor/LICENSE-graphology.txt", "kg/viz/vendor/vendor.json",
                 "kg/py.typed"]:
        assert path in names, path
    queries = {n for n in names if n.startswith("kg/queries/") and n.endswith(".rq")}
    assert len(queries) == len(list((REPO / "queries").rglob("*.rq")))  # with queries/internal/


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The wheel installed into a folder of its own: ``(site folder, a working folder elsewhere, environment)``."""
    root = tmp_path_factory.mktemp("installed")
    target = root / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, text=True)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return target, elsewhere, {**os.environ, "PYTHONPATH": str(target), "KG_STORE": str(root / "store")}


def test_installed_wheel_runs_from_anywhere(installed: tuple[Path, Path, dict[str, str]]) -> None:
    target, elsewhere, env = installed
    code = "import kg.resources as r; print(r.ontology_dir()); print(r.queries_dir())"
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines() == [str(target / "kg" / "ontology"), str(target / "kg" / "queries")]
    listed = subprocess.run([sys.executable, "-m", "kg", "queries"], cwd=elsewhere, env=env, capture_output=True,
                            text=True, check=False)
    assert listed.returncode == 0, listed.stderr
    assert "skills-for-role" in listed.stdout and "top-skills-by-domain" in listed.stdout


@pytest.mark.slow
def test_installed_wheel_builds_the_committed_graph(installed: tuple[Path, Path, dict[str, str]]) -> None:
    _, elsewhere, env = installed
    for command in (["build", "--no-exports"], ["export", "-o", "kg.ttl"]):
        run = subprocess.run([sys.executable, "-m", "kg", *command], cwd=elsewhere, env=env,
                             capture_output=True, text=True, check=False)
        assert run.returncode == 0, run.stderr
    assert (elsewhere / "kg.ttl").read_bytes() == (REPO / "exports" / "kg.ttl").read_bytes()
