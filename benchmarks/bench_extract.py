"""Extraction speed: postings/s and MB/s on the seed notes file and on a replicated corpus, against a baseline.

Targets: at least 500 postings/s on one core on the seed notes file (issue 13; issue 4
asked 1,000 before the wide vocabulary and the tagger), and the notes file in well under
2 s end to end (a fresh Python process that imports kg, loads the vocabulary and extracts).
The same measurements run, in the same run, on the code of each ``--baseline`` (git commits:
by default the one before issue 13's changes and main before the seventh wave's speed work),
so the ratios are not skewed by how busy the machine is.

Each run starts with the caches of lines read emptied (a line of the file is read for the first time).

    python benchmarks/bench_extract.py [--seeds ../shared/seeds] [--copies 20] [--repeat 5] [--baseline REF]...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTES = "003_d3afff88b32231de.txt"
#: The last commit of main before issue 13 changed extraction.
BASELINE = "9f36782"
#: main before the seventh wave's speed work (issue 13, point 9: 304 postings/s then; bbeaa18 was main before the sixth
#: wave's, 916762c before the caches of lines read, a44097a before the speed work on the tagger).
BEFORE_SPEED = "39b3f12"

#: The target of issue 13, point 9: postings per CPU second on the seed notes file.
TARGET = 500

_MEASURE = """
import json, statistics, sys, time
from kg.extract import extract_files, load_vocabulary
try:  # extraction keeps what it computed per line: emptied before each run, so that each reads the text anew
    from kg.extract.line_caches import clear_line_caches
except ImportError:  # code older than the caches
    clear_line_caches = lambda vocab: None
paths, repeat, unknown = sys.argv[1:-2], int(sys.argv[-2]), sys.argv[-1] == "unknown"
vocab = load_vocabulary()
extract_files(paths[:1], vocab=vocab)  # warm: matchers built, tagger loaded, its tables of words filled
times, count = [], 0
for _ in range(repeat):
    clear_line_caches(vocab)
    started = time.process_time()
    count = len(extract_files(paths, vocab=vocab, unknown=unknown))
    times.append(time.process_time() - started)
print(json.dumps([count, statistics.median(times)]))
"""


def measure(code_root: Path, paths: list[Path], repeat: int = 3, unknown: bool = False) -> tuple[int, int, float]:
    """(postings, bytes, median CPU seconds of ``repeat`` runs) of extracting ``paths`` with the code at
    ``code_root``, vocabulary loaded, the caches of lines read emptied before each run (``unknown``: the unknown
    terms too, as ``kg extract --unknown``).

    CPU time of the measuring process, so that other work on the machine counts less.
    """
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run([sys.executable, "-c", _MEASURE, *map(str, paths), str(repeat), "unknown" if unknown else "-"],
                         check=True, env=env,
                         cwd=code_root, capture_output=True, text=True).stdout
    count, seconds = json.loads(out.strip().splitlines()[-1])
    return count, sum(p.stat().st_size for p in paths), seconds


def end_to_end(code_root: Path, path: Path) -> float:
    """Seconds for a fresh interpreter to import kg, load the vocabulary and extract ``path``."""
    code = "import sys; from kg.extract import extract_files; extract_files([sys.argv[1]])"
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=code_root, env=env)
    return time.perf_counter() - started


def report(name: str, postings: int, size: int, seconds: float, baselines: dict[str, float] | None = None) -> None:
    ratio = "".join(f"  {then / seconds:.2f}x {ref}" for ref, then in (baselines or {}).items())
    print(
        f"{name:<32} {postings:>7,} postings  {size / 1e6:>7.2f} MB  {seconds:>7.3f} s  "
        f"{postings / seconds:>9,.0f} postings/s  {size / 1e6 / seconds:>6.2f} MB/s{ratio}"
    )


def checkout(ref: str, folder: Path) -> Path:
    """The tree of a git commit, unpacked into ``folder``."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", ref], check=True, cwd=REPO, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=REPO.parent / "shared" / "seeds")
    parser.add_argument("--copies", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5, help="runs of the notes file per side (the median counts)")
    parser.add_argument("--baseline", action="append", help=f"a git commit to compare with, again for more "
                        f"('' for none; default {BASELINE} and {BEFORE_SPEED})")
    args = parser.parse_args()
    refs = [ref for ref in (args.baseline if args.baseline is not None else [BASELINE, BEFORE_SPEED]) if ref]
    seeds = sorted(p for p in args.seeds.iterdir() if p.is_file())
    notes = args.seeds / NOTES
    with tempfile.TemporaryDirectory() as folder:
        bases = {ref: checkout(ref, Path(folder) / f"baseline-{ref}") for ref in refs}
        copies_dir = Path(folder) / "copies"
        copies_dir.mkdir()
        copies = []
        for copy in range(args.copies):
            for seed in seeds:
                target = copies_dir / f"{copy:03d}-{seed.name}"
                shutil.copyfile(seed, target)
                copies.append(target)
        print("CPU time, one core; ratios are speed against the code of commits", ", ".join(refs) or "(none)")
        then = {ref: measure(base, [notes], args.repeat) for ref, base in bases.items()}
        now = measure(REPO, [notes], args.repeat)
        for ref, found in then.items():
            report(f"notes file, {ref}", *found)
        report("notes file", *now, baselines={ref: found[2] for ref, found in then.items()})
        speed = now[0] / now[2]
        print(f"target: {TARGET} postings per CPU second on the notes file (median of {args.repeat}): "
              f"{speed:,.0f} {'PASS' if speed >= TARGET else 'FAIL'}")
        # with the unknown terms (kg extract --unknown): the tagger reads every line
        then_unknown = {ref: measure(base, [notes], args.repeat, unknown=True) for ref, base in bases.items()}
        report("notes file, --unknown", *measure(REPO, [notes], args.repeat, unknown=True),
               baselines={ref: found[2] for ref, found in then_unknown.items()})
        then_corpus = {ref: measure(base, copies, repeat=1) for ref, base in bases.items()}
        now_corpus = measure(REPO, copies, repeat=1)
        for ref, found in then_corpus.items():
            report(f"corpus x{args.copies}, {ref}", *found)
        report(f"corpus x{args.copies}", *now_corpus, baselines={ref: found[2] for ref, found in then_corpus.items()})
        for ref, base in bases.items():
            seconds = min(end_to_end(base, notes) for _ in range(3))
            print(f"{'notes file, end to end, ' + ref:<32} {seconds:.3f} s wall clock")
        seconds = min(end_to_end(REPO, notes) for _ in range(3))
        label = "notes file, end to end"
        print(f"{label:<32} {seconds:.3f} s wall clock (fresh process: import, vocabulary, extraction)")


if __name__ == "__main__":
    main()
