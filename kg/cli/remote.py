"""Commands for a remote SPARQL server: push."""

from __future__ import annotations

import click

from kg.cli.common import progress_bar, say, store_of


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL query URL of the server (as for kg query --endpoint).")
@click.option("--store-endpoint", metavar="URL",
              help="Its Graph Store Protocol URL, if kg cannot tell it from --endpoint.")
@click.option("--graph", "graph_iri", metavar="IRI",
              help=("Put everything into this named graph "
                    "(default: each graph of the store into the graph of the same name)."))
@click.option("--replace", is_flag=True, help="Replace those graphs on the server instead of adding to them.")
@click.option("--batch-size", type=click.IntRange(1), default=50_000, show_default=True, help="Triples per request.")
@click.pass_context
def push(ctx: click.Context, endpoint: str, store_endpoint: str | None, graph_iri: str | None, replace: bool,
         batch_size: int) -> None:
    """Upload the store to a SPARQL server through the SPARQL 1.1 Graph Store Protocol.

    Sends N-Triples in batches and retries on connection errors and 5xx.
    Credentials come from KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or
    KG_ENDPOINT_TOKEN, never from options. Queries see the pushed named
    graphs if the server uses the union of its graphs as the default graph.

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
        result = run_push(db, server, graph_iri, replace=replace, batch_triples=batch_size, on_batch=advance)
    say(ctx, f"pushed {result.triples:,} triples to {len(result.graphs)} graph(s) at {result.url} "
             f"in {result.requests} request(s)")


COMMANDS = [push]
