"""Counts of nodes per class and links per relation, from the named queries."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kg import queries


def counts(db: ox.Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(classes, relations)``: rows of ``class-counts`` and ``relation-counts``."""
    classes = queries.rows(queries.run(db, queries.resolve("class-counts")))
    relations = queries.rows(queries.run(db, queries.resolve("relation-counts")))
    return classes, relations
