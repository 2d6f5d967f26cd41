"""Changes in how extraction computes (speed) change nothing it prints: `kg extract`'s JSON on the seeds, on
SkillSpan's dev splits and on one large text is byte for byte what ``tests/data/extract-golden.json`` records.

The fingerprints are computed by ``scripts/extract_golden.py`` (the cases are described there); a change meant
to change what is extracted runs ``python scripts/extract_golden.py --write`` and commits the new file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need_shared

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_extract_output_is_the_recorded_bytes() -> None:
    need_shared("seeds")
    need_shared("data")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "extract_golden.py")], check=True,
                          capture_output=True, text=True, cwd=REPO)
    recorded = json.loads((REPO / "tests" / "data" / "extract-golden.json").read_text(encoding="utf-8"))
    assert json.loads(done.stdout) == recorded
