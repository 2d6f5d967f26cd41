"""How many links each relation has and how many nodes each of kg's classes has, kept at every write of the store.

``relation-counts`` and ``class-counts`` counted every link and every typed node of the store at query time, with
DISTINCT (a link in two graphs is one link): 1.3 s of CPU each on 100,000 postings, and the first 1.2 s on default +
ESCO + O*NET. kg keeps the counts beside the graphs' sizes (:mod:`kg.graph_sizes`), in ``graph/sizes``::

    kg:requiresSkill  kg:links 430089 .         # the relation's distinct links in the store's union
    kg:TextSpan       kg:nodes 634214 .         # the class's distinct nodes (rdf:type links to it)
    count:3f...  kg:countedTerm kg:requiresSkill ; kg:countedGraph graph:postings ; kg:links 424029 .

one entry per term for the whole store, and one per graph and term. A write counts again only the graphs it counts
again for their sizes; a graph it only added to (an ingest's postings) grows by what :class:`Added` counted in the
lines it loaded. The whole store's count of a term is the sum of its graphs' less the triples it has in more than one
graph, found by reading the term's triples in every graph that holds it but the one that holds most (the postings
graph, an import) and asking the store where else each is (:func:`_shared`): in proportion to the smaller graphs,
and done only for the terms of the graphs the write changed. The default graph (kg writes none) is counted at every
write. ``queries/internal/kept-relation-counts.rq`` and ``kept-class-counts.rq`` read the counts on kg's own store.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.namespaces import ID, KG, SKOS
from kg.terms import TYPE, Term, integer, kg, value

#: The relations ``relation-counts`` counts (its VALUES block: tests/test_term_counts.py checks they agree).
RELATIONS = tuple(KG + name for name in ("requiresSkill", "prefersSkill", "hires", "partOfDomain", "forRole",
                                         "postedBy", "inDomain")) + tuple(
    SKOS + name for name in ("broader", "altLabel", "exactMatch", "closeMatch", "broadMatch"))
LINKS, NODES, COUNTED_TERM, COUNTED_GRAPH = kg("links"), kg("nodes"), kg("countedTerm"), kg("countedGraph")
#: A counted term: ("links", a relation) or ("nodes", a class of kg's).
Key = tuple[str, str]
_KINDS = {"links": LINKS, "nodes": NODES}
#: + a hash of a graph and a term: the node of the count of one term in one graph.
COUNT = ID + "count/"
_RELATIONS = frozenset(RELATIONS)
_TYPE = TYPE.value.encode("ascii")
#: A line of a counted relation or of rdf:type: its predicate, object and graph. A match starts at the space before
#: the predicate (" <", a literal the regular expression engine looks for fast), not at a line start tried at every
#: character of the text, which cost twice the CPU (1.0 s against 0.47 s for 400,000 lines of postings).
_LINE = re.compile(rb" <(" + b"|".join(re.escape(r.encode("ascii")) for r in (*RELATIONS, TYPE.value))
                   + rb")> ([^\n]*) <([^>\n]*)> \.\r?$", re.M)

#: Per (graph, key): how many triples of the graph use the term.
PerGraph = dict[tuple[str, Key], int]


class Added:
    """What an ingest adds to the graphs it only adds to, per graph and term, as it hands N-Quads to the store."""

    def __init__(self) -> None:
        self.per_graph: Counter[tuple[str, Key]] = Counter()
        #: Per key: how many of the added triples were in another graph already (the store's count does not grow).
        self.shared: Counter[Key] = Counter()
        self._graphs: dict[tuple[str, str, str], set[str]] = {}

    def new_lines(self, nquads: bytes, sign: int = 1, counted: PerGraph | None = None) -> None:
        """Count the lines of ``nquads`` that are new to the whole store (a new posting's own nodes); ``sign`` -1
        takes lines counted so back. ``counted``: :func:`line_counts` of ``nquads``, if known."""
        for key, n in (line_counts(nquads) if counted is None else counted).items():
            self.per_graph[key] += sign * n

    def line(self, db: ox.Store, quad: ox.Quad) -> None:
        """Count one quad new to its graph, which may be in another graph already (a company, a source document)."""
        key = _key_of(quad)
        if key is None or not isinstance(quad.graph_name, ox.NamedNode):
            return
        graph = quad.graph_name.value
        self.per_graph[graph, key] += 1
        triple = (str(quad.subject), quad.predicate.value, str(quad.object))
        elsewhere = self._graphs.setdefault(triple, set())
        if elsewhere or any(True for _ in db.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)):
            self.shared[key] += 1
        elsewhere.add(graph)


def line_counts(nquads: bytes) -> PerGraph:
    """How many lines of ``nquads`` use each counted relation or class, per graph."""
    counts: Counter[tuple[str, Key]] = Counter()
    for predicate, obj, graph in _LINE.findall(nquads):
        if key := _key(predicate, obj):
            counts[graph.decode("ascii"), key] += 1
    return dict(counts)


def _key(predicate: bytes, obj: bytes) -> Key | None:
    """The counted term of an N-Quads line's predicate and object (one of :data:`RELATIONS`' lines), or ``None``."""
    if predicate != _TYPE:
        return ("links", predicate.decode("ascii"))
    if obj.startswith(b"<" + KG.encode("ascii")) and obj.endswith(b">"):
        return ("nodes", obj[1:-1].decode("ascii"))
    return None


def _key_of(quad: ox.Quad) -> Key | None:
    """The counted term of a quad, or ``None``: a link of a relation of :data:`RELATIONS`, or a node of a class
    of kg's (``kg:Skill``)."""
    if quad.predicate == TYPE:
        obj = quad.object
        return ("nodes", obj.value) if isinstance(obj, ox.NamedNode) and obj.value.startswith(KG) else None
    return ("links", quad.predicate.value) if quad.predicate.value in _RELATIONS else None


