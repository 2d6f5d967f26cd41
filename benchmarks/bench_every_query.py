"""Every named query on a store, from a cold command line: wall and CPU time against a target (issues 14 and 15).

Each query runs as a person runs it (``kg --quiet --store STORE query NAME --param ... -f json``: the default page,
JSON results), ``--runs`` times; the median wall time is held against ``--target`` and the CPU time (user + system
of the command's processes) is printed beside it, so that a busy machine shows as wall over CPU. The parameters
are a preset that makes every query answer on that kind of store, and ``--param NAME=VALUE`` changes one:

- ``postings``: a store of postings (``bench_ingest.py``'s corpus of 100,000, or the default graph);
- ``esco-like``: ``bench_scale.py``'s generated graph (``esco_like.generate``'s sample at ten times ESCO's size).

    python benchmarks/bench_every_query.py --store STORE --preset postings --target 2 [--runs 3]
    python benchmarks/bench_every_query.py --store STORE --preset esco-like --target 5
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench_ingest import PARAMS  # noqa: E402

PRESETS = {
    "postings": PARAMS,
    "esco-like": {"role": "data engineer 0", "role1": "data engineer 0", "role2": "model engineer 1",
                  "skill": "network research 0", "name": "network research 0", "company": "Data Engineers 0",
                  "domain": "data analysis domain 0", "root": "data analysis domain 0", "kind": "Skill", "top": "3",
                  "split": "2024-01"},
}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], timeout: float) -> tuple[float, float, int | str]:
    """Wall seconds, CPU seconds and exit code (or "timeout") of one command."""
    cpu, started = children_cpu(), time.perf_counter()
    try:
        code: int | str = subprocess.run(command, capture_output=True, timeout=timeout, check=False).returncode
    except subprocess.TimeoutExpired:
        return float("inf"), children_cpu() - cpu, "timeout"
    return time.perf_counter() - started, children_cpu() - cpu, code


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="postings")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--target", type=float, required=True, help="seconds of wall time, median of the runs")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", help="comma-separated query names")
    args = parser.parse_args()
    from kg import queries

    values = {**PRESETS[args.preset], **dict(p.split("=", 1) for p in args.param)}
    only = set(args.only.split(",")) if args.only else None
    rows = []
    for query in queries.list_queries():
        if only is not None and query.name not in only:
            continue
        if any(not p.optional and p.name not in values for p in query.params):
            print(f"skipped {query.name}: no value for its parameters")
            continue
        params = [a for p in query.params if p.name in values for a in ("--param", f"{p.name}={values[p.name]}")]
        command = [sys.executable, "-m", "kg", "--quiet", "--store", str(args.store), "query", query.name, *params,
                   "-f", "json"]
        runs = [timed(command, args.timeout) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        codes = {r[2] for r in runs}
        rows.append((query.name, wall, cpu, codes))
    met = 0
    print(f"| query (cold CLI, median of {args.runs}) | wall | CPU | within {args.target:g} s |")
    print("|---|---|---|---|")
    for name, wall, cpu, codes in sorted(rows, key=lambda r: -r[1]):
        ok = wall <= args.target and codes == {0}
        met += ok
        note = "" if codes == {0} else f" (exit {', '.join(map(str, sorted(codes, key=str)))})"
        print(f"| `{name}` | {wall:.2f} s | {cpu:.2f} s | {'PASS' if ok else 'FAIL'}{note} |")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{met} of {len(rows)} named queries within {args.target:g} s on {args.store} (load {load})")
    return 0 if met == len(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
