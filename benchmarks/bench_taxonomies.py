"""kg on the default graph plus the real ESCO and O*NET: imports, then every answer from a cold command line.

    python benchmarks/bench_taxonomies.py [--data ../shared/data] [--runs 5] [--store DIR] [--kg PATH]
        [--baseline KG --baseline-store DIR] [--scales 1,4] [--json FILE]
        [--only NAMES] [--skip NAMES] [--target SECONDS] [--measure wall|cpu]

- imports: ``kg import esco`` and ``kg import onet`` into stores of their own, each
  in a fresh process (time and peak memory); ``--scales 1,4`` also imports ESCO
  made 4 times larger (every concept copied under new IRIs), to show that memory
  stays flat as the input grows;
- answers: on one store with ``kg build`` + ESCO + O*NET (made here, or ``--store``
  to reuse one), every named query and every career command, run as a user runs
  them (``kg ... -f json`` in a new process), the median of ``--runs`` runs,
  against the target of 1 s each.

``--kg`` times another installation of kg (its ``kg`` script) with the same
commands; ``--baseline`` times a second one (an older kg, on a store it made) in
the same run, each command alternately with both, so that both see the same
load on the machine: that is how the README shows the figures before and after
a change. Commands the older kg does not know (``--vocab``) are shown as "n/a".

Each command's time is given as wall time and as CPU time (user + system of
the whole process tree: both processes of the ``kg`` script), each the median
of the runs; on a machine that other jobs keep busy the CPU time is the steadier
figure, and ``--measure cpu`` judges PASS/FAIL by it. ``--only`` times some
commands only (names as in the table), ``--target`` sets the limit (2 s for the
100,000-postings store)::

    python benchmarks/bench_taxonomies.py --store /work/stores/esco-onet --baseline OLD/kg --measure cpu
    python benchmarks/bench_taxonomies.py --store /work/stores/bench100k/store --target 2 \
        --only "query class-counts,query graphs"
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 1.0
#: The value of each query parameter: names people type, with kg's concepts and ESCO's both called so.
PARAMS = {"role": "data scientist", "role1": "data scientist", "role2": "data engineer", "skill": "python",
          "name": "sql", "kind": "Role",
          "company": "NVIDIA", "domain": "MLOps", "root": "EDA", "top": "3", "split": "2024-07"}
CAREER = {
    "gap": ["gap", "--have", "python, sql, pandas", "--role", "data scientist"],
    "match": ["match", "--have", "python, sql, spark, kafka, airflow"],
    "next": ["next", "--have", "python, sql"],
    "related": ["related", "pytorch"],
    "similar-roles": ["similar-roles", "data engineer"],
    "gap --vocab esco": ["gap", "--vocab", "esco", "--have", "python, SQL, statistics", "--role", "data scientist"],
    "match --vocab esco": ["match", "--vocab", "esco", "--have", "python, SQL, statistics"],
    "next --vocab esco": ["next", "--vocab", "esco", "--have", "python, SQL", "--roles", "data scientist"],
    "related --vocab onet": ["related", "--vocab", "onet", "python"],
    "similar-roles --vocab onet": ["similar-roles", "--vocab", "onet", "data scientists"],
}
#: Queries of the server protocol, not answers for a person: ``quads`` is every triple of the store, page by page.
PROTOCOL = {"quads"}
_CONCEPT = re.compile(r"(http://data\.europa\.eu/esco/(?:skill|occupation|isco|isced-f)/[^\s,|\"]+)")

IMPORT = """
import json, resource, sys, time
from pathlib import Path
from kg.store import LocalStore
from kg.taxonomies import import_taxonomy
started, cpu = time.perf_counter(), time.process_time()
result = import_taxonomy(LocalStore.at(sys.argv[2]), sys.argv[1], [Path(p) for p in sys.argv[3:]])
print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                  "triples": result.triples, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def import_in_child(python: str, taxonomy: str, store: Path, paths: list[Path]) -> dict[str, float]:
    """Import in a fresh interpreter; its time, CPU time, triples and peak resident memory."""
    out = subprocess.run([python, "-c", IMPORT, taxonomy, str(store), *map(str, paths)],
                         check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(out.stdout)


def scaled_esco(source: Path, copies: int, target: Path) -> Path:
    """ESCO's CSVs with every concept copied ``copies`` times under new IRIs, as a folder of CSV files."""
    from kg.taxonomies.esco import FILES

    wanted = {name for names in FILES.values() for name in names}
    target.mkdir(parents=True, exist_ok=True)
    for archive_path in sorted(source.glob("*.zip")):
        with zipfile.ZipFile(archive_path) as archive:
            for name in set(archive.namelist()) & wanted:
                with archive.open(name) as raw, open(target / name, "w", encoding="utf-8", newline="") as out:
                    rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
                    writer = csv.writer(out)
                    writer.writerow(next(rows))
                    body = list(rows)
                    for copy in range(copies):
                        suffix = f"-copy{copy}" if copy else ""
                        for row in body:
                            writer.writerow([_CONCEPT.sub(lambda m, s=suffix: m.group(1) + s, cell) for cell in row])
    return target


def commands(kg: list[str]) -> dict[str, list[str]]:
    """Every named query (with the parameters it takes) and every career command, as command lines."""
    listed = subprocess.run([*kg, "queries", "-f", "json"], check=True, capture_output=True, text=True)
    out: dict[str, list[str]] = {}
    for query in json.loads(listed.stdout):
        if query["name"] in PROTOCOL:
            continue
        args = ["query", query["name"]]
        for param in query["params"]:  # what it needs, and how many a ranking shows
            if not param.get("optional") or param["name"] == "top":
                args += ["--param", f"{param['name']}={PARAMS[param['name']]}"]
        out[f"query {query['name']}"] = args
    out.update(CAREER)
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], runs: int) -> dict[str, Any]:
    """The median wall and CPU time of ``runs`` runs of ``cmd``, its exit code and how many bytes it printed."""
    times, cpus, code, size = [], [], 0, 0
    for _ in range(runs):
        started, cpu = time.perf_counter(), _children_cpu()
        done = subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        cpus.append(_children_cpu() - cpu)
        code, size = done.returncode, len(done.stdout)
        if code:
            break
    return {"seconds": statistics.median(times), "cpu": statistics.median(cpus), "code": code, "bytes": size,
            "error": done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] if code else []}


