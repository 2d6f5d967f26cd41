"""Commands on job postings: extract (print what was found) and ingest (store it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from kg.cli.common import print_json, print_table, progress_bar, say, store_of, write_output

F = TypeVar("F", bound=Callable[..., Any])

LIMITS = [
    click.option("--max-bytes", type=click.IntRange(1), default=50 * 1024 * 1024, show_default=True,
                 envvar="KG_MAX_BYTES", help="Refuse files larger than this."),
    click.option("--max-line", type=click.IntRange(1), default=100_000, show_default=True,
                 envvar="KG_MAX_LINE", help="Refuse lines longer than this many characters."),
]


def limits_options(command: F) -> F:
    """The --max-bytes and --max-line options, for the commands that read postings."""
    for option in reversed(LIMITS):
        command = option(command)
    return command


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "ttl", "table"]), default="json", show_default=True)
@click.option("--unknown", is_flag=True, help="Also list terms that look like skills but are not in the vocabulary.")
@click.option("--vocab", type=click.Choice(["kg", "esco", "onet"]), default="kg", show_default=True,
              help="Match kg's skills, or the labels of an imported taxonomy in the store.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@limits_options
@click.pass_context
def extract(ctx: click.Context, files: tuple[str, ...], fmt: str, unknown: bool, vocab: str, output: str | None,
            max_bytes: int, max_line: int) -> None:
    """Print the postings found in FILES (text, markdown, JSON-LD; - is stdin); store nothing.

    Each posting comes with its role, company, domain, and every skill marked
    required or preferred with its source line.

    \b
    Examples:
      kg extract posting.txt
      kg extract notes.md --format table
      cat posting.txt | kg extract - --unknown
    """
    from kg.extract import extract_files

    vocabulary = None
    if vocab != "kg":
        from kg.taxonomies import taxonomy_vocabulary

        vocabulary = taxonomy_vocabulary(store_of(ctx).reader(), vocab)
    found = extract_files(list(files), vocab=vocabulary, unknown=unknown, max_bytes=max_bytes, max_line=max_line)
    if fmt == "json":
        print_json(found.to_json(), output)
    elif fmt == "ttl":
        from kg.quads import postings_turtle

        write_output(postings_turtle(found.distinct), output)
    else:
        print_table([p.to_row() for p in found.postings], title="Postings")
        if found.unknown:
            print_table([{"term": t, "postings": n} for t, n in found.unknown[:50]], title="Not in the vocabulary")


@click.command()
@click.argument("files", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extract in this many processes (one writer stores the result).")
@limits_options
@click.pass_context
def ingest(ctx: click.Context, files: tuple[str, ...], jobs: int, max_bytes: int, max_line: int) -> None:
    """Extract the postings of FILES into the store, all or nothing.

    Re-ingesting a posting changes nothing: its IRI comes from its content.

    Example: kg ingest postings/*.md --jobs 4
    """
    from kg.ingest import Limits
    from kg.ingest import ingest as run_ingest

    with progress_bar(ctx, len(files), "extracting") as advance:
        result = run_ingest(store_of(ctx), list(files), jobs=jobs, limits=Limits(max_bytes, max_line),
                            on_file=lambda _path, _n: advance())
    say(ctx, f"ingested {result.postings} posting(s) from {result.files} file(s): {result.new} new, "
             f"{result.duplicates} duplicate(s); the store holds {result.triples_after:,} triples "
             f"({result.triples_after - result.triples_before:+,})")


COMMANDS = [extract, ingest]
