"""Commands for a remote SPARQL server: push the store there, pull its graphs back."""

from __future__ import annotations

import click

from kg.cli.common import check_iris, progress_bar, say, store_of


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL query URL of the server (as for kg query --endpoint).")
@click.option("--store-endpoint", metavar="URL",
              help="Its Graph Store Protocol URL, if kg cannot tell it from --endpoint.")
@click.option("--graph", "graph_iri", metavar="IRI", callback=check_iris,
              help="Put everything into this named graph, or 'default' for the server's default graph "
                   "(default: each graph of the store into the graph of the same name).")
@click.option("--replace", is_flag=True, help="Replace those graphs on the server instead of adding to them.")
@click.option("--batch-size", "batch_mb", type=click.FloatRange(0.001), default=1.0, show_default=True,
              help="Megabytes of N-Triples per request.")
@click.option("--parallel", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Requests in flight at once (Virtuoso takes 2-4; the Oxigraph server is fastest with 1).")
@click.pass_context
def push(ctx: click.Context, endpoint: str, store_endpoint: str | None, graph_iri: str | None, replace: bool,
         batch_mb: float, parallel: int) -> None:
    """Upload the store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

    Sends N-Triples in batches, retries on connection errors and 5xx, then
    counts the triples of each pushed graph on the server and fails if they
    are not all there. Credentials come from KG_ENDPOINT_USER and
    KG_ENDPOINT_PASSWORD (answered as the server asks: Digest or Basic), or
    KG_ENDPOINT_TOKEN, never from options. Queries see the pushed graphs if
    the server's default graph is the union of its graphs; kg warns if not.

    \b
    Example:
      oxigraph serve --location server-db --union-default-graph &
      kg push --endpoint http://localhost:7878/query --replace
    """
    from kg.push import push as run_push
    from kg.remote import Endpoint

    db = store_of(ctx).reader()
    server = Endpoint.from_env(endpoint, store_url=store_endpoint)
    with progress_bar(ctx, len(db), "pushing") as advance:
        result = run_push(db, server, graph_iri, replace=replace, batch_bytes=int(batch_mb * 1_000_000),
                          workers=parallel, on_batch=advance)
    say(ctx, f"pushed {result.triples:,} triples to {len(result.graphs)} graph(s) at {result.url} "
             f"in {result.requests} request(s); the server holds them")
    if not result.default_graph_shows_data:
        click.echo(f"kg: warning: {server.shown} does not show the pushed graphs in its default graph, which kg's "
                   "queries read: give it a union default graph (docs/scale-out.md), or push with --graph default",
                   err=True)


@click.command()
@click.option("--endpoint", required=True, metavar="URL", help="The SPARQL query URL of the server.")
@click.option("--graph", "graphs", metavar="IRI", callback=check_iris, multiple=True,
              help="Copy this graph (repeatable; default: every kg graph on the server).")
@click.option("--all-graphs", is_flag=True, help="Copy every graph on the server, not only kg's.")
@click.pass_context
def pull(ctx: click.Context, endpoint: str, graphs: tuple[str, ...], all_graphs: bool) -> None:
    """Copy graphs of a SPARQL server into the local store, keeping their names.

    Each graph replaces the local graph of the same name; other local graphs
    stay. All or nothing: each graph is counted against what the server says
    it holds, and the store changes only when every graph came whole.

    Example: kg pull --endpoint http://localhost:7878/query
    """
    from kg.pull import plan
    from kg.pull import pull as run_pull
    from kg.remote import Endpoint

    server = Endpoint.from_env(endpoint)
    chosen = plan(server, graphs, all_graphs=all_graphs)
    with progress_bar(ctx, sum(chosen.values()), "pulling") as advance:
        result = run_pull(store_of(ctx), server, chosen, on_triples=advance)
    say(ctx, f"pulled {result.triples:,} triples in {len(result.graphs)} graph(s) from {result.url}")


COMMANDS = [push, pull]
