"""The ranked and skill-centric named queries on a big store, against an older kg, from a cold command line.

    python benchmarks/bench_ranked_queries.py --store STORE [--target 1] [--runs 5]
        [--baseline OLD/.venv/bin/kg --baseline-store OLD_STORE] [--queries a,b] [--json FILE]

Each query (``kg --store STORE query NAME ... -f json``, in a new process, as a
user runs it) is run ``--runs`` times, alternately with the ``--baseline`` kg
on its store when one is given, so that both see the same load on the machine.
It prints the median wall time, the median CPU time (user + system of the whole
process tree: the watchdog and the interpreter it starts, RocksDB's threads
included), how long its threads waited for a CPU (ready to run while other work
held both cores: on Linux, from ``/proc/PID/task/TID/schedstat``, summed over
threads; wall time beyond CPU time and this wait is blocking, such as disk
reads), the ratios old / new, whether both printed the same bytes, and PASS
or FAIL against ``--target`` seconds (wall; on a busy machine the CPU column is
the steadier figure). The three stores of issue 14: default + ESCO + O*NET
(target 1 s), 100,000 postings (2 s), the graph of ``bench_scale.py --scales
10`` (5 s). A store an older kg wrote gets the summaries this kg reads on its
next write (``kg build``, ``kg load``, ...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

QUERIES = ("top-skills-by-domain", "top-skills", "role-skills", "skill-broader", "skill-contexts", "skills-in-domain",
           "shared-skills", "domain-tree", "related-skills", "esco-skills-for-role", "report-domain-skills",
           "report-role-levels", "report-company-skills", "report-company-roles")
#: (``--queries names`` times ``names --param kind=Skill``, every name of every skill: a first page.)
#: The parameters of the queries that need one, by store kind (``--params`` picks; the generated graph has its names).
PARAMS = {
    "esco-onet": {"skills-in-domain": ["domain=MLOps"],
                  "shared-skills": ["role1=data scientist", "role2=data engineer"],
                  "related-skills": ["skill=python"], "esco-skills-for-role": ["role=data scientist"],
                  "top-skills-by-domain": ["top=3"], "names": ["kind=Skill"]},
    "scale": {"skills-in-domain": ["domain=data analysis domain 0"],
              "shared-skills": ["role1=data engineer 0", "role2=model engineer 1"],
              "related-skills": ["skill=network research 0"], "esco-skills-for-role": ["role=data engineer 0"],
              "top-skills-by-domain": ["top=3"], "names": ["kind=Skill"]},
}


def timed(kg: str, store: Path, name: str, params: list[str], timeout: float) -> dict[str, Any]:
    """One cold run: wall and CPU seconds, seconds its threads waited for a CPU, exit code, a digest of what it
    printed."""
    args = [kg, "--store", str(store), "query", name, *(a for p in params for a in ("--param", p)), "-f", "json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = os.times().elapsed
    waits: dict[str, int] = {}
    with tempfile.TemporaryFile() as out_file:
        # not from the checkout: kg's watchdog starts ``python -m kg``, which would import ./kg, this kg, for both
        child = subprocess.Popen(args, stdout=out_file, stderr=subprocess.DEVNULL, cwd=Path(args[0]).parent)
        while True:
            try:
                code = child.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                _sample_waits(child.pid, waits)
                if os.times().elapsed - started > timeout:
                    child.kill()
                    child.wait()
                    code = -1
                    break
        out_file.seek(0)
        out = out_file.read() if code != -1 else b""
    wall = os.times().elapsed - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return {"wall": wall, "cpu": cpu, "waited": sum(waits.values()) / 1e9, "code": code, "bytes": len(out),
            "digest": hashlib.sha256(out).hexdigest()}


def _sample_waits(pid: int, waits: dict[str, int]) -> None:
    """Note, for each thread of the process tree of ``pid``, the nanoseconds it has waited on a run queue so far
    (Linux's ``/proc/PID/task/TID/schedstat``: ready to run, no CPU free). Wall time beyond CPU time is this
    wait (other work on the machine) or blocking (disk reads)."""
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                with open(f"/proc/{current}/task/{task}/schedstat") as stat:
                    waits[f"{current}/{task}"] = int(stat.read().split()[1])
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
            except (OSError, IndexError, ValueError):
                continue


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs),
            "waited": statistics.median(r["waited"] for r in runs),
            "code": max(r["code"] for r in runs), "bytes": runs[-1]["bytes"], "digest": runs[-1]["digest"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--kg", default=str(Path(sys.executable).parent / "kg"), help="The kg to time.")
    parser.add_argument("--baseline", help="An older kg to time alternately (its kg script).")
    parser.add_argument("--baseline-store", type=Path, help="The store of --baseline (default: --store).")
    parser.add_argument("--params", choices=sorted(PARAMS), default="esco-onet")
    parser.add_argument("--target", type=float, default=1.0, help="Seconds (wall, median) each query must be within.")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=300.0, help="Seconds before a run is stopped.")
    parser.add_argument("--queries", default=",".join(QUERIES))
    parser.add_argument("--json", type=Path, help="Write every figure here.")
    args = parser.parse_args()
    load = os.getloadavg()
    base_store = args.baseline_store or args.store
    print(f"{args.store}: cold CLI, median of {args.runs}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} "
          f"on {os.cpu_count()} cores")
    old_head = " old wall | old CPU |" if args.baseline else ""
    ratio_head = " CPU old/new | same bytes |" if args.baseline else ""
    print(f"\n| query |{old_head} wall | CPU | waited for a CPU |{ratio_head} target |")
    print("|---|" + "---|" * (3 + (4 if args.baseline else 0) + 1))
    results: dict[str, Any] = {"store": str(args.store), "load": load, "queries": {}}
    passed = checked = 0
    for name in args.queries.split(","):
        params = PARAMS[args.params].get(name, [])
        new_runs, old_runs = [], []
        for _ in range(args.runs):
            new_runs.append(timed(args.kg, args.store, name, params, args.timeout))
            if args.baseline:
                old_runs.append(timed(args.baseline, base_store, name, params, args.timeout))
        new = summary(new_runs)
        ok = new["code"] == 0 and new["wall"] <= args.target
        passed, checked = passed + ok, checked + 1
        shown = (f"{new['wall']:.2f} s | {new['cpu']:.2f} s | {new['waited']:.2f} s |" if new["code"] == 0
                 else f"exit {new['code']} | | |")
        old_shown = ratio = ""
        if args.baseline:
            old = summary(old_runs)
            old_shown = (f" {old['wall']:.2f} s | {old['cpu']:.2f} s |" if old["code"] == 0
                         else f" exit {old['code']} | |")
            same = ("n/a" if old["code"] or new["code"] else "yes" if old["digest"] == new["digest"] else "NO")
            ratio = f" {old['cpu'] / new['cpu']:.1f}x | {same} |" if new["cpu"] else " | |"
            results["queries"][name] = {"new": new, "old": old}
        else:
            results["queries"][name] = {"new": new}
        print(f"| `{name}` |{old_shown} {shown}{ratio} <= {args.target:g} s {'PASS' if ok else 'FAIL'} |", flush=True)
    load = os.getloadavg()
    print(f"\n{passed} of {checked} queries within {args.target:g} s (load average after: {load[0]:.1f}).")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if passed == checked else 1


if __name__ == "__main__":
    sys.exit(main())
