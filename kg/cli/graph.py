"""Commands on the graph itself: build, load, export, query, queries, update, rederive, validate, stats, viz."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.common import (
    ENDPOINT,
    VOCAB,
    binary_output,
    check_iris,
    print_json,
    print_table,
    progress_bar,
    refuse_overwrite,
    say,
    source_of,
    stages,
    store_of,
    text_output,
    write_output,
)
from kg.numbers import PAGE_ROWS

#: ``kg export``'s formats (``kg.export.FORMATS``, written out so that ``kg --help`` need not import the exporters).
EXPORT_FORMATS = ("turtle", "nt", "jsonld", "graphml", "jobposting")

@click.command()
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("exports"),
              show_default=True, help="Where to write the exports.")
@click.option("--no-exports", is_flag=True, help="Only load the store; write no files.")
@click.pass_context
def build(ctx: click.Context, out_dir: Path, no_exports: bool) -> None:
    """Load the default graph into the store and write the exports.

    Writes kg.ttl, kg.nt, kg.jsonld, kg.graphml, kg.html and report.html to
    OUT_DIR. Other graphs in the store (ingested postings, imported
    taxonomies) are kept.

    Example: kg build --store /tmp/kg-store -o exports
    """
    from kg.build import build as run_build

    result = run_build(store_of(ctx), None if no_exports else out_dir, progress=lambda m: say(ctx, m))
    say(ctx, f"built {result.triples:,} triples into {result.store}")
    for path in result.exports:
        click.echo(str(path))


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", "graph_iri", metavar="IRI", callback=check_iris,
              help="Load into this named graph (default: the 'loaded' graph).")
@click.option("--replace", is_flag=True, help="Empty the graph first.")
@click.option("--force", is_flag=True, help="Allow loading into kg's own graphs (core, postings, derived, ...).")
@click.pass_context
def load(ctx: click.Context, files: tuple[Path, ...], graph_iri: str | None, replace: bool, force: bool) -> None:
    """Load RDF files (Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML) into the store.

    Uses Oxigraph's parser and bulk loader, on a thread per core. Triples (and
    a TriG or N-Quads file's default graph) go to --graph; other named graphs
    stay as they are. kg's own graphs (core, postings, derived, ...) are refused
    unless --force. The load is all or nothing: if any file is malformed, the
    store stays as it was and the error names the file and line.

    Example: kg load extra-skills.ttl --graph https://example.org/g
    """
    from kg.load import load_files

    with progress_bar(ctx, len(files), "loading") as advance:
        result = load_files(store_of(ctx), list(files), graph_iri, replace=replace, force=force,
                            on_file=lambda _p: advance())
    into = ", ".join(f"<{graph}>" for graph in result.graphs or (result.graph,))
    say(ctx, f"loaded {result.triples:,} triples from {len(files)} file(s) into {into}")
    for graph in result.derived_again:
        click.echo(f"kg: warning: kg derives <{graph}> from the rest of the store at every write: it was derived "
                   "again after the load, which replaced what the files put there", err=True)


@click.command(name="export")
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              default="turtle", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here (atomically) instead of stdout.")
@click.option("--graph", "graph_iri", metavar="IRI", callback=check_iris, multiple=True,
              help="Only these named graphs (default: all; from a server: kg's graphs).")
@ENDPOINT
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: str | None, graph_iri: tuple[str, ...],
               endpoint: str | None) -> None:
    """Export the store as Turtle, N-Triples, JSON-LD, GraphML or schema.org JobPostings.

    With --endpoint, the graphs are read from the server (page by page, each
    checked against its size) and exported as from the local store.

    Example: kg export --format graphml -o kg.graphml
    """
    from kg.export import export_store

    if endpoint:
        from kg.pull import fetch, plan
        from kg.remote import Endpoint

        server = Endpoint.from_env(endpoint)
        chosen = plan(server, graph_iri)
        with progress_bar(ctx, sum(chosen.values()), "reading") as advance:
            db = fetch(server, chosen, advance)
        write_output(export_store(db, fmt, list(graph_iri) or None), output)
        return
    write_output(export_store(store_of(ctx).reader(), fmt, list(graph_iri) or None), output)


@click.command()
@click.argument("query")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a query parameter.")
@click.option("-f", "--format", "fmt",
              type=click.Choice(["table", "json", "csv", "tsv", "xml", "turtle", "nt", "jsonld"]), default="table",
              show_default=True, help="json/csv/tsv/xml are the W3C SPARQL result formats.")
@click.option("-o", "--output", metavar="FILE", help="Write here instead of stdout.")
@ENDPOINT
@click.option("--allow-service", is_flag=True, help="Allow SERVICE calls to remote endpoints.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop the query after this many seconds (exit 4). Default: no limit.")
@click.option("--limit", type=click.IntRange(min=0), metavar="N",
              help=f"Show at most N rows (0: all of them); a note on stderr says when rows were left out. "
                   f"Default: {PAGE_ROWS:,}, or a named query's own page (1,000 for the lists of postings).")
@VOCAB
@click.pass_context
def query(ctx: click.Context, query: str, params: tuple[str, ...], fmt: str, output: str | None,
          endpoint: str | None, allow_service: bool, timeout: float | None, limit: int | None,
          vocab: str | None) -> None:
    """Run a named query, a .rq file or inline SPARQL.

    Parameters are bound, never pasted into the query text. A parameter that
    takes a role, skill, company or domain takes its name or an alias, in any
    case and spacing: kg's own concept first, an imported one (ESCO, O*NET)
    when none of ours has the name, or with --vocab. At most --limit rows are
    shown, in every format; when rows were left out, a note on stderr says so.

    \b
    Examples:
      kg query skills-for-role --param role="data scientist"
      kg query top-skills --format csv
      kg query skill-contexts --format csv --limit 0 -o contexts.csv
      kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from kg import paging, queries, supervise
    from kg.errors import QueryError

    if timeout:
        supervise.set_deadline(timeout, f"the query ran longer than --timeout {timeout:g} s", QueryError.exit_code)
    named = queries.resolve(query)
    bound = queries.parse_params(params)
    source = source_of(ctx, endpoint)
    binding = queries.bind(source, named, bound, vocabulary=vocab)
    for found in binding.resolved.values():
        if note := found.note():
            say(ctx, note)
    page = paging.first_rows(queries.run(source, named, binding, allow_service=allow_service),
                             named.page if limit is None else limit)
    if fmt == "table":
        with text_output(output) as stream:
            print_table(queries.iter_rows(page.result, compact_iris=True, hide=[*bound, *queries.DEFAULTED]),
                        stream=stream, iris=not queries.is_shipped(named))
    else:
        with binary_output(output) as stream:
            queries.write_result(page.result, fmt, stream)
    if page.more:  # never left out silently, --quiet or not
        click.echo(page.note(), err=True)


