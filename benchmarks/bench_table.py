"""How fast tables print: rows per second of ``kg.cli.table.write_table`` off a terminal, against rich's table
(what every table used before) in the same run; CPU time, so that a busy machine does not skew it.

The rows are shaped like ``kg query skills-for-role`` output: an IRI, a label, a level, a count and a share.

    python benchmarks/bench_table.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import io
import time

from kg.cli.table import write_table
from kg.namespaces import Iri

TARGET = 50_000


def rows(n: int) -> list[dict[str, object]]:
    return [{"skill": Iri(f"skill:s{i}"), "label": f"Skill number {i}", "level": "required" if i % 3 else "preferred",
             "postings": i % 97, "share": (i % 97) / 97} for i in range(n)]


def rich_table(data: list[dict[str, object]], out: io.StringIO) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in data[0]:
        table.add_column(column)
    for row in data:
        table.add_row(*(str(value) for value in row.values()))
    Console(file=out, width=120).print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    data = rows(args.rows)
    started = time.process_time()
    write_table(iter(data), stream=io.StringIO(), terminal=False)
    plain = args.rows / (time.process_time() - started)
    sample = data[:5_000]
    started = time.process_time()
    rich_table(sample, io.StringIO())
    rich = len(sample) / (time.process_time() - started)
    print("| table | rows/s | target |")
    print("|---|---|---|")
    verdict = "met" if plain >= TARGET else "missed"
    print(f"| kg, plain (off a terminal), {args.rows:,} rows | {plain:,.0f} | {TARGET:,}: {verdict} |")
    print(f"| rich (before), {len(sample):,} rows | {rich:,.0f} | |")
    print(f"\nkg is {plain / rich:.0f}x faster than the rich table")


if __name__ == "__main__":
    main()
