"""SPARQL constraints of the shapes, parsed once per validation instead of once per focus node.

pyshacl runs a SPARQL constraint's query for every node the shape targets, with the
node bound as ``$this``, and rdflib parses and translates the same text every time:
60% of ``kg validate`` on the default graph. While :func:`parsed_once` is active,
rdflib's ``sparql`` processor is :class:`PreparedOnceProcessor`, which keeps each
prepared query (keyed by its text, base and the prefixes in scope) and runs it
exactly as rdflib would (33 s -> 14 s of CPU for the default graph). rdflib is
imported only with this module, which only ``kg validate`` imports.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Mapping
from typing import Any

import rdflib.plugin
import rdflib.query
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

_RDFLIB_PROCESSOR = ("rdflib.plugins.sparql.processor", "SPARQLProcessor")


@contextlib.contextmanager
def parsed_once() -> Iterator[None]:
    """Within the block, rdflib prepares each distinct query text once (not thread-safe: the CLI's one validation)."""
    rdflib.plugin.register("sparql", rdflib.query.Processor, __name__, PreparedOnceProcessor.__name__)
    try:
        yield
    finally:
        rdflib.plugin.register("sparql", rdflib.query.Processor, *_RDFLIB_PROCESSOR)
        _prepared.cache_clear()


@functools.lru_cache(maxsize=256)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class PreparedOnceProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, with query texts prepared once and kept."""

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,  # noqa: N803 - rdflib's parameter names
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Mapping[str, Any]:
        query = strOrQuery
        if isinstance(query, str):
            namespaces = tuple(sorted((prefix, str(ns)) for prefix, ns in (initNs or {}).items()))
            query = _prepared(query, base, namespaces)
        return super().query(query, initBindings or {}, initNs, base, DEBUG)
