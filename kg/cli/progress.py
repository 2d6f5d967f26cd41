"""The progress bar of long reads (``kg ingest``): bytes read, postings, postings a second, time left."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from kg.cli.common import quiet

if TYPE_CHECKING:
    from kg.ingest import Progress


def columns() -> list[Any]:
    """The bar's columns: what, bar, bytes read of all, postings, postings a second, elapsed, time left."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class PostingRate(ProgressColumn):
        """Postings so far and postings a second."""

        def render(self, task: Any) -> Text:
            done = int(task.fields.get("postings", 0))
            elapsed = task.elapsed or 0.0
            rate = f"{done / elapsed:,.0f}/s" if elapsed > 0 else "-/s"
            return Text(f"{done:,} postings {rate}")

    return [TextColumn("{task.description}"), BarColumn(), DownloadColumn(), PostingRate(),
            TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()]


@contextlib.contextmanager
def ingest_progress(ctx: click.Context, files: Sequence[str]) -> Iterator[Progress]:
    """Callbacks that drive a rich progress bar on stderr (only on a terminal, and not with ``--quiet``)."""
    from kg.ingest import Progress

    if quiet(ctx) or not sys.stderr.isatty():
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    total = 0
    for path in files:
        with contextlib.suppress(OSError):
            total += os.path.getsize(path) if path != "-" else 0
    with Bar(*columns(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("ingesting", total=total or None, postings=0)
        state = {"postings": 0}

        def postings(n: int) -> None:
            state["postings"] += n
            bar.update(task, postings=state["postings"])

        yield Progress(on_bytes=lambda n: bar.advance(task, n), on_postings=postings)
