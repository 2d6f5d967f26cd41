"""The lookup keys: one normalised key per label, written with the data whenever it changes.

For each label and each typed concept in a named graph ``G``, kg writes, in
``G``'s lookup graph (:func:`lookup_graph`: ``graph/lookup/core`` for
``graph/core``, derived from it like ``graph/derived`` from the postings)::

    role:data-scientist  kg:prefKey "data scientist" .    # from skos:prefLabel "Data scientist"@en
    role:data-scientist  kg:altKey  "ds" .                # from skos:altLabel "DS"@en
    role:data-scientist  kg:vocabulary "kg" .             # from rdf:type kg:Role ("esco" in graph/esco ...)

A key is the label in Unicode NFKC form, case-folded, with its whitespace
collapsed (:func:`normalise`), so ``Data  Scientist`` and ``data scientist``
are one key. Each key quad follows from one quad of ``G`` alone, so a write
derives the keys of what it adds as it adds it (:func:`with_keys`), and a graph
replaced or removed takes its lookup graph with it (:func:`remove_graph`):
keeping the keys true never reads the store. Which concept a name means when
several share a key is decided when it is looked up (:mod:`kg.lookup`): kg's
own before imported ones, preferred labels before aliases.
"""

from __future__ import annotations

import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.namespaces import GRAPH, IMPORT_GRAPHS, LOOKUP_CLASSES, LOOKUP_GRAPH
from kg.terms import ALT_LABEL, PREF_LABEL, TYPE, kg

PREF_KEY, ALT_KEY, VOCABULARY = kg("prefKey"), kg("altKey"), kg("vocabulary")

_KEYS = {PREF_LABEL: PREF_KEY, ALT_LABEL: ALT_KEY}
_WATCHED = frozenset({PREF_LABEL, ALT_LABEL, TYPE})
_CLASSES = frozenset(ox.NamedNode(iri) for iri in LOOKUP_CLASSES)
_PREFIX = LOOKUP_GRAPH + "/"
_OWN = "kg"


def normalise(name: str) -> str:
    """The key a label is found by: NFKC, case-folded, inner whitespace collapsed, ends trimmed."""
    if name.isascii():  # NFKC changes no ASCII text, and casefold is lower there
        return " ".join(name.lower().split())
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


def lookup_graph(graph: str) -> str:
    """The graph that holds the keys of ``graph``'s labels: ``graph/lookup/core`` for ``graph/core``."""
    local = graph[len(GRAPH):] if graph.startswith(GRAPH) else urllib.parse.quote(graph, safe="")
    return _PREFIX + local


def is_lookup_graph(graph: str) -> bool:
    """Whether ``graph`` holds lookup keys (kg writes it)."""
    return graph.startswith(_PREFIX)


def key_quads(quads: Iterable[ox.Quad], default: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
    """The lookup quads that follow from ``quads``, each from one quad, in its graph's lookup graph.

    Quads in the default graph count as in ``default`` (where a load puts them), or are skipped.
    """
    companions: dict[ox.NamedNode, ox.NamedNode] = {}
    watched = _WATCHED
    for quad in quads:
        if quad.predicate in watched:  # most quads stop here, cheaply
            key = _key_quad(quad, companions, default)
            if key is not None:
                yield key


def with_keys(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """``quads``, each followed by the lookup quad that follows from it, if any."""
    companions: dict[ox.NamedNode, ox.NamedNode] = {}
    watched = _WATCHED
    for quad in quads:
        yield quad
        if quad.predicate in watched:
            key = _key_quad(quad, companions, None)
            if key is not None:
                yield key


def _key_quad(quad: ox.Quad, companions: dict[ox.NamedNode, ox.NamedNode],
              default: ox.NamedNode | None) -> ox.Quad | None:
    """The lookup quad that follows from one type or label quad, if any."""
    predicate = quad.predicate
    key = _KEYS.get(predicate)
    if key is not None:
        if type(quad.object) is not ox.Literal or type(quad.subject) is not ox.NamedNode:
            return None
        value = ox.Literal(normalise(quad.object.value))
    elif quad.object in _CLASSES and type(quad.subject) is ox.NamedNode:
        key = VOCABULARY
        value = None
    else:
        return None
    graph = quad.graph_name
    if type(graph) is not ox.NamedNode:
        if default is None:
            return None
        graph = default
    if graph not in companions:
        companions[graph] = ox.NamedNode(lookup_graph(graph.value))
    if value is None:
        value = ox.Literal(IMPORT_GRAPHS.get(graph.value, _OWN))
    return ox.Quad(quad.subject, key, value, companions[graph])


def remove_graph(db: ox.Store, graph: str) -> None:
    """Remove a named graph and its lookup keys."""
    db.remove_graph(ox.NamedNode(graph))
    db.remove_graph(ox.NamedNode(lookup_graph(graph)))


def refresh(db: ox.Store, graphs: Iterable[ox.NamedNode] | None = None) -> int:
    """Derive again the keys of ``graphs`` (every graph if ``None``: after a write that cannot say
    what it changed, such as a SPARQL Update); the number of quads written."""
    if graphs is None:
        graphs = [g for g in db.named_graphs() if type(g) is ox.NamedNode and not is_lookup_graph(g.value)]
        for graph in list(db.named_graphs()):
            if type(graph) is ox.NamedNode and is_lookup_graph(graph.value):
                db.remove_graph(graph)
    written = 0
    for graph in graphs:
        db.remove_graph(ox.NamedNode(lookup_graph(graph.value)))
        sources = (q for predicate in (TYPE, PREF_LABEL, ALT_LABEL)
                   for q in db.quads_for_pattern(None, predicate, None, graph))
        quads = list(key_quads(sources))
        if quads:
            db.bulk_extend(quads)
            written += len(quads)
    return written


def ensure(db: ox.Store) -> int:
    """Derive the keys of every graph that has labels or concepts but no lookup graph (a kg before the keys
    wrote it); call it before a write adds keys of its own. The number of quads written."""
    names = {g.value for g in db.named_graphs() if type(g) is ox.NamedNode}
    missing = [ox.NamedNode(g) for g in sorted(names)
               if not is_lookup_graph(g) and lookup_graph(g) not in names and _has_sources(db, ox.NamedNode(g))]
    return refresh(db, missing) if missing else 0


def _has_sources(db: ox.Store, graph: ox.NamedNode) -> bool:
    patterns = [(None, PREF_LABEL, None), (None, ALT_LABEL, None), *((None, TYPE, cls) for cls in _CLASSES)]
    return any(next(iter(db.quads_for_pattern(s, p, o, graph)), None) is not None for s, p, o in patterns)
