"""Honest numbers: how many postings an answer rests on, and when that is too few to trust.

Every share kg shows comes with the number of postings behind it. An answer
from fewer than ``THIN_BELOW`` postings is *thin*, and says so in words. The
threshold is defined here once: the named queries receive it as their
``thin_below`` parameter (:data:`QUERY_DEFAULTS`), the career answers and the
views call :func:`is_thin` and :func:`thin_note`.
"""

from __future__ import annotations

#: Answers resting on fewer postings than this are flagged as thin.
THIN_BELOW = 5

#: Parameters every named query that declares them receives unless the user gives them.
QUERY_DEFAULTS: dict[str, int] = {"thin_below": THIN_BELOW}


def is_thin(postings: int | None, threshold: int = THIN_BELOW) -> bool:
    """Whether an answer from ``postings`` postings is too thin to trust (no postings at all is thin)."""
    return (postings or 0) < threshold


def thin_note(postings: int | None, threshold: int = THIN_BELOW) -> str:
    """``"thin: 3 postings"`` for a thin answer, ``""`` otherwise (the words the tables and views show)."""
    count = postings or 0
    if count >= threshold:
        return ""
    return f"thin: {count} posting{'' if count == 1 else 's'}"
