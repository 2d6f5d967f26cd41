"""Fingerprints of what `kg extract` prints, to check that a change in how extraction computes changes nothing.

Three cases, each the SHA-256 of the bytes `kg extract -f json --unknown` writes (and, under the case's name
with ``/plain``, of what `kg extract -f json` writes: without ``--unknown`` the tagger reads only the lines where a
mention stands, so that path is pinned on its own):

- ``seeds``: the seed documents (``../shared/seeds``), all at once;
- ``skillspan-dev``: SkillSpan's TECH and HOUSE dev splits (``../shared/data/skillspan``), their sentences
  written 25 to a plain-text file, one line each, so that each file is a posting;
- ``large-text``: one plain-text posting of about 600 KB made of the benchmark corpus's postings
  (``benchmarks/corpus.py``), read whole (``--max-posting`` above its size).

``tests/data/extract-golden.json`` holds the fingerprints of the code they were computed with; a change that
is meant to change what is extracted runs this script again and commits the new file (its message says why).

    python scripts/extract_golden.py                 # print the fingerprints as JSON
    python scripts/extract_golden.py --write         # write them to tests/data/extract-golden.json
    PYTHONPATH=OTHER python scripts/extract_golden.py --save DIR   # another tree's outputs, to diff
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
GOLDEN = REPO / "tests" / "data" / "extract-golden.json"
#: Sentences per posting made of SkillSpan's dev splits.
SENTENCES = 25
#: The size of the large posting, in characters.
LARGE = 600_000


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def _extract(folder: Path, names: list[str], *extra: str) -> dict[str, bytes]:
    """The bytes ``kg extract -f json --unknown NAMES`` writes, run in ``folder`` (so sources are the names), under
    ``""``, and those ``kg extract -f json NAMES`` writes, under ``"/plain"``."""
    from click.testing import CliRunner

    from kg.cli import cli

    out = {}
    for suffix, flags in (("", ["--unknown"]), ("/plain", [])):
        with _inside(folder):
            result = CliRunner().invoke(cli, ["--quiet", "extract", "-f", "json", *flags, *extra, *names])
        if result.exit_code != 0:
            raise SystemExit(f"kg extract failed ({result.exit_code}): {result.output}")
        out[suffix] = result.stdout_bytes
    return out


def _skillspan_postings(folder: Path, target: Path) -> list[str]:
    """SkillSpan's dev splits as plain-text postings of ``SENTENCES`` lines in ``target``; their names."""
    from kg.evaluation.conll import read_conll

    names = []
    for split in ("tech", "house"):
        sentences = [s for d in read_conll(folder / f"skillspan_{split}_dev.conll") for s in d.sentences]
        for number, first in enumerate(range(0, len(sentences), SENTENCES)):
            name = f"{split}-{number:03d}.txt"
            lines = [sentence.text for sentence in sentences[first : first + SENTENCES]]
            (target / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
            names.append(name)
    return names


def _large_text(target: Path) -> str:
    """One plain-text posting of about ``LARGE`` characters in ``target``; its name."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from bench_large_text import large_text  # the large posting the speed benchmark reads

    (target / "large.txt").write_text(large_text(LARGE), encoding="utf-8")
    return "large.txt"


def outputs(seeds: Path, skillspan: Path) -> dict[str, bytes]:
    """What ``kg extract`` prints for each case."""
    found = {"seeds": _extract(seeds, sorted(p.name for p in seeds.iterdir() if p.is_file()))}
    with tempfile.TemporaryDirectory() as folder:
        names = _skillspan_postings(skillspan, Path(folder))
        found["skillspan-dev"] = _extract(Path(folder), names)
    with tempfile.TemporaryDirectory() as folder:
        found["large-text"] = _extract(Path(folder), [_large_text(Path(folder))], "--max-posting", str(2 * LARGE))
    return {case + suffix: data for case, outputs in found.items() for suffix, data in outputs.items()}


def fingerprints(seeds: Path = SHARED / "seeds", skillspan: Path = SHARED / "data" / "skillspan") -> dict[str, str]:
    """The SHA-256 of each case's output."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in outputs(seeds, skillspan).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"write the fingerprints to {GOLDEN.relative_to(REPO)}")
    parser.add_argument("--save", type=Path, help="also write each case's output into this folder")
    args = parser.parse_args()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        found = outputs(SHARED / "seeds", SHARED / "data" / "skillspan")
        for name, data in found.items():
            (args.save / f"{name.replace('/', '-')}.json").write_bytes(data)
        prints = {name: hashlib.sha256(data).hexdigest() for name, data in found.items()}
    else:
        prints = fingerprints()
    text = json.dumps(prints, indent=2, sort_keys=True) + "\n"
    if args.write:
        GOLDEN.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
