"""The whole-store and whole-table named queries from a cold command line, as a user runs them (the default page).

    python benchmarks/bench_whole_tables.py --store STORE [--target 2] [--runs 3] [--baseline OLD]
    # OLD: git archive <commit> | tar -x -C OLD

For each query (``graphs``, ``default-graph-triples``, ``relation-counts``, ``class-counts``, ``quads``,
``skill-contexts``, ``role-skills``, ``report-company-skills``), runs ``kg query NAME --format json`` in a fresh
process ``--runs`` times, as a user gets it: the default page (``kg query --limit``, 10,000 rows), and prints the
median wall time, the median CPU time of the process tree (user + system, the watchdog included: the figure to
trust on a shared machine), the rows printed, whether rows were left out (the note on stderr), and PASS/FAIL against
``--target`` seconds of wall time. With ``--baseline``, an older kg (without pages: it prints every row) answers
each once too, stopped after ``--baseline-timeout``; its times are shown beside, and the page is checked
against its answer: every row of the page is one of its rows (``rows in``), and when nothing was left out,
the same rows (``same rows``; the order of ``skill-contexts``, ``role-skills`` and, on kg's store,
``report-company-skills`` is now the store's). ``--baseline-all`` asks an older kg that pages (``--limit``) for its
whole answer, so that a page in the store's order is checked against every row.

The 100,000-posting store is ``benchmarks/bench_ingest.py --work DIR --keep``'s (target 2 s), the ten times
ESCO one ``benchmarks/bench_scale.py --scales 10 --work DIR``'s (target 5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench_posting_queries import KG, cpu_of_children

QUERIES = ("graphs", "default-graph-triples", "relation-counts", "class-counts", "quads", "skill-contexts",
           "role-skills", "report-company-skills")
NOTE = b"more were left out"


def run(name: str, store: Path, code: Path | None, timeout: float,
        extra: tuple[str, ...] = ()) -> tuple[float, float, bytes, bytes]:
    """Wall seconds, CPU seconds of the process tree, stdout and stderr of one cold run (``inf``: stopped)."""
    env = {**os.environ, "KG_STORE": str(store)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    cpu, started = cpu_of_children(), time.perf_counter()
    process = subprocess.Popen([*KG, "query", name, "--format", "json", *extra], env=env, cwd=code,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.terminate()  # kg stops its worker and exits (143), so that the CPU of both is counted
        process.communicate()
        return float("inf"), cpu_of_children() - cpu, b"", b""
    if process.returncode != 0:
        raise SystemExit(f"kg query {name} failed: {err.decode()[-2000:]}")
    return time.perf_counter() - started, cpu_of_children() - cpu, out, err


def rows_of(answer: bytes) -> Counter[str]:
    """The rows of a JSON answer, as a multiset of canonical strings."""
    return Counter(json.dumps(row, sort_keys=True) for row in json.loads(answer)["results"]["bindings"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--target", type=float, default=2.0, help="Seconds of wall time (median) a query may take.")
    parser.add_argument("--runs", type=int, default=3, help="Cold runs of each query (the median is shown).")
    parser.add_argument("--baseline", type=Path, help="A checkout of an older kg to run and compare with.")
    parser.add_argument("--baseline-timeout", type=float, default=120.0)
    parser.add_argument("--only", default="", help="Only these queries (comma-separated).")
    parser.add_argument("--baseline-all", dest="baseline_args", action="store_const", const=("--limit", "0"),
                        default=(), help="The older kg gives every row (--limit 0: a kg with pages), so that a page "
                                         "in another order is checked against the whole answer.")
    args = parser.parse_args()
    store = args.store.resolve()
    baseline = args.baseline.resolve() if args.baseline else None
    chosen = [name for name in QUERIES if not args.only or name in args.only.split(",")]
    print(f"store {store}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {args.runs} cold runs; target {args.target:g} s")
    print(f"{'query':<22} {'wall':>7} {'cpu':>7} {'rows':>7} {'cut':>4} {'verdict':>7}"
          + "   baseline: wall, cpu, answer" * bool(baseline))
    failed = 0
    for name in chosen:
        runs = [run(name, store, None, 600.0) for _ in range(args.runs)]
        wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
        out, err = runs[-1][2], runs[-1][3]
        page, cut = rows_of(out), NOTE in err
        ok = wall < args.target
        failed += not ok
        line = (f"{name:<22} {wall:6.2f}s {cpu:6.2f}s {sum(page.values()):>7} {'yes' if cut else 'no':>4} "
                f"{'PASS' if ok else 'FAIL':>7}")
        if baseline:
            old_wall, old_cpu, old_out, _ = run(name, store, baseline, args.baseline_timeout, args.baseline_args)
            if old_wall == float("inf"):
                verdict = "stopped"
            else:
                old = rows_of(old_out)
                verdict = ("rows in" if cut and not page - old else "same rows" if page == old else "DIFFERENT")
                verdict += ", same bytes" if out == old_out else ""
            shown = "  >timeout" if old_wall == float("inf") else f"{old_wall:9.2f}s"
            line += f"   {shown} {old_cpu:6.2f}s  {verdict}"
        print(line, flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(chosen) - failed} of {len(chosen)} under {args.target:g} s: "
          + ("PASS" if not failed else "FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
