"""The posting-centric named queries from a cold command line, against an older kg on the same store.

    python benchmarks/bench_posting_queries.py --store STORE [--target 2] [--runs 3] [--baseline OLD]
    # OLD: git archive <commit> | tar -x -C OLD

For each query (``evidence``, ``quads``, ``postings-for-skill``, ``salary-by-role``, the trend and place
queries, the company and role queries, ``related-skills`` and the company reports), runs ``kg query NAME
--format json`` in a fresh process ``--runs`` times and prints the median wall time, the median CPU time of
the process tree (user + system, the watchdog included: the figure to trust on a shared machine) and
PASS/FAIL against ``--target`` seconds of wall time. ``quads`` lists every quad of the store: its figure is
the time to its first row (the rows stream), and its whole run is not waited for. With ``--baseline``, the
older kg answers each query once too (stopped after ``--baseline-timeout``), its CPU time is shown beside,
and the two answers are compared byte for byte (``same``/``DIFFERENT``). ``--baseline-store``: the older kg reads
that store instead (a copy of ``--store`` derived by the older kg, when the two derive different data), as many times
as ``--runs`` (the median is shown).

The 100,000-posting store is ``benchmarks/bench_ingest.py --work DIR --keep``'s (target 2 s), the
default + ESCO + O*NET one ``benchmarks/bench_taxonomies.py --store DIR``'s (target 1 s), the ten times
ESCO one ``benchmarks/bench_scale.py --scales 10 --work DIR``'s (target 5 s).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import select
import statistics
import subprocess
import sys
import time
from pathlib import Path

KG = [sys.executable, "-m", "kg", "--quiet"]
QUERIES: dict[str, dict[str, str]] = {
    "evidence": {"role": "data engineer", "skill": "python"},
    "quads": {},
    "postings-for-skill": {"skill": "pytorch"},
    "salary-by-role": {},
    "skill-trend": {"skill": "python"},
    "rising-skills": {"split": "2024-01"},
    "skills-by-location": {},
    "places": {},
    "companies-for-skill": {"skill": "python"},
    "companies-for-role": {"role": "data engineer"},
    "roles-for-skill": {"skill": "python"},
    "roles-at-company": {"company": "NVIDIA"},
    "skills-for-role": {"role": "data engineer"},
    "related-skills": {"skill": "python"},
    "report-company-roles": {},
    "report-company-skills": {},
}


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def command(name: str, params: dict[str, str], extra: list[str]) -> list[str]:
    pairs = [a for key, value in params.items() for a in ("--param", f"{key}={value}")]
    return [*KG, "query", name, *pairs, "--format", "json", *extra]


def run(cmd: list[str], store: Path, code: Path | None, timeout: float,
        first_row: bool = False) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds of the process tree and the output of one cold run (``inf`` when stopped).

    ``first_row``: stop at the first row of the answer and time that."""
    env = {**os.environ, "KG_STORE": str(store)}
    if code is not None:
        env["PYTHONPATH"] = str(code)
    cpu, started = cpu_of_children(), time.perf_counter()
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=code)
    if first_row:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        head = os.read(process.stdout.fileno(), 200) if ready else b""  # the header and the start of the first row
        seconds = time.perf_counter() - started if ready else float("inf")
        process.terminate()  # kg stops its worker and exits (143), so that the CPU of both is counted
        process.communicate()
        return seconds, cpu_of_children() - cpu, head
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.terminate()  # kg stops its worker and exits (143), so that the CPU of both is counted
        process.communicate()
        return float("inf"), cpu_of_children() - cpu, b""
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.decode()[-2000:]}")
    return seconds, cpu_of_children() - cpu, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--target", type=float, default=2.0, help="Seconds of wall time (median) a query may take.")
    parser.add_argument("--runs", type=int, default=3, help="Cold runs of each query (the median is shown).")
    parser.add_argument("--baseline", type=Path, help="A checkout of an older kg to run and compare with.")
    parser.add_argument("--baseline-timeout", type=float, default=60.0)
    parser.add_argument("--baseline-store", type=Path, help="The store the older kg reads (default: --store).")
    parser.add_argument("--only", default="", help="Only these queries (comma-separated).")
    parser.add_argument("--param", action="append", default=[], metavar="QUERY:NAME=VALUE",
                        help="Another parameter value (e.g. evidence:role=ML engineer).")
    args = parser.parse_args()
    args.store = args.store.resolve()
    args.baseline = args.baseline.resolve() if args.baseline else None
    baseline_store = args.baseline_store.resolve() if args.baseline_store else args.store
    queries = {name: dict(params) for name, params in QUERIES.items()
               if not args.only or name in args.only.split(",")}
    for item in args.param:
        name, _, pair = item.partition(":")
        key, _, value = pair.partition("=")
        queries[name][key] = value
    print(f"store {args.store}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"median of {args.runs} cold runs; target {args.target:g} s")
    baseline_columns = "   baseline: wall, cpu, answer" * bool(args.baseline)
    print(f"{'query':<20} {'wall':>7} {'cpu':>7} {'verdict':>7}" + baseline_columns)
    failed = 0
    for name, params in queries.items():
        streamed = name == "quads"
        cmd = command(name, params, [])
        runs = [run(cmd, args.store, None, 600.0, first_row=streamed) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        ok = wall < args.target
        failed += not ok
        shown = name + (" (first row)" if streamed else "")
        line = f"{shown:<20} {wall:6.2f}s {cpu:6.2f}s {'PASS' if ok else 'FAIL':>7}"
        if args.baseline:
            old_runs = [run(cmd, baseline_store, args.baseline, args.baseline_timeout, first_row=streamed)
                        for _ in range(args.runs if args.baseline_store else 1)]
            old_wall = statistics.median(r[0] for r in old_runs)
            old_cpu = statistics.median(r[1] for r in old_runs)
            old_out = old_runs[-1][2]
            out = runs[-1][2]
            same = "same" if hashlib.sha256(out).digest() == hashlib.sha256(old_out).digest() else (
                "stopped" if old_wall == float("inf") else "DIFFERENT")
            if streamed and old_wall != float("inf"):
                same = "same first row" if out[:150] == old_out[:150] else "DIFFERENT first row"
            old = "  >timeout" if old_wall == float("inf") else f"{old_wall:9.2f}s"
            line += f"   {old} {old_cpu:6.2f}s  {same}" + (f" ({old_cpu / cpu:.1f}x the CPU)" if cpu else "")
        print(line, flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}; {len(queries) - failed} of {len(queries)} under {args.target:g} s: "
          + ("PASS" if not failed else "FAIL"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
