"""The README's screenshots come from a build: ``scripts/screenshots.py`` takes them again, the same bytes each time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from browser_support import CHROMIUM, unavailable
from kg.store import LocalStore

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
PICTURES = ["company.png", "gap.png", "overview.png", "reading.png", "report.png"]


def test_screenshots_are_taken_from_the_build_the_same_each_time(built: tuple[LocalStore, Path],
                                                                 tmp_path: Path) -> None:
    pytest.importorskip("playwright")
    if not Path(CHROMIUM).exists():
        unavailable(f"{CHROMIUM} is not installed")
    store, _ = built
    runs = []
    for name in ("first", "second"):
        out = tmp_path / name
        subprocess.run([sys.executable, str(REPO / "scripts" / "screenshots.py"), "--store", str(store.path),
                        "--out", str(out)], check=True, capture_output=True, cwd=REPO)
        runs.append({path.name: path.read_bytes() for path in sorted(out.glob("*.png"))})
    assert sorted(runs[0]) == PICTURES
    assert runs[0] == runs[1]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert all(f"docs/screenshots/{name}" in readme for name in PICTURES)
    assert sorted(path.name for path in (REPO / "docs" / "screenshots").glob("*.png")) == PICTURES
