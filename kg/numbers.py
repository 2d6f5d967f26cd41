"""How kg shows a number to a person: one format for shares and counts, and when a sample is too small to trust.

Every share comes with the count it rests on, as ``"33% (1 of 3)"``; a figure
that rests on fewer than :data:`THIN_POSTINGS` postings is *thin*, and says so
in words. The threshold is defined here once: the named queries receive it as
their ``thin_below`` parameter (:data:`QUERY_DEFAULTS`); the career answers,
the terminal, the report and the drawings call :func:`is_thin` and
:func:`thin_note`.
"""

from __future__ import annotations

#: Fewer postings than this make a *thin* sample: its shares are shown, and flagged.
THIN_POSTINGS = 5

#: Parameters every named query that declares them receives unless the user gives them.
QUERY_DEFAULTS: dict[str, int] = {"thin_below": THIN_POSTINGS}
#: Rows ``kg query`` shows unless asked for more (``--limit N``, 0 for all; :mod:`kg.paging`): as many as a
#: terminal, a spreadsheet or a person reading can use, and the row limit SPARQL servers commonly answer with
#: (Virtuoso's default ``ResultSetMaxRows``).
PAGE_ROWS = 10_000


def is_thin(postings: int | None, threshold: int = THIN_POSTINGS) -> bool:
    """Whether a figure resting on ``postings`` postings is too thin to trust (no postings at all is thin)."""
    return (postings or 0) < threshold


def thin_note(postings: int | None, threshold: int = THIN_POSTINGS) -> str:
    """``"thin: 3 postings"`` for a thin answer, ``""`` otherwise (the words the tables and views show)."""
    found = postings or 0
    if found >= threshold:
        return ""
    return f"thin: {found} posting{'' if found == 1 else 's'}"


def percent(share: float) -> str:
    """A share as a whole percentage (``0.333`` → ``"33%"``); above 0 but under 0.5% shows as ``"<1%"``."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def share_of(count: int, total: int) -> str:
    """``"33% (1 of 3)"``: the share and the counts it comes from; ``"–"`` when there is nothing to count."""
    if total <= 0:
        return "–"
    return f"{percent(count / total)} ({count:,} of {total:,})"


def count(value: float) -> str:
    """A count or a measure with thousands separators: ``1,326``, ``2.5``."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
