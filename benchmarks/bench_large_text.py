"""Extraction of one large plain text (issue 18: at least 5 MB/s), against a baseline in the same run.

The text is the synthetic corpus's postings (``benchmarks/corpus.py``) written one after another
into one file of ``--mb`` megabytes: a plain-text file is one posting, so this is one posting of
that size, the case that took 42 s for 10 MB. It is read whole: the per-posting cap (``--max-posting``)
is off unless ``--cap`` sets it, so the figure is the extractor's own speed on the whole text. Each side
runs in a fresh process with the vocabulary loaded first and the caches of lines read emptied; the figure is
CPU time of ``extract_files`` on the file, so that other work on the machine counts less. ``--baseline`` is a
git commit (by default main of the seventh wave, before its speed work; a commit older than the cap, 4468385,
reads the whole text anyway).

The corpus's postings are made of templates, so four lines in five of that text are written before in it, and
extraction reads a line it has read before from its caches. So the same runs are made on a second text of the
same size whose lines of text do not repeat (each but the headers ends in a reference of its own): the case
of a text nobody wrote twice, read line by line for the first time. Both are printed with PASS or FAIL.

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
#: main before the seventh wave's speed work (bbeaa18: before the sixth wave's; 916762c: before the caches of lines
#: read; a44097a: before the speed work on the tagger; 7579bf4: before extraction was made linear).
BASELINE = "39b3f12"

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


def large_text(size: int, seed: int = 7, distinct: bool = False) -> str:
    """About ``size`` characters of generated postings, one after another; ``distinct``: each line of text but
    the headers (lines ending in ":") ends in a reference of its own, so that no line of text is written twice."""
    rng = random.Random(seed)
    parts, total, number = [], 0, 0
    while total < size:
        posting = make_posting(rng, number)
        lines = [f"{posting.title} - {posting.company}", *posting.description.split("\n")]
        if distinct:
            lines = [line if line.endswith(":") else f"{line} Ref {number}-{index}."
                     for index, line in enumerate(lines)]
        text = "\n".join(lines) + "\n\n"
        parts.append(text)
        total += len(text)
        number += 1
    return "".join(parts)


def repeated_share(text: str) -> float:
    """The share of the text's non-empty lines that are written before in it."""
    lines = [line for line in text.split("\n") if line.strip()]
    return 1 - len(set(lines)) / len(lines) if lines else 0.0


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
        small = Path(folder) / "small.txt"
        small.write_text(large_text(2_000, seed=1), encoding="utf-8")
        sides = [("now", REPO)]
        if args.baseline:
            sides.insert(0, ("baseline", checkout(args.baseline, Path(folder) / "baseline")))
        cap = f"read in its first {args.cap:,} characters" if args.cap else "read whole"
        print(f"one plain-text posting of {args.mb:g} MB, {cap}; CPU time, one core; median of {args.repeat} runs, "
              f"each in a fresh process; baseline: {args.baseline or '(none)'}")
        verdicts = []
        for name, distinct in (("corpus text", False), ("lines not repeated", True)):
            text = large_text(int(args.mb * 1e6), distinct=distinct)
            path = Path(folder) / f"large-{int(distinct)}.txt"
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size / 1e6
            print(f"{name}: {size:.2f} MB, {repeated_share(text):.0%} of its non-empty lines written before in it"
                  + (" (the headers)" if distinct else ""))
            seconds = {}
            for side, root in sides:
                runs = [measure(root, path, small, args.cap) for _ in range(args.repeat)]
                postings, skills, _ = runs[-1]
                seconds[side] = statistics.median(run[2] for run in runs)
                print(f"  {side:<9} {postings} posting(s)  {skills:>6} skills  {seconds[side]:>8.2f} s  "
                      f"{size / seconds[side]:>7.2f} MB/s")
            if "baseline" in seconds:
                print(f"  now / baseline speed: {seconds['baseline'] / seconds['now']:.2f}x")
            speed = size / seconds["now"]
            verdicts.append(speed >= TARGET)
            print(f"  target: {TARGET} MB per CPU second: {speed:.2f} {'PASS' if speed >= TARGET else 'FAIL'}")
        print(f"target on both texts: {'PASS' if all(verdicts) else 'FAIL'}")


if __name__ == "__main__":
    main()
