"""What a user writes without kg: parse the Turtle file with rdflib, run the named queries, serialize.

    python benchmarks/rdflib_baseline.py GRAPH.ttl PLAN.json > TIMES.json

PLAN.json is ``{"queries": [{"name", "text", "params"}], "timeout": seconds,
"serialize": bool, "graph": IRI}``. Prints one JSON object: seconds to import rdflib, to
parse, for each query (``null`` past the timeout or on an error) and to serialize Turtle.
A query that names graphs (``GRAPH``) cannot run on a plain ``Graph``: for those the
script parses the file once more, into the named graph ``graph`` of a ``Dataset``, as a
user would, and that parse is what such a query's script pays (``setup``).
The bench runs this in its own process, so its peak memory is measured apart.
"""

from __future__ import annotations

import json
import re
import signal
import sys
import time
from typing import Any


class QueryTimeoutError(Exception):
    """A query ran past the plan's timeout."""


def _alarm(_signum: int, _frame: Any) -> None:
    raise QueryTimeoutError


def main(graph_path: str, plan_path: str) -> dict[str, Any]:
    """Parse, query and serialize as a plain rdflib script would; the timings."""
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    started = time.perf_counter()
    import rdflib

    imported = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(graph_path, format="turtle")
    parsed = time.perf_counter()
    out: dict[str, Any] = {"import": imported - started, "parse": parsed - imported, "triples": len(graph),
                           "queries": {}, "rows": {}, "setup": {}}
    dataset = None
    signal.signal(signal.SIGALRM, _alarm)
    for query in plan["queries"]:
        source: Any = graph
        out["setup"][query["name"]] = out["parse"]
        if re.search(r"\bGRAPH\b", query["text"]) and plan.get("graph"):
            if dataset is None:
                begin = time.perf_counter()
                dataset = rdflib.Dataset(default_union=True)
                dataset.graph(rdflib.URIRef(plan["graph"])).parse(graph_path, format="turtle")
                out["parse_dataset"] = time.perf_counter() - begin
            source = dataset
            out["setup"][query["name"]] = out["parse_dataset"]
        bindings = {rdflib.Variable(k): rdflib.Literal(v) for k, v in query["params"].items()}
        begin = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, plan["timeout"])
        try:
            rows = list(source.query(query["text"], initNs=plan.get("prefixes", {}), initBindings=bindings))
            out["queries"][query["name"]] = time.perf_counter() - begin
            out["rows"][query["name"]] = len(rows)
        except QueryTimeoutError:
            out["queries"][query["name"]] = None
        except Exception as exc:  # noqa: BLE001 - rdflib refuses some queries (GRAPH on a plain Graph)
            out["queries"][query["name"]] = None
            out["rows"][query["name"]] = f"error: {type(exc).__name__}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    if plan.get("serialize"):
        begin = time.perf_counter()
        graph.serialize(format="turtle")
        out["serialize"] = time.perf_counter() - begin
    return out


if __name__ == "__main__":
    json.dump(main(sys.argv[1], sys.argv[2]), sys.stdout)
