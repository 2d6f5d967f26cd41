"""Commands on public taxonomies: import, drop, align."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import print_table, progress_bar, say, store_of, write_output

TAXONOMY = click.Choice(["esco", "onet"])


@click.command(name="import")
@click.argument("taxonomy", type=TAXONOMY)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True, help="Swap out the taxonomy if the store already holds it.")
@click.pass_context
def import_cmd(ctx: click.Context, taxonomy: str, paths: tuple[Path, ...], replace: bool) -> None:
    """Import ESCO (CSV) or O*NET (Excel) into its own named graph.

    ESCO: the folder holding the two CSV zips of ESCO v1.1.x in English, the
    zips themselves, or the unzipped CSV files. O*NET: the folder holding
    Occupation Data.xlsx, Alternate Titles.xlsx and Technology Skills.xlsx.
    The rest of the store is untouched; all or nothing.

    \b
    Examples:
      kg import esco ~/Downloads/esco-v1.1.1
      kg import onet ~/Downloads/db_29_2_excel --replace
    """
    from kg import taxonomies

    source = taxonomies.open_source(taxonomy, list(paths))
    name = taxonomies.TAXONOMIES[taxonomy][0]
    with progress_bar(ctx, source.total, f"importing {name}") as advance:
        result = taxonomies.import_source(store_of(ctx), source, replace=replace, on_progress=advance)
    counts = ", ".join(f"{n:,} {what.replace('_', ' ')}" for what, n in result.counts.items())
    say(ctx, f"imported {name}: {result.triples:,} triples into <{result.graph}> ({counts})")


@click.command()
@click.argument("taxonomy", type=TAXONOMY)
@click.pass_context
def drop(ctx: click.Context, taxonomy: str) -> None:
    """Remove an imported taxonomy's named graph, and nothing else.

    Example: kg drop esco
    """
    from kg import taxonomies

    removed = taxonomies.drop(store_of(ctx), taxonomy)
    name = taxonomies.TAXONOMIES[taxonomy][0]
    say(ctx, f"dropped {name}: {removed:,} triples" if removed else f"the store holds no {name}: nothing to drop")


@click.command()
@click.argument("taxonomy", type=TAXONOMY)
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "tsv"]), default="table", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write TSV here (atomically) instead of stdout.")
@click.option("--unreviewed", is_flag=True, help="Only candidates not yet in ontology/alignments/.")
@click.pass_context
def align(ctx: click.Context, taxonomy: str, fmt: str, output: str | None, unreviewed: bool) -> None:
    """Propose links from our skills and roles to an imported taxonomy, for review.

    Each candidate has a score, the reason (which labels met) and the mapping
    it suggests; the column `current` shows what ontology/alignments/ already
    says. Nothing is written to the store: review the candidates and edit
    ontology/alignments/TAXONOMY.ttl.

    \b
    Examples:
      kg align esco --unreviewed
      kg align onet --format tsv -o onet-candidates.tsv
    """
    from kg.taxonomies.align import candidates, coverage, to_tsv

    db = store_of(ctx).reader()
    found = [c for c in candidates(db, taxonomy) if not (unreviewed and c.current)]
    if fmt == "tsv" or output:
        write_output(to_tsv(found), output)
    else:
        from kg.namespaces import curie

        print_table([{**c.row(), "source": curie(c.source), "target": curie(c.target)} for c in found])
    for kind, counts in coverage(db, taxonomy).items():
        say(ctx, f"{kind.lower()}s aligned: {counts['matched']} of {counts['total']}")


COMMANDS = [import_cmd, drop, align]
