"""Extraction of one large plain text (issue 18: at least 5 MB/s), against a baseline in the same run.

The text is the synthetic corpus's postings (``benchmarks/corpus.py``) written one after another
into one file of ``--mb`` megabytes: a plain-text file is one posting, so this is one posting of
that size, the case that took 42 s for 10 MB. It is read whole: the per-posting cap (``--max-posting``)
is off unless ``--cap`` sets it, so the figure is the extractor's own speed on the whole text. Each side
runs in a fresh process with the vocabulary loaded first; the figure is CPU time of ``extract_files`` on
the file, so that other work on the machine counts less. ``--baseline`` is a git commit (by default main
before the speed work of December 2026; a commit older than the cap, 4468385, reads the whole text anyway).

    python benchmarks/bench_large_text.py [--mb 10] [--cap CHARS] [--baseline REF] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_extract import checkout
from corpus import make_posting

REPO = Path(__file__).resolve().parents[1]
#: main before the caches of lines read (a44097a: before the speed work on the tagger; 7579bf4: before extraction
#: was made linear).
BASELINE = "916762c"

#: The target of issue 18, point 7: MB per CPU second on one large plain-text posting, read whole.
TARGET = 5.0

_MEASURE = """
import inspect, json, sys, time
from kg.extract import extract_files, load_vocabulary
vocab = load_vocabulary()
extract_files([sys.argv[2]], vocab=vocab)  # warm: matchers built, tagger loaded
try:  # extraction keeps what it computed per line: emptied, so that no line of the text was read before
    from kg.extract.line_caches import clear_line_caches
    clear_line_caches(vocab)
except ImportError:  # code older than the caches
    pass
cap = {"max_posting": json.loads(sys.argv[3])} if "max_posting" in inspect.signature(extract_files).parameters else {}
started = time.process_time()
postings = extract_files([sys.argv[1]], vocab=vocab, **cap).postings
print(json.dumps([len(postings), sum(len(p.skills) for p in postings), time.process_time() - started]))
"""


def large_text(size: int, seed: int = 7) -> str:
    """About ``size`` characters of generated postings, one after another."""
    rng = random.Random(seed)
    parts, total, number = [], 0, 0
    while total < size:
        posting = make_posting(rng, number)
        text = f"{posting.title} - {posting.company}\n{posting.description}\n\n"
        parts.append(text)
        total += len(text)
        number += 1
    return "".join(parts)


def measure(code_root: Path, path: Path, small: Path, cap: int | None = None) -> tuple[int, int, float]:
    """(postings, skills, CPU seconds) of extracting ``path`` with the code at ``code_root`` (``cap``: the
    per-posting cap, None for none)."""
    env = {**os.environ, "PYTHONPATH": str(code_root)}
    out = subprocess.run([sys.executable, "-c", _MEASURE, str(path), str(small), json.dumps(cap)], check=True, env=env,
                         cwd=code_root, capture_output=True, text=True).stdout
    postings, skills, seconds = json.loads(out.strip().splitlines()[-1])
    return postings, skills, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="the size of the text, in MB")
    parser.add_argument("--cap", type=int, default=None, help="read a posting in its first CHARS characters "
                        "(--max-posting; default: the whole text)")
    parser.add_argument("--baseline", default=BASELINE, help="a git commit to compare with ('' for none)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side, each in a fresh process (the median "
                        "counts)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        text = large_text(int(args.mb * 1e6))
        path = Path(folder) / "large.txt"
        path.write_text(text, encoding="utf-8")
        small = Path(folder) / "small.txt"
        small.write_text(large_text(2_000, seed=1), encoding="utf-8")
        size = path.stat().st_size / 1e6
        cap = f"read in its first {args.cap:,} characters" if args.cap else "read whole"
        print(f"one plain-text posting of {size:.2f} MB, {cap}; CPU time, one core; baseline: "
              f"{args.baseline or '(none)'}")
        sides = [("now", REPO)]
        if args.baseline:
            sides.insert(0, ("baseline", checkout(args.baseline, Path(folder) / "baseline")))
        seconds = {}
        for name, root in sides:
            runs = [measure(root, path, small, args.cap) for _ in range(args.repeat)]
            postings, skills, _ = runs[-1]
            seconds[name] = statistics.median(run[2] for run in runs)
            print(f"{name:<9} {postings} posting(s)  {skills:>5} skills  {seconds[name]:>8.2f} s  "
                  f"{size / seconds[name]:>7.2f} MB/s  (median of {args.repeat})")
        if "baseline" in seconds:
            print(f"now / baseline speed: {seconds['baseline'] / seconds['now']:.1f}x")
        speed = size / seconds["now"]
        print(f"target: {TARGET} MB per CPU second: {speed:.2f} {'PASS' if speed >= TARGET else 'FAIL'}")


if __name__ == "__main__":
    main()