def quads(db: ox.Store, sizes: ox.NamedNode, graphs: Iterable[str], recounted: Iterable[str],
          added: Added | None = None) -> set[ox.Quad]:
    """The count entries of ``graph/sizes`` (``sizes``) after a write, for :func:`kg.graph_sizes.finish`.

    ``graphs``: the store's named graphs now (but ``sizes``); ``recounted``: those counted again (every other one
    kept its counts, grown by ``added``).
    """
    graphs, again = sorted(graphs), set(recounted)
    old_per_graph, old_totals = _stored(db, sizes)
    per_graph: PerGraph = {(g, k): n for (g, k), n in old_per_graph.items() if g in graphs and g not in again}
    for (graph, key), n in (added.per_graph if added else Counter()).items():
        if graph in graphs and graph not in again:
            per_graph[graph, key] = per_graph.get((graph, key), 0) + n
    for graph in graphs:
        if graph in again:
            per_graph.update(((graph, key), n) for key, n in count(db, graph).items())
    per_graph.update((("", key), n) for key, n in _count_default(db).items())
    changed = {k for (g, k) in old_per_graph if g in again or g not in graphs}  # counted again, or dropped
    changed |= {k for (g, k) in per_graph if g in again or g == ""}
    holders: dict[Key, dict[str, int]] = {}
    for (graph, key), n in per_graph.items():
        if n:
            holders.setdefault(key, {})[graph] = n
    totals: dict[Key, int] = {}
    for key, held in holders.items():
        if key in changed or key not in old_totals:
            totals[key] = sum(held.values()) - _shared(db, key, held)
        else:  # the triples in more than one graph as before, and those the ingest added to another graph's
            before = sum(n for (_, k), n in old_per_graph.items() if k == key) - old_totals[key]
            totals[key] = sum(held.values()) - before - (added.shared[key] if added else 0)
    new = {ox.Quad(ox.NamedNode(term), _KINDS[kind], integer(n), sizes) for (kind, term), n in totals.items() if n}
    for (graph, (kind, term)), n in per_graph.items():
        if n and graph:
            node = ox.NamedNode(COUNT + hashlib.sha1(f"{graph}\n{kind}\n{term}".encode()).hexdigest()[:20])
            new |= {ox.Quad(node, COUNTED_TERM, ox.NamedNode(term), sizes),
                    ox.Quad(node, COUNTED_GRAPH, ox.NamedNode(graph), sizes),
                    ox.Quad(node, _KINDS[kind], integer(n), sizes)}
    return new


def count(db: ox.Store, graph: str) -> dict[Key, int]:
    """How many links of each relation and nodes of each of kg's classes ``graph`` holds, counted by the store."""
    from kg import queries
    from kg.resources import queries_dir

    query = queries.load_file(queries_dir() / "internal" / "term-counts.rq")
    result = queries.run(db, query, queries.Binding({"graph": ox.NamedNode(graph)}))
    assert isinstance(result, ox.QuerySolutions)
    found: dict[Key, int] = {}
    for row in result:
        term, uses = row["term"], int(row["uses"].value)
        if row["kind"].value == "links":
            found["links", term.value] = uses
        elif isinstance(term, ox.NamedNode) and term.value.startswith(KG):
            found["nodes", term.value] = uses
    return found


def _count_default(db: ox.Store) -> dict[Key, int]:
    """:func:`count` of the store's own default graph (kg writes none: read a triple at a time)."""
    return dict(Counter(key for quad in db.quads_for_pattern(None, None, None, ox.DefaultGraph())
                        if (key := _key_of(quad)) is not None))


def _shared(db: ox.Store, key: Key, held: Mapping[str, int]) -> int:
    """How many triples of ``key`` are in more than one graph, counted once a graph more (``held``: the graphs
    holding it, "" the default graph, and how many each): the triples of every graph but the one holding most are
    read, and each is looked up in that one (in proportion to the smaller graphs: 6 µs a triple)."""
    if len(held) < 2:
        return 0
    most = max(sorted(held), key=lambda g: held[g])
    kind, term = key
    predicate, obj = (TYPE, ox.NamedNode(term)) if kind == "nodes" else (ox.NamedNode(term), None)
    holders: Counter[tuple[ox.NamedNode | ox.BlankNode | ox.Triple, Term]] = Counter()
    for graph in (g for g in held if g != most):
        holders.update((q.subject, q.object) for q in db.quads_for_pattern(None, predicate, obj, _graph(graph)))
    largest = _graph(most)
    return sum(n - 1 + int(ox.Quad(subject, predicate, o, largest) in db) for (subject, o), n in holders.items())


def _graph(name: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.NamedNode(name) if name else ox.DefaultGraph()


def _stored(db: ox.Store, sizes: ox.NamedNode) -> tuple[PerGraph, dict[Key, int]]:
    """The counts the last write kept: per (graph, key), and per key for the whole store."""
    terms = {q.subject: value(q.object) for q in db.quads_for_pattern(None, COUNTED_TERM, None, sizes)}
    graphs = {q.subject: value(q.object) for q in db.quads_for_pattern(None, COUNTED_GRAPH, None, sizes)}
    per_graph: PerGraph = {}
    totals: dict[Key, int] = {}
    for kind, predicate in _KINDS.items():
        for quad in db.quads_for_pattern(None, predicate, None, sizes):
            n = int(value(quad.object))
            if quad.subject in terms and quad.subject in graphs:
                per_graph[graphs[quad.subject], (kind, terms[quad.subject])] = n
            elif isinstance(quad.subject, ox.NamedNode):
                totals[kind, quad.subject.value] = n
    return per_graph, totals
