"""Extraction speed: postings/s and MB/s on the seed notes file and on a 100x replicated corpus.

Targets (issue 4): at least 1,000 postings/s on one core, and the notes file in
under 1 s end to end (a fresh Python process that imports kg, loads the
vocabulary and extracts).

    python benchmarks/bench_extract.py [--seeds ../shared/seeds] [--copies 100]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.extract import extract_files, load_vocabulary

REPO = Path(__file__).resolve().parents[1]
NOTES = "003_d3afff88b32231de.txt"


def measure(paths: list[Path], repeat: int = 3) -> tuple[int, int, float]:
    """(postings, bytes, best CPU seconds) of extracting ``paths`` with the vocabulary already loaded.

    CPU time of this process, so that other work on the machine does not count.
    """
    vocab = load_vocabulary()
    size = sum(p.stat().st_size for p in paths)
    best, count = float("inf"), 0
    for _ in range(repeat):
        started = time.process_time()
        count = len(extract_files([str(p) for p in paths], vocab=vocab))
        best = min(best, time.process_time() - started)
    return count, size, best


def end_to_end(path: Path) -> float:
    """Seconds for a fresh interpreter to import kg, load the vocabulary and extract ``path``."""
    code = "import sys; from kg.extract import extract_files; extract_files([sys.argv[1]])"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=REPO)
    return time.perf_counter() - started


def report(name: str, postings: int, size: int, seconds: float) -> None:
    print(
        f"{name:<28} {postings:>7,} postings  {size / 1e6:>7.2f} MB  {seconds:>7.3f} s  "
        f"{postings / seconds:>9,.0f} postings/s  {size / 1e6 / seconds:>6.2f} MB/s  (CPU time, one core)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--copies", type=int, default=100)
    args = parser.parse_args()
    seeds = sorted(p for p in args.seeds.iterdir() if p.is_file())
    notes = args.seeds / NOTES

    load_vocabulary()
    report("notes file", *measure([notes]))
    with tempfile.TemporaryDirectory() as folder:
        copies = []
        for copy in range(args.copies):
            for seed in seeds:
                target = Path(folder) / f"{copy:03d}-{seed.name}"
                shutil.copyfile(seed, target)
                copies.append(target)
        report(f"corpus x{args.copies}", *measure(copies, repeat=1))
    seconds = min(end_to_end(notes) for _ in range(3))
    print(f"{'notes file, end to end':<28} {seconds:.3f} s wall clock (fresh process: import, vocabulary, extraction)")


if __name__ == "__main__":
    main()
