"""kg at ESCO scale and 10x, against the plain rdflib script a user would write instead.

    python benchmarks/bench_scale.py [--scales 1,10] [--runs 3] [--rdflib-timeout 120] [--work DIR]

For each scale it generates the graph (``esco_like.py``), then measures, each
in a process of its own so that its peak memory is its own:

- load: ``kg load FILE.ttl`` (Oxigraph's bulk loader) from the command line,
  against rdflib's own Turtle parser (``Graph().parse``) in-process;
- every named query: ``kg query NAME ...`` from a cold command line on the
  built store (median of ``--runs``), and in-process, against the plain rdflib
  script (``rdflib_baseline.py``), which must parse the file before it can
  query it: its time is import + parse + query, without Python's own start-up
  (kg's start-up is counted);
- Turtle export (``kg export``) against rdflib's serializer, GraphML export;
- cold start: ``kg --help`` and a small query on the store ``kg build`` makes.

It prints a table per scale with the ratios and PASS/FAIL against the targets
of the scale-out issue, and writes every figure to ``WORK/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import esco_like

HERE = Path(__file__).resolve().parent
GB = 1024**3
TARGETS = {"load": 3.0, "query": 8.0, "turtle": 2.0, "graphml_seconds": 10.0, "memory_gb": 4.0, "cold_seconds": 0.5}


@dataclass
class Run:
    """One child process: wall time, peak memory, exit code, what it printed."""

    seconds: float
    peak_bytes: int
    code: int
    stdout: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0


def run(cmd: list[str], timeout: float | None = None, capture: bool = False) -> Run:
    """Run ``cmd``; its wall time and its own peak RSS (``wait4``), killed after ``timeout`` seconds."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=out if capture else subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        timer = threading.Timer(timeout, process.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace") if capture else ""
    return Run(seconds, usage.ru_maxrss * 1024, process.returncode, text)


def kg_command() -> list[str]:
    """The installed ``kg`` script next to this Python, as a user runs it."""
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg"]


def plan_for(sample: esco_like.Sample) -> list[dict[str, Any]]:
    """Every named query with parameters that make it answer on the generated graph."""
    from kg.queries import list_queries

    values = sample.params()
    plan = []
    for query in list_queries():
        if any(not p.optional and p.name not in values for p in query.params):
            continue
        params = {p.name: values[p.name] for p in query.params if p.name in values}
        plan.append({"name": query.name, "text": query.text, "params": params})
    return plan


def in_process(store: str, plan_path: str, runs: int) -> dict[str, Any]:
    """(Child mode) each query's median in-process time on an open store, and its row count."""
    from kg import queries
    from kg.store import LocalStore

    db = LocalStore.at(store).reader()
    out: dict[str, Any] = {}
    for item in json.loads(Path(plan_path).read_text(encoding="utf-8"))["queries"]:
        query = queries.resolve(item["name"])
        times, rows = [], 0
        for _ in range(runs):
            begin = time.perf_counter()
            rows = len(queries.rows(queries.run(db, query, item["params"])))
            times.append(time.perf_counter() - begin)
        out[item["name"]] = {"seconds": statistics.median(times), "rows": rows}
    return out


