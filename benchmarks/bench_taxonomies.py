"""ESCO import time and peak memory; query times on the default graph plus ESCO plus O*NET.

Each import runs in a fresh process, so its peak resident memory is its own.
``--scales 1,4`` also imports ESCO made 4 times larger (every concept copied
under new IRIs) to show that memory stays flat as the input grows.

    python benchmarks/bench_taxonomies.py [--data ../shared/data] [--scales 1,4] [--repeat 3]
        [--timeout 120] [--alternative my-skills-for-role.rq ...]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
QUERIES = {
    "skills-for-role": {"role": "data scientist"},
    "top-skills": {},
    "esco-skills-for-role": {"role": "data scientist"},
}
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


def import_in_child(taxonomy: str, store: Path, paths: list[Path]) -> dict[str, float]:
    """Import in a fresh interpreter; its time, CPU time, triples and peak resident memory."""
    out = subprocess.run([sys.executable, "-c", IMPORT, taxonomy, str(store), *map(str, paths)],
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


QUERY = """
import json, sys, time
from pathlib import Path
from kg import queries
from kg.store import LocalStore
db = LocalStore.at(sys.argv[1]).reader()
query = queries.resolve(sys.argv[2])
best, count = float("inf"), 0
for _ in range(int(sys.argv[4])):
    started = time.perf_counter()
    count = len(queries.rows(queries.run(db, query, json.loads(sys.argv[3]))))
    best = min(best, time.perf_counter() - started)
print(json.dumps({"seconds": best, "rows": count}))
"""


def time_query(store: Path, query: str, params: dict[str, str], repeat: int, timeout: float) -> dict[str, float] | None:
    """Best wall time over ``repeat`` runs and the row count, in a fresh process; None past ``timeout`` s."""
    try:
        out = subprocess.run([sys.executable, "-c", QUERY, str(store), query, json.dumps(params), str(repeat)],
                             capture_output=True, text=True, cwd=REPO, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode:
        raise SystemExit(f"{query} failed: {out.stderr.strip().splitlines()[-1]}")
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--scales", default="1", help="Comma-separated ESCO sizes to import, such as 1,4.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="Stop a query after this many seconds.")
    parser.add_argument("--alternative", type=Path, nargs="*", default=[],
                        help="Also time these .rq files (parameters as for the named query of the same name).")
    args = parser.parse_args()
    esco, onet = args.data / "esco-v1.1.1", args.data / "onet-29.2"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for scale in (int(s) for s in args.scales.split(",")):
            paths = [esco] if scale == 1 else [scaled_esco(esco, scale, root / f"esco-x{scale}")]
            got = import_in_child("esco", root / f"store-x{scale}", paths)
            print(f"import esco x{scale:<3} {got['triples']:>10,} triples  {got['seconds']:6.1f} s  "
                  f"(CPU {got['cpu']:.1f} s)  peak RSS {got['peak_mb']:6.0f} MB")
        got = import_in_child("onet", root / "store-onet", [onet])
        print(f"import onet      {got['triples']:>10,} triples  {got['seconds']:6.1f} s  "
              f"(CPU {got['cpu']:.1f} s)  peak RSS {got['peak_mb']:6.0f} MB")

        from kg.build import build
        from kg.store import LocalStore
        from kg.taxonomies import import_taxonomy

        store = root / "store-all"
        build(LocalStore.at(store), None)
        import_taxonomy(LocalStore.at(store), "esco", [esco])
        import_taxonomy(LocalStore.at(store), "onet", [onet])
        queries = [(name, name, params) for name, params in QUERIES.items()]
        from kg.queries import load_file

        queries += [(path.name, str(path), QUERIES.get(load_file(path).name, {})) for path in args.alternative]
        for label, query, params in queries:
            got = time_query(store, query, params, args.repeat, args.timeout)
            stopped = f"> {args.timeout:.0f} s (stopped)"
            timing = f"{got['seconds'] * 1000:8.0f} ms  {got['rows']:>5} rows" if got else stopped
            print(f"query {label:<22} {timing}  (default graph + ESCO + O*NET)")

if __name__ == "__main__":
    main()
