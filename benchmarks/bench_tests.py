"""How long the fast suite (`pytest -q`, the README's test command) takes: wall and CPU time, median of N runs,
against the 3-minute bound on two cores, and as a ratio to another checkout run the same way in the same session.

CPU time (user + sys of pytest, its workers and every process they started, Chromium's included) is what a busy
machine does not skew; wall time is what the bound is about, so the load average is printed beside it. Chromium's
processes outlive the playwright driver that started them and would be reaped by init, their CPU counted nowhere:
the benchmark makes itself their reaper (``PR_SET_CHILD_SUBREAPER``) and collects them after each run.

    python benchmarks/bench_tests.py [--runs 1] [--baseline /tmp/old-checkout]

The baseline is a checkout with its own ``.venv`` (``git archive 916762c | tar -x -C /tmp/old`` beside
``../shared``, then ``python3 -m venv .venv && .venv/bin/pip install -e '.[test]'`` in it).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The bound of the fast suite on two cores (seconds of wall time), and what we aim for on an idle machine.
BOUND, AIM = 180.0, 135.0
#: prctl(2): become the reaper of orphaned descendants, so that their CPU time reaches RUSAGE_CHILDREN.
PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans() -> None:
    """Make this process the reaper of every descendant whose parent exits before it (Linux only)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def reap_orphans(seconds: float = 30) -> None:
    """Wait (up to ``seconds``) for the orphans adopted by :func:`adopt_orphans`; their CPU joins RUSAGE_CHILDREN."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.1)  # some still run
    print(f"some processes the tests started still run after {seconds:.0f} s: their CPU is not counted",
          file=sys.stderr)


def run(checkout: Path) -> tuple[float, float]:
    """One ``pytest -q`` in ``checkout``: (wall seconds, CPU seconds)."""
    python = checkout / ".venv" / "bin" / "python"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}  # as .ci/run
    env |= {"CI": "1", "KG_REQUIRE_BROWSER": "1"}  # as CI: the tests that need ../shared or Chromium run, never skip
    done = subprocess.run([str(python if python.exists() else sys.executable), "-m", "pytest", "-q", "-p",
                           "no:cacheprovider"], cwd=checkout, capture_output=True, text=True, check=False, env=env)
    wall = time.monotonic() - started
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"pytest failed in {checkout}:\n{done.stdout[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--baseline", type=Path, help="another checkout, run the same way (after this one)")
    args = parser.parse_args()
    adopt_orphans()
    results = {"this checkout": [run(REPO) for _ in range(args.runs)]}
    if args.baseline:
        results["baseline"] = [run(args.baseline.resolve()) for _ in range(args.runs)]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs}")
    print("| suite | wall s | CPU s |")
    print("|---|---|---|")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"| {name} | {medians[name][0]:.0f} | {medians[name][1]:.0f} |")
    wall, cpu = medians["this checkout"]
    if "baseline" in medians:
        print(f"\nCPU: {cpu / medians['baseline'][1]:.2f}x the baseline's; wall: {wall / medians['baseline'][0]:.2f}x")
    verdict = "PASS" if wall < BOUND else "FAIL"
    print(f"\n{verdict}: {wall:.0f} s wall against the {BOUND:.0f} s bound (aim: {AIM:.0f} s on an idle machine)")


if __name__ == "__main__":
    main()
