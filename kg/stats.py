"""Counts of nodes per class and links per relation, from the named queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg import queries

if TYPE_CHECKING:
    from kg.source import GraphSource


def counts(db: GraphSource) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(classes, relations)``: rows of ``class-counts`` and ``relation-counts``."""
    classes = queries.rows(queries.run(db, queries.resolve("class-counts")))
    relations = queries.rows(queries.run(db, queries.resolve("relation-counts")))
    return classes, relations