def bench_scale(scale: int, work: Path, runs: int, rdflib_timeout: float, rdflib_queries: bool) -> dict[str, Any]:
    """Every measurement at one scale."""
    kg = kg_command()
    ttl, store = work / f"esco-{scale}x.ttl", work / f"store-{scale}x"
    shutil.rmtree(store, ignore_errors=True)
    begin = time.perf_counter()
    triples, sample = esco_like.write_turtle(ttl, scale)
    result: dict[str, Any] = {"scale": scale, "triples": triples, "generate_seconds": time.perf_counter() - begin,
                              "rdflib_timeout": rdflib_timeout}
    plan = plan_for(sample)
    kg_plan, rdflib_plan = work / f"plan-{scale}x.json", work / f"plan-{scale}x-rdflib.json"
    kg_plan.write_text(json.dumps({"queries": plan}), encoding="utf-8")
    from kg.namespaces import LOADED_GRAPH, PREFIXES

    rdflib_plan.write_text(json.dumps({"queries": plan if rdflib_queries else [], "timeout": rdflib_timeout,
                                       "serialize": True, "prefixes": PREFIXES, "graph": LOADED_GRAPH}),
                           encoding="utf-8")

    say(f"[{scale}x] {triples:,} triples; the rdflib script parses, runs {len(plan) if rdflib_queries else 0} "
        f"queries (timeout {rdflib_timeout:g} s each) and serializes")
    baseline = run([sys.executable, str(HERE / "rdflib_baseline.py"), str(ttl), str(rdflib_plan)], capture=True)
    result["rdflib"] = {**json.loads(baseline.stdout), "peak_bytes": baseline.peak_bytes} if baseline.ok else None

    say(f"[{scale}x] kg load")
    load = run([*kg, "--store", str(store), "--quiet", "load", str(ttl)])
    result["load"] = {"seconds": load.seconds, "peak_bytes": load.peak_bytes, "ok": load.ok}

    say(f"[{scale}x] {len(plan)} named queries from a cold command line, {runs} run(s) each")
    cold: dict[str, Any] = {}
    for item in plan:
        timings = [run(query_args(kg, store, item), timeout=3600) for _ in range(runs)]
        cold[item["name"]] = {"seconds": statistics.median(t.seconds for t in timings),
                              "peak_bytes": max(t.peak_bytes for t in timings), "ok": all(t.ok for t in timings)}
    result["cold"] = cold

    if scale == 1:
        say(f"[{scale}x] the same queries in-process")
        inner = run([sys.executable, __file__, "--in-process", str(store), str(kg_plan), "--runs", str(runs)],
                    capture=True)
        result["in_process"] = json.loads(inner.stdout) if inner.ok else None
        result["in_process_peak_bytes"] = inner.peak_bytes

    say(f"[{scale}x] exports")
    for fmt in ("turtle", "graphml"):
        out = work / f"export-{scale}x.{fmt}"
        export = run([*kg, "--store", str(store), "--quiet", "export", "-f", fmt, "-o", str(out)])
        result[f"export_{fmt}"] = {"seconds": export.seconds, "peak_bytes": export.peak_bytes, "ok": export.ok}
        out.unlink(missing_ok=True)

    if scale == 1:
        say(f"[{scale}x] cold start")
        built = work / "store-built"
        shutil.rmtree(built, ignore_errors=True)
        run([*kg, "--store", str(built), "--quiet", "build", "--no-exports"])
        small = [*kg, "--store", str(built), "query", "skills-for-role", "--param", "role=data scientist", "-f", "json"]
        result["cold_start"] = {"help": statistics.median(run([*kg, "--help"]).seconds for _ in range(5)),
                                "small_query": statistics.median(run(small).seconds for _ in range(5))}
        shutil.rmtree(built, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    return result


def query_args(kg: list[str], store: Path, item: dict[str, Any]) -> list[str]:
    """The command line of one planned query (JSON results, which Oxigraph writes itself)."""
    args = [*kg, "--store", str(store), "query", item["name"], "-f", "json"]
    for name, value in item["params"].items():
        args += ["--param", f"{name}={value}"]
    return args


def say(message: str) -> None:
    """Progress on stderr; the tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------ report


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _mb(peak: int | None) -> str:
    return "-" if not peak else f"{peak / 2**20:,.0f} MB"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "PASS" if ok else "FAIL"


def report(result: dict[str, Any]) -> tuple[list[str], list[bool]]:
    """Markdown tables for one scale, and the verdict of each target checked there."""
    scale, rdf = result["scale"], result.get("rdflib") or {}
    verdicts: list[bool] = []
    lines = [f"### {scale}x: {result['triples']:,} triples", ""]
    parse = rdf.get("parse")
    load = result["load"]
    lines += ["| step | kg | peak memory | rdflib | peak memory | ratio | target |", "|---|---|---|---|---|---|---|"]
    ratio = parse / load["seconds"] if parse and load["ok"] else None
    ok = ratio >= TARGETS["load"] if ratio and scale == 1 else None
    verdicts += [ok] if ok is not None else []
    lines.append(f"| load (`kg load` vs `Graph().parse`) | {_s(load['seconds'])} | {_mb(load['peak_bytes'])} "
                 f"| {_s(parse)} | {_mb(rdf.get('peak_bytes'))} | {ratio or 0:.1f}x | >= 3x {_verdict(ok)} |")
    turtle, serialize = result["export_turtle"], rdf.get("serialize")
    ratio = serialize / turtle["seconds"] if serialize and turtle["ok"] else None
    ok = ratio >= TARGETS["turtle"] if ratio and scale == 1 else None
    verdicts += [ok] if ok is not None else []
    lines.append(f"| Turtle export (`kg export` vs `serialize`) | {_s(turtle['seconds'])} "
                 f"| {_mb(turtle['peak_bytes'])} | {_s(serialize)} | | {ratio or 0:.1f}x | >= 2x {_verdict(ok)} |")
    graphml = result["export_graphml"]
    ok = graphml["ok"] and graphml["seconds"] < TARGETS["graphml_seconds"] if scale == 1 else None
    verdicts += [ok] if ok is not None else []
    lines.append(f"| GraphML export | {_s(graphml['seconds'])} | {_mb(graphml['peak_bytes'])} | | | "
                 f"| < 10 s {_verdict(ok)} |")
    lines += ["", ("| named query | rows (kg / rdflib) | kg cold CLI | kg in-process | rdflib query "
                   "| rdflib script (import+parse+query) | script / cold CLI | target |"),
              "|---|---|---|---|---|---|---|---|"]
    inner = result.get("in_process") or {}
    for name, cold in result["cold"].items():
        query = (rdf.get("queries") or {}).get(name, "absent")
        error = isinstance((rdf.get("rows") or {}).get(name), str)
        timeout = result["rdflib_timeout"]
        script_start = (rdf.get("import") or 0) + ((rdf.get("setup") or {}).get(name, parse) or 0)
        if query == "absent" or not rdf:
            rdflib_text, script, bound = "not run", None, ""
        elif query is None and error:
            rdflib_text, script, bound = "error", None, ""
        elif query is None:
            rdflib_text, script, bound = f"> {_s(timeout)}", script_start + (timeout or 0), "> "
        else:
            rdflib_text, script, bound = _s(query), script_start + query, ""
        ratio = script / cold["seconds"] if script and cold["ok"] else None
        ok = ratio >= TARGETS["query"] if ratio and scale == 1 else None
        if ok is False and bound:  # rdflib gave up first: only a lower bound, too low to tell
            ok = None
        verdicts += [ok] if ok is not None else []
        rows = f"{inner.get(name, {}).get('rows', '-')} / {(rdf.get('rows') or {}).get(name, '-')}"
        lines.append(f"| {name} | {rows} | {_s(cold['seconds']) if cold['ok'] else 'failed'} "
                     f"| {_s(inner.get(name, {}).get('seconds'))} | {rdflib_text} | {bound}{_s(script)} "
                     f"| {bound}{ratio or 0:.1f}x | >= 8x {_verdict(ok)} |")
    if scale > 1:
        peaks = [load["peak_bytes"], *(c["peak_bytes"] for c in result["cold"].values())]
        ok = load["ok"] and all(c["ok"] for c in result["cold"].values()) and max(peaks) < TARGETS["memory_gb"] * GB
        verdicts.append(ok)
        lines += ["", f"Loads and answers every named query within 4 GB: peak {_mb(max(peaks))} {_verdict(ok)}"]
    if "cold_start" in result:
        start = result["cold_start"]
        ok = max(start.values()) < TARGETS["cold_seconds"]
        verdicts.append(ok)
        lines += ["", (f"Cold start: `kg --help` {_s(start['help'])}, `kg query skills-for-role` on the `kg build` "
                       f"store {_s(start['small_query'])} (each < 0.5 s) {_verdict(ok)}")]
    return [*lines, ""], verdicts


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 if a target fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10", help="Comma-separated multiples of ESCO's size (default 1,10).")
    parser.add_argument("--runs", type=int, default=3, help="Cold runs per query at 1x (median; 1 at larger scales).")
    parser.add_argument("--rdflib-timeout", type=float, default=120.0,
                        help="Seconds before an rdflib query counts as '>'.")
    parser.add_argument("--rdflib-queries-at-scale", action="store_true", help="Also run rdflib's queries above 1x.")
    parser.add_argument("--work", type=Path, help="Working folder (default: a temporary one, removed at the end).")
    parser.add_argument("--in-process", nargs=2, metavar=("STORE", "PLAN"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        json.dump(in_process(*args.in_process, args.runs), sys.stdout)
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results, verdicts, lines = [], [], ["## kg at ESCO scale", ""]
    try:
        for scale in (int(s) for s in args.scales.split(",")):
            result = bench_scale(scale, work, args.runs if scale == 1 else 1, args.rdflib_timeout,
                                 scale == 1 or args.rdflib_queries_at_scale)
            results.append(result)
            (work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
            table, checked = report(result)
            lines += table
            verdicts += checked
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    passed = sum(verdicts)
    lines.append(f"{passed} of {len(verdicts)} targets met.")
    print("\n".join(lines))
    return 0 if passed == len(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
