"""Commands on job postings: extract (print what was found) and ingest (store it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.cli.common import print_json, print_table, say, store_of, text_output, write_output
from kg.cli.progress import ingest_progress

if TYPE_CHECKING:
    from kg.extract.blocks import Block
    from kg.models import Posting

F = TypeVar("F", bound=Callable[..., Any])

LIMITS = [
    click.option("--max-bytes", type=click.IntRange(1), default=50 * 1024 * 1024, show_default=True,
                 envvar="KG_MAX_BYTES", help="Refuse text files larger than this (tables are read row by row)."),
    click.option("--max-line", type=click.IntRange(1), default=100_000, show_default=True,
                 envvar="KG_MAX_LINE", help="Refuse lines longer than this many characters."),
    click.option("--max-row", type=click.IntRange(1), default=1_000_000, show_default=True,
                 envvar="KG_MAX_ROW", help="Skip table rows longer than this many characters."),
    click.option("--max-posting", type=click.IntRange(1), default=200_000, show_default=True,
                 envvar="KG_MAX_POSTING", help="Read a longer posting in its first lines up to this many characters."),
    click.option("--map", "mapping", multiple=True, metavar="FIELD=COLUMN,...",
                 help="Which column holds which field (title, company, description, date_posted, location, ...)."),
    click.option("--near-duplicates/--no-near-duplicates", "near", default=True, show_default=True,
                 help="Count postings reposted with small edits once (MinHash over shingles)."),
]


def limits_options(command: F) -> F:
    """The limits, --map and --near-duplicates options, for the commands that read postings."""
    for option in reversed(LIMITS):
        command = option(command)
    return command


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "ttl", "table", "html"]), default="json",
              show_default=True, help="html: a page of each posting's text with what was read marked in it.")
@click.option("--unknown", is_flag=True, help="Also list terms that look like skills but are not in the vocabulary.")
@click.option("--vocab", type=click.Choice(["kg", "esco", "onet"]), default="kg", show_default=True,
              help="Match kg's skills, or the labels of an imported taxonomy in the store.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@limits_options
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], fmt: str, unknown: bool, vocab: str, output: str | None,
            max_bytes: int, max_line: int, max_row: int, max_posting: int, mapping: tuple[str, ...],
            near: bool) -> None:
    """Print the postings found in FILES; store nothing.

    FILES are text, markdown, JSON-LD, CSV, TSV, JSON Lines, Parquet, or saved
    job pages (HTML with JobPosting JSON-LD); - is stdin. Each posting comes with
    its role, company, domain, date, place, and every skill marked required or
    preferred with its source line (or row).

    \b
    Examples:
      kg extract posting.txt
      kg extract jobs.csv --format table
      kg extract postings/*.txt --unknown -f html -o read.html
      kg extract export.csv --map title=job_title,description=desc
      cat posting.txt | kg extract - --unknown
    """
    from kg.extract import extract_files
    from kg.extract.layouts import parse_map

    vocabulary = None
    if vocab != "kg":
        from kg.taxonomies import taxonomy_vocabulary

        vocabulary = taxonomy_vocabulary(store_of(ctx).reader(), vocab)
    lines: list[list[tuple[int, str]]] = []  # each posting's lines, for -f html

    def keep(block: Block, _: Posting) -> None:
        lines.append([(line.number, line.text) for line in block.lines])

    found = extract_files(list(files), vocab=vocabulary, unknown=unknown, max_bytes=max_bytes, max_line=max_line,
                          max_row=max_row, max_posting=max_posting, mapping=parse_map(mapping), near=near,
                          on_posting=keep if fmt == "html" else None)
    if found.skipped:
        say(ctx, f"skipped {len(found.skipped):,} malformed row(s) (see the warnings above)")
    if fmt == "json":
        print_json(found.to_json(), output)
    elif fmt == "ttl":
        from kg.quads import postings_turtle

        write_output(postings_turtle(found.distinct), output)
    elif fmt == "html":
        from kg.viz.reading import reading_page, view

        views = [view(p, text, f"posting-{n}") for n, (p, text) in enumerate(zip(found.postings, lines), 1)]
        write_output(reading_page(views, list(files)).encode("utf-8"), output)
    else:
        with text_output(output) as stream:
            print_table([p.to_row() for p in found.postings], title="Postings", stream=stream)
            if found.unknown:
                print_table([{"term": c.term, "postings": c.count, "first seen": ", ".join(c.sources[:2])}
                             for c in found.unknown[:50]], title="Not in the vocabulary (kg promote TERM adds one)",
                            stream=stream)


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extract in this many processes (one writer stores the result).")
@limits_options
@click.pass_context
def ingest(ctx: click.Context, files: tuple[str, ...], jobs: int, max_bytes: int, max_line: int, max_row: int,
           max_posting: int, mapping: tuple[str, ...], near: bool) -> None:
    """Extract the postings of FILES into the store, all or nothing.

    FILES are read as by `kg extract`; tables stream row by row. Re-ingesting a
    posting changes nothing: its IRI comes from its content. Exact and near
    duplicates are stored once; malformed rows are skipped with a warning.

    \b
    Examples:
      kg ingest postings/*.md --jobs 2
      kg ingest linkedin_postings.csv jobspy.jsonl --jobs 2
    """
    from kg.extract.layouts import parse_map
    from kg.extract.sources import ReadOptions
    from kg.ingest import ingest as run_ingest

    options = ReadOptions(max_bytes, max_line, max_row, tuple(sorted(parse_map(mapping).items())), max_posting)
    with ingest_progress(ctx, files) as progress:
        result = run_ingest(store_of(ctx), list(files), jobs=jobs, options=options, progress=progress, near=near)
    for path, layout in sorted(result.layouts.items()):
        say(ctx, f"{path}: read as {layout}")
    say(ctx, f"ingested {result.postings:,} posting(s) from {result.files} file(s): {result.new:,} new, "
             f"{result.duplicates:,} duplicate(s) ({result.near_duplicates:,} near), "
             f"{result.skipped:,} malformed row(s) skipped; {result.quads_written:,} quads written")


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--out", "out", required=True, metavar="DIR", help="The folder for the N-Quads shards.")
@click.option("--scheduler", metavar="ADDRESS",
              help="A running Dask scheduler (tcp://host:8786). Default: a local cluster of --workers processes.")
@click.option("--workers", type=click.IntRange(1, 256), default=2, show_default=True,
              help="Worker processes of the local cluster.")
@click.option("--partition", type=click.IntRange(1), default=5_000, show_default=True,
              help="Postings per partition sent to a worker.")
@click.option("--no-core", is_flag=True, help="Leave out core.nq (the default graph), for a store that has it.")
@limits_options
@click.pass_context
def shard(ctx: click.Context, files: tuple[str, ...], out: str, scheduler: str | None, workers: int, partition: int,
          no_core: bool, max_bytes: int, max_line: int, max_row: int, max_posting: int, mapping: tuple[str, ...],
          near: bool) -> None:
    """Extract FILES on a Dask cluster into N-Quads shards, for `kg load` or a server's bulk loader.

    Loading the shards into an empty store gives the graph `kg ingest` would
    build from the same FILES. Needs Dask: pip install 'kg[dask]'.

    \b
    Examples:
      kg shard postings.csv -o shards/ --workers 4 && kg load --force shards/*.nq
      kg shard big/*.jsonl -o shards/ --scheduler tcp://scheduler:8786
    """
    from pathlib import Path

    from kg.errors import UsageError
    from kg.extract.layouts import parse_map
    from kg.extract.sources import ReadOptions

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("kg shard needs Dask: pip install 'kg[dask]'") from None
    from kg.cluster import extract_to_shards
    from kg.load import check_readable

    for name in files:  # before a cluster starts (3 s of CPU for a local one), not after
        if name != "-":
            check_readable(Path(name))
    options = ReadOptions(max_bytes, max_line, max_row, tuple(sorted(parse_map(mapping).items())), max_posting)
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1,  # type: ignore[no-untyped-call]
                                                  processes=True, dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:  # type: ignore[no-untyped-call]
            result = extract_to_shards(client, list(files), Path(out), options=options, partition=partition,
                                       near=near, core=not no_core)
    finally:
        if cluster is not None:
            cluster.close()
    say(ctx, f"read {result.postings:,} posting(s): {result.kept:,} kept, {result.duplicates:,} duplicate(s) "
             f"({result.near_duplicates:,} near), {result.skipped:,} malformed row(s) skipped; "
             f"wrote {len(result.shards)} shard(s) to {out}")


@click.command()
@click.argument("term")
@click.option("--alias", "aliases", multiple=True, metavar="LABEL", help="Another name of the skill (repeatable).")
@click.option("--domain", metavar="ID", help="The id of the kg domain it belongs to (e.g. data-engineering).")
@click.option("--file", "path", type=click.Path(dir_okay=False), envvar="KG_ADDED_SKILLS",
              help="The list of added skills. Default: ~/.local/share/kg/added-skills.tsv.")
def promote(term: str, aliases: tuple[str, ...], domain: str | None, path: str | None) -> None:
    """Add TERM (one of kg extract --unknown's candidates) to the vocabulary as a skill.

    The next kg extract or kg ingest links it; the list of added skills is a
    tab-separated file you can edit or delete.

    Example: kg promote DuckDB --alias duckdb --domain databases
    """
    from pathlib import Path

    from kg.extract.promote import promote as add

    target, ident = add(term, aliases=aliases, domain=domain, path=Path(path) if path else None)
    click.echo(f"added skill {ident!r} ({term}) to {target}")


COMMANDS = [extract, ingest, shard, promote]