def _merge(runs: dict[str, Any], one: dict[str, Any]) -> dict[str, Any]:
    """``runs`` with one more run: the lists of times, the medians, the last exit code and output."""
    times, cpus = [*runs.get("times", []), one["seconds"]], [*runs.get("cpus", []), one["cpu"]]
    return {**one, "times": times, "seconds": statistics.median(times), "cpus": cpus, "cpu": statistics.median(cpus)}


def _shown(got: dict[str, Any]) -> str:
    if got["code"] == 2 and not got["bytes"]:
        return "n/a"
    if got["code"]:
        return f"exit {got['code']}: {' '.join(got['error'])}"
    return f"{got['seconds']:.2f} s, {got['cpu']:.2f} s CPU"


def _ratio(old: dict[str, Any] | None, new: dict[str, Any], measure: str) -> str:
    """How many times faster than the baseline, by ``measure``."""
    if old is None or old["code"] or new["code"] or not new[measure]:
        return ""
    return f" {old[measure] / new[measure]:.1f}x |"


def make_store(kg: list[str], store: Path, esco: Path, onet: Path) -> None:
    """``kg build`` + ``kg import esco`` + ``kg import onet`` into ``store``."""
    for args in (["build", "--no-exports"], ["import", "esco", str(esco)], ["import", "onet", str(onet)]):
        subprocess.run([*kg, "--store", str(store), "--quiet", *args], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=5, help="Cold runs per command (the median is shown).")
    parser.add_argument("--store", type=Path, help="Reuse (or make, if absent) this default + ESCO + O*NET store.")
    parser.add_argument("--kg", type=Path, help="The kg script to time (default: the one next to this Python).")
    parser.add_argument("--baseline", type=Path, help="Also time this kg script (an older kg), alternately.")
    parser.add_argument("--baseline-store", type=Path, help="The store of --baseline (made here if absent).")
    parser.add_argument("--scales", default="", help="Also time imports of ESCO this many times its size (1,4).")
    parser.add_argument("--json", type=Path, help="Write every figure here.")
    parser.add_argument("--skip", default="", help="Leave out these commands (comma-separated, as in the table).")
    parser.add_argument("--only", default="", help="Time only these commands (comma-separated, as in the table).")
    parser.add_argument("--target", type=float, default=TARGET_SECONDS, help="The limit each command must meet.")
    parser.add_argument("--measure", choices=("wall", "cpu"), default="wall",
                        help="Judge PASS/FAIL by wall time (a quiet machine) or CPU time (a busy one).")
    args = parser.parse_args()
    script = args.kg or Path(sys.executable).parent / "kg"
    kg = [str(script)]
    python = str(script.parent / "python")
    esco, onet = args.data / "esco-v1.1.1", args.data / "onet-29.2"
    results: dict[str, Any] = {"kg": str(script), "load": os.getloadavg(), "imports": {}, "commands": {}}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for scale in (int(s) for s in args.scales.split(",") if s):
            paths = [esco] if scale == 1 else [scaled_esco(esco, scale, root / f"esco-x{scale}")]
            got = import_in_child(python, "esco", root / f"store-x{scale}", paths)
            results["imports"][f"esco x{scale}"] = got
            print(f"import esco x{scale:<3} {got['triples']:>10,} triples  {got['seconds']:6.1f} s  "
                  f"(CPU {got['cpu']:.1f} s)  peak RSS {got['peak_mb']:6.0f} MB")
        if args.scales:
            got = import_in_child(python, "onet", root / "store-onet", [onet])
            results["imports"]["onet"] = got
            print(f"import onet      {got['triples']:>10,} triples  {got['seconds']:6.1f} s  "
                  f"(CPU {got['cpu']:.1f} s)  peak RSS {got['peak_mb']:6.0f} MB")
        store = args.store or root / "store-all"
        if not (store / "HEAD").is_file():
            make_store(kg, store, esco, onet)
        baseline = [str(args.baseline)] if args.baseline else None
        base_store = args.baseline_store or root / "store-baseline"
        if baseline and not (base_store / "HEAD").is_file():
            make_store(baseline, base_store, esco, onet)
        measure = "seconds" if args.measure == "wall" else "cpu"
        before = " before | ratio |" if baseline else ""
        print(f"\n| command (cold CLI, median of {args.runs}) |{before} now | target ({args.measure}) |")
        print("|---|---|---|" + ("---|---|" if baseline else ""))
        met = checked = 0
        skipped = {name.strip() for name in args.skip.split(",") if name.strip()}
        only = {name.strip() for name in args.only.split(",") if name.strip()}
        for name, cmd in commands(kg).items():
            if name in skipped or (only and name not in only):
                continue
            got, old = {}, None
            for _ in range(args.runs):  # alternately, so that both see the same load
                one = timed([*kg, "--store", str(store), *cmd, "-f", "json"], 1)
                got = _merge(got, one)
                if baseline:
                    old = _merge(old or {}, timed([*baseline, "--store", str(base_store), *cmd, "-f", "json"], 1))
            results["commands"][name] = got
            if old is not None:
                results.setdefault("baseline", {})[name] = old
            shown_old = "" if old is None else f" {_shown(old)} |{_ratio(old, got, measure)}"
            if baseline and not _ratio(old, got, measure):
                shown_old += " |"
            if got["code"] == 2 and "--vocab" in cmd:
                print(f"| `{name}` |{shown_old} n/a | |")
                continue
            ok = got["code"] == 0 and got[measure] <= args.target
            met, checked = met + ok, checked + 1
            verdict = "PASS" if ok else "FAIL"
            print(f"| `{name}` |{shown_old} {_shown(got)} | <= {args.target:g} s {verdict} |", flush=True)
        load = os.getloadavg()
        print(f"\n{met} of {checked} commands within {args.target:g} s of {args.measure} time "
              f"(load average {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} cores).")
        if not args.store:
            shutil.rmtree(store, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0 if met == checked else 1


if __name__ == "__main__":
    sys.exit(main())
