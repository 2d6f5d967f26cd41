"""What every command shares: error mapping, the store, progress, output."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from kg.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, KgError
from kg.namespaces import VOCABULARIES

if TYPE_CHECKING:
    from kg.source import GraphSource
    from kg.store import LocalStore

#: ``--vocab``: find names in one vocabulary (kg's own, or an imported taxonomy) instead of kg's own first.
VOCAB = click.option("--vocab", type=click.Choice(list(VOCABULARIES)), default=None,
                     help="Take names from this vocabulary only (default: kg's own first, then ESCO and O*NET).")


class KgGroup(click.Group):
    """A click group that turns every error, usage errors included, into one line on stderr and an exit code."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise  # `kg` alone prints the help
        except click.ClickException as exc:  # the group's own options: --store, KG_STORE
            click.echo(error_line(_usage_message(exc)), err=True)
            raise SystemExit(exc.exit_code) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.NoArgsIsHelpError:
            raise  # `kg query` alone prints the command's help
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except click.ClickException as exc:
            _fail(ctx, None, _usage_message(exc), exc.exit_code)
        except KgError as exc:
            _fail(ctx, exc, str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail(ctx, None, "interrupted", EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (kg query | head): stop quietly
            raise SystemExit(0) from None
        except MemoryError as exc:
            _fail(ctx, exc, "out of memory", EXIT_INTERNAL)
        except Exception as exc:  # noqa: BLE001 - the one place that turns bugs into a clean line
            message = f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
            _fail(ctx, exc, message, EXIT_INTERNAL)


def _usage_message(exc: click.ClickException) -> str:
    """A click error as one line, with where to read more (``see 'kg viz --help'``)."""
    message = " ".join(exc.format_message().split())
    where = getattr(exc, "ctx", None)
    return f"{message} (see '{where.command_path} --help')" if isinstance(where, click.Context) else message


def _fail(ctx: click.Context, exc: BaseException | None, message: str, code: int) -> NoReturn:
    if exc is not None and (ctx.obj or {}).get("debug"):
        traceback.print_exception(exc)
    click.echo(error_line(message), err=True)
    ctx.exit(code)


def error_line(message: str) -> str:
    """``kg: error: MESSAGE``: its first line, control and escape characters shown escaped (``\\x1b``)."""
    from kg.cli.table import clean

    return f"kg: error: {clean(message.splitlines()[0]) if message.strip() else 'failed'}"


def store_of(ctx: click.Context) -> LocalStore:
    """The local store chosen with ``--store`` / ``KG_STORE``."""
    from kg.store import LocalStore

    return LocalStore.at(ctx.find_root().obj.get("store"))


def check_iris(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
    """(An option callback) refuse a value, or any of a tuple of values, that is not an absolute IRI.

    Raises:
        click.BadParameter: one is not; shown as one ``kg: error:`` line, exit code 2.
    """
    import pyoxigraph as ox

    for item in value if isinstance(value, tuple) else [value] if value is not None else []:
        try:
            ox.NamedNode(str(item))
        except ValueError as exc:
            message = f"{item!r} is not an IRI ({exc}); write one like https://example.org/graph"
            raise click.BadParameter(message) from None
    return value


ENDPOINT = click.option("--endpoint", metavar="URL",
                        help="Read from this SPARQL 1.1 server (its query URL) instead of the local store.")


def source_of(ctx: click.Context, endpoint: str | None) -> GraphSource:
    """What a reading command reads: the server at ``endpoint``, or the local store."""
    if endpoint:
        from kg.remote import Endpoint
        from kg.source import RemoteGraph

        return RemoteGraph(Endpoint.from_env(endpoint))
    db = store_of(ctx).reader()
    from kg.graph_sizes import stale_note

    if (note := stale_note(db)) and not quiet(ctx):
        click.echo(note, err=True)
    return db


def quiet(ctx: click.Context) -> bool:
    return bool(ctx.find_root().obj.get("quiet"))


def say(ctx: click.Context, message: str) -> None:
    """A progress or status line on stderr (never stdout, where results go)."""
    if not quiet(ctx):
        click.echo(message, err=True)


@contextlib.contextmanager
def progress_bar(ctx: click.Context, total: int | None, description: str) -> Iterator[Any]:
    """Progress on stderr while a long command works; ``advance(n)`` moves it.

    On a terminal, a rich progress bar; otherwise (a log, a pipe) one plain line at each tenth
    of the way. Nothing with ``--quiet``.
    """
    if quiet(ctx):
        yield lambda _n=1: None
        return
    if not sys.stderr.isatty():
        done = [0, 0]

        def advance(n: int = 1) -> None:
            done[0] += n
            if total:
                tenth = min(10, done[0] * 10 // total)
                if tenth > done[1]:
                    done[1] = tenth
                    click.echo(f"{description}: {done[0] * 100 // total}% ({done[0]:,} of {total:,})", err=True)

        yield advance
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)


@contextlib.contextmanager
def stages(ctx: click.Context) -> Iterator[Any]:
    """``step(text)`` shows what a long command is doing now, on stderr: a spinner on a terminal, else a line."""
    if quiet(ctx):
        yield lambda _text: None
        return
    if not sys.stderr.isatty():
        yield lambda text: click.echo(f"{text}…", err=True)
        return
    from rich.console import Console

    with Console(stderr=True).status("working…") as status:
        yield lambda text: status.update(f"{text}…")


def write_output(data: bytes, output: str | None) -> None:
    """Write ``data`` to the file ``output`` atomically, or to stdout."""
    if output and output != "-":
        from kg.fileio import write_bytes_atomic

        write_bytes_atomic(Path(output), data)
        return
    stream = sys.stdout.buffer
    stream.write(data)
    stream.flush()


def refuse_overwrite(path: str, force: bool) -> None:
    """Stop with a usage error if ``path`` exists and ``--force`` was not given.

    Raises:
        UsageError: the file exists.
    """
    from kg.errors import UsageError

    if path != "-" and not force and Path(path).exists():
        raise UsageError(f"{path} exists: add --force to overwrite it, or choose another file with -o")


def print_json(data: Any, output: str | None = None) -> None:
    """Stable, indented JSON on stdout or in a file, written as it is encoded.

    (Encoding a whole result to one string first took about seven times its size in memory:
    200 MB more for the 32 MB of 12,000 postings.)
    """
    with binary_output(output) as stream:
        chunks: list[str] = []
        for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data):
            chunks.append(chunk)
            if len(chunks) >= 4096:
                stream.write("".join(chunks).encode("utf-8"))
                chunks.clear()
        stream.write(("".join(chunks) + "\n").encode("utf-8"))


@contextlib.contextmanager
def binary_output(output: str | None) -> Iterator[IO[bytes]]:
    """Where bytes go: the file ``output`` (written atomically, when the block succeeds), or stdout."""
    if output and output != "-":
        from kg.fileio import atomic_write

        with atomic_write(Path(output)) as handle:
            yield handle
        return
    yield sys.stdout.buffer
    sys.stdout.buffer.flush()


def print_table(rows: Iterable[dict[str, Any]], columns: Sequence[str] | None = None, title: str | None = None,
                stream: IO[str] | None = None, *, iris: bool = False) -> None:
    """Rows as a table on stdout or ``stream`` (see :mod:`kg.cli.table`); IRI columns only with ``kg --iris`` (or
    ``iris``: a query the user wrote, whose columns they chose)."""
    from kg.cli.table import write_table

    ctx = click.get_current_context(silent=True)
    iris = iris or bool(ctx and (ctx.find_root().obj or {}).get("iris"))
    if not write_table(rows, columns, title=title, iris=iris, stream=stream):
        click.echo("(no rows)", err=True)


@contextlib.contextmanager
def text_output(output: str | None) -> Iterator[IO[str] | None]:
    """Where tables go: the file ``output`` (written atomically, when the block succeeds), or stdout (``None``)."""
    if not output or output == "-":
        yield None
        return
    from kg.fileio import atomic_write

    with atomic_write(Path(output)) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


def parse_skills(text: str | Sequence[str]) -> list[str]:
    """``"python, SQL;spark"`` (or several --have options) as a list of skill names."""
    items = [text] if isinstance(text, str) else list(text)
    names: list[str] = []
    for item in items:
        names.extend(part.strip() for part in item.replace(";", ",").split(","))
    return [n for n in names if n]
