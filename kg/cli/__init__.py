"""The ``kg`` command line: parse options, call the library, render what comes back.

Errors are mapped to one line on stderr and an exit code in one place,
:class:`KgGroup`; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from kg import __version__
from kg.cli import career, evaluate, graph, postings, remote, taxonomies
from kg.cli.common import KgGroup

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=KgGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--store",
    "store",
    type=click.Path(file_okay=False, path_type=str),
    envvar="KG_STORE",
    show_envvar=True,
    help="The store folder. Default: ~/.local/share/kg/store.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress output on stderr.")
@click.option("--iris", is_flag=True,
              help="Show the IRI columns of tables (left out by default: the labels say the same).")
@click.version_option(__version__, "-V", "--version", prog_name="kg")
@click.pass_context
def cli(ctx: click.Context, store: str | None, debug: bool, quiet: bool, iris: bool) -> None:
    """A knowledge graph of job roles, skills and companies, built from job postings.

    \b
    Start with:
      kg build                      load the default graph, write exports/
      kg queries                    list the named queries
      kg query skills-for-role --param role="data scientist"
      kg viz --focus PyTorch -o pytorch.html
    """
    ctx.ensure_object(dict)
    ctx.obj.update(store=store, debug=debug, quiet=quiet or bool(os.environ.get("KG_QUIET")), iris=iris)
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING, format="kg: %(levelname)s: %(message)s",
                        force=True)


for module in (graph, postings, evaluate, career, remote, taxonomies):
    for command in module.COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> Any:
    """Run the command line as the ``kg`` script does (:func:`kg.supervise.main`), stoppable at once."""
    from kg.supervise import main as supervised

    supervised(argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
