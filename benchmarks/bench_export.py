"""Whole-store Turtle export at ESCO scale: `kg export` from a cold command line against rdflib's serializer.

    python benchmarks/bench_export.py [--scale 1] [--runs 5] [--work DIR]

Generates the ESCO-sized graph (``esco_like.py``), loads it with ``kg load``, then
measures ``kg export -f turtle`` (the whole store: Oxigraph dumps it, kg sorts the
lines and writes Turtle) in a process of its own, and rdflib's ``Graph.serialize``
on the same graph, parsed beforehand (so rdflib's parse is not counted). Each figure
is the best of ``--runs``, as wall time and as CPU time (user + system, all threads),
which a busy machine disturbs less. Prints the ratio and the verdict against the
target (>= 2x rdflib).
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

import esco_like
from bench_scale import kg_command

TARGET = 2.0

RDFLIB = """
import json, resource, sys, time
import rdflib
graph = rdflib.Graph()
graph.parse(sys.argv[1], format="turtle")
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
best = [float("inf"), float("inf")]
for _ in range(int(sys.argv[2])):
    wall, used = time.perf_counter(), cpu()
    graph.serialize(format="turtle")
    best = [min(best[0], time.perf_counter() - wall), min(best[1], cpu() - used)]
print(json.dumps(best))
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (its CPU from ``wait4``, all its threads)."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def measure(work: Path, scale: int, runs: int) -> dict[str, float]:
    """Best-of-``runs`` wall and CPU seconds of kg's export and rdflib's serializer."""
    graph = work / f"esco-like-{scale}x.ttl"
    triples, _ = esco_like.write_turtle(graph, scale=scale)
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    kg = kg_command()
    timed([*kg, "--store", str(store), "--quiet", "load", str(graph)])
    out = work / "export.ttl"
    export = [timed([*kg, "--store", str(store), "--quiet", "export", "-f", "turtle", "-o", str(out)])
              for _ in range(runs)]
    done = subprocess.run([sys.executable, "-c", RDFLIB, str(graph), str(runs)], capture_output=True, text=True,
                          check=True)
    rdflib_wall, rdflib_cpu = json.loads(done.stdout)
    return {"triples": triples, "kg_wall": min(w for w, _ in export), "kg_cpu": min(c for _, c in export),
            "rdflib_wall": rdflib_wall, "rdflib_cpu": rdflib_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1, help="Multiple of ESCO's size (default 1).")
    parser.add_argument("--runs", type=int, default=5, help="Runs of each; the best counts (default 5).")
    parser.add_argument("--work", type=Path, help="Working folder (default: a temporary one, removed at the end).")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-export-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        figures = measure(work, args.scale, args.runs)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    wall, cpu = figures["rdflib_wall"] / figures["kg_wall"], figures["rdflib_cpu"] / figures["kg_cpu"]
    verdict = "PASS" if min(wall, cpu) >= TARGET else "FAIL"
    print(f"| Turtle export at {args.scale}x ({figures['triples']:,} triples) | kg export | rdflib serialize | ratio |")
    print("|---|---|---|---|")
    print(f"| wall | {figures['kg_wall']:.2f} s | {figures['rdflib_wall']:.2f} s | {wall:.1f}x |")
    print(f"| CPU | {figures['kg_cpu']:.2f} s | {figures['rdflib_cpu']:.2f} s | {cpu:.1f}x |")
    print(f"\ntarget: >= {TARGET:g}x rdflib: {verdict}")
    print(json.dumps(figures), file=sys.stderr)


if __name__ == "__main__":
    main()