@click.command(name="queries")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def list_queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters.

    Example: kg queries
    """
    from kg.queries import list_queries as all_queries

    found = all_queries()
    if fmt == "json":
        print_json([{"name": q.name, "description": q.description,
                     "params": [{"name": p.name, "help": p.help, "optional": p.optional, "takes": p.kind}
                                for p in q.params],
                     "examples": list(q.examples)} for q in found])
        return
    print_table([{"query": q.name,
                  "parameters": ", ".join(p.name + ("?" if p.optional else "") for p in q.params),
                  "description": q.description} for q in found])


@click.command()
@click.pass_context
def rederive(ctx: click.Context) -> None:
    """Derive again all that the store keeps for its answers (lookup keys, demand, summaries, ranks, tallies,
    graph sizes) from its data: for a store an older kg wrote. Any write does it too.

    Example: kg rederive
    """
    from kg.graph_sizes import rederive_store

    with stages(ctx) as step:
        step("deriving the store's lookup keys, demand, summaries and counts again")
        rederive_store(store_of(ctx))
    say(ctx, "derived again")


@click.command()
@click.argument("update")
@click.option("--yes", is_flag=True, help="Confirm that the store may change.")
@click.option("--allow-remote", is_flag=True, help="Allow LOAD and SERVICE to fetch from the network.")
@click.pass_context
def update(ctx: click.Context, update: str, yes: bool, allow_remote: bool) -> None:
    """Run a SPARQL Update (text or .ru file) on the store, all or nothing.

    The data sits in named graphs (see `kg query graphs`), so match it with
    GRAPH ?g { ... }.

    Example: kg update 'DELETE WHERE { GRAPH ?g { ?s <https://schema.org/industry> ?o } }' --yes
    """
    from kg.load import run_update

    if not yes:
        raise click.UsageError("SPARQL Update changes the store; add --yes to confirm")
    run_update(store_of(ctx), update, allow_remote=allow_remote)
    say(ctx, "updated")


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def validate(ctx: click.Context, fmt: str) -> None:
    """Check the store against the SHACL shapes; exit 8 on violations.

    Example: kg validate
    """
    from kg.errors import ValidationError
    from kg.validate import validate as run_validate

    with stages(ctx) as step:
        report = run_validate(store_of(ctx).reader(), progress=step)
    if fmt == "json":
        print_json({"conforms": report.conforms, "triples": report.triples,
                    "violations": [v.__dict__ for v in report.violations]})
    elif report.violations:
        print_table([v.__dict__ for v in report.violations], title="SHACL violations")
    if not report.conforms:
        raise ValidationError(f"{len(report.violations)} SHACL violation(s) in {report.triples:,} triples")
    if fmt != "json":
        click.echo(f"conforms: {report.triples:,} triples checked against ontology/shapes.ttl")


@click.command()
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@ENDPOINT
@click.pass_context
def stats(ctx: click.Context, fmt: str, endpoint: str | None) -> None:
    """Count the nodes of each class and the links of each relation.

    Example: kg stats --format json
    """
    from kg.stats import counts

    classes, relations = counts(source_of(ctx, endpoint))
    if fmt == "json":
        print_json({"classes": classes, "relations": relations})
        return
    print_table(classes, title="Classes")
    print_table(relations, title="Relations")


@click.command()
@click.option("-o", "--output", metavar="FILE",
              help="The HTML file to write. Default: named by the view "
                   "(kg.html, focus-pytorch.html, company-nvidia.html).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("--focus", metavar="LABEL", help="Only the neighbourhood of this node (any label or alias).")
@click.option("--depth", type=click.IntRange(0, 5), default=1, show_default=True, help="Hops around --focus.")
@click.option("--domain", metavar="NAME", help="Only this domain, its skills and the roles that ask for them.")
@click.option("--company", metavar="NAME", help="What this company's postings ask for, and the profiles of its roles.")
@click.option("--all", "everything", is_flag=True,
              help="Also draw imported ESCO/O*NET concepts that are not aligned to kg's (the whole graph only).")
@click.option("--max-nodes", type=click.IntRange(10), default=50_000, show_default=True,
              help="Prune by degree beyond this many nodes (the page says so).")
@click.option("--postings", is_flag=True, help="Draw job postings as nodes too (they are always in the details).")
@ENDPOINT
@click.pass_context
def viz(ctx: click.Context, output: str | None, force: bool, focus: str | None, depth: int, domain: str | None,
        company: str | None, everything: bool, max_nodes: int, postings: bool, endpoint: str | None) -> None:
    """Draw the graph as a self-contained interactive HTML page (works offline).

    Without -o the file is named by the view, in the current folder; an
    existing file is kept unless you add --force.

    \b
    Examples:
      kg viz                                  writes kg.html
      kg viz --focus pytorch --depth 2        writes focus-pytorch.html
      kg viz --company NVIDIA -o nvidia.html --force
    """
    from kg import viz as draw

    target = output or draw.file_name(focus=focus, domain=domain, company=company)
    refuse_overwrite(target, force)
    view = draw.view(source_of(ctx, endpoint), focus=focus, depth=depth, domain=domain, company=company,
                     max_nodes=max_nodes, postings=postings, everything=everything)
    write_output(draw.page(view).encode("utf-8"), target)
    click.echo(f"wrote {target}: {view.summary()}")


@click.command()
@click.option("-o", "--output", metavar="FILE", default="report.html", show_default=True,
              help="The HTML file to write.")
@click.option("--top", type=click.IntRange(1, 50), default=8, show_default=True,
              help="Skills shown per domain and company.")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@ENDPOINT
@click.pass_context
def report(ctx: click.Context, output: str, top: int, force: bool, endpoint: str | None) -> None:
    """Write a report page: top skills per domain and company, roles per company, required vs preferred.

    The charts are HTML tables with CSS bars, so the page works offline and screen readers read the numbers.

    Example: kg report -o report.html
    """
    from kg.report import report_data, report_page

    refuse_overwrite(output, force)
    write_output(report_page(report_data(source_of(ctx, endpoint), top=top)).encode("utf-8"), output)
    click.echo(f"wrote {output}")


COMMANDS = [build, load, export_cmd, query, list_queries, update, rederive, validate, stats, viz, report]
