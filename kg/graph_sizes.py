"""How many triples each graph of the store holds, kept at every write, and the version of kg's derived data.

Counting the triples of a store means reading every one of them (6 s of CPU on 100,000 postings' 10 million),
so kg keeps the counts in ``graph/sizes``, written at the end of every write of the store (build, load, update,
ingest, import, drop, pull)::

    graph:core   kg:triples 97752 .                 # one per named graph, this one included
    graph:sizes  kg:defaultGraphTriples 0 ;          # the store's own default graph (kg writes none)
                 kg:derivedDataVersion 1 .           # DERIVED_VERSION of the kg that derived the store

A write counts again the graphs it may have changed (every graph unless it says which it left alone), and for
the postings graph of a large store, which an ingest only adds to, adds what the ingest added
(:class:`Tally`): adding 1,000 postings counts the 1,000, not the store. The named queries ``graphs`` and
``default-graph-triples`` read these counts on kg's own store (their ``# kept:`` header names the query that
does); on a SPARQL server they count (a pushed ``graph/sizes`` is a copy of the local store's, not the server's).

The version says which derived data (lookup keys, derived graph, summaries, ranks, tallies, these counts) a store
holds. A store derived by an older kg (or by none: lacking the marker) answers some queries wrong or empty
until it is derived again: a reading command says so in one line (:func:`stale_note`), and its next write derives
everything again (:func:`finish`). This marker is the one test of an older kg's store: a write updates what it derives
in proportion to what it changed only on a store that :func:`is_current` says is this kg's, and leaves an older one
to :func:`finish`, which derives it all once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import term_counts
from kg.namespaces import (
    DERIVED_GRAPH,
    IMPORT_GRAPHS,
    NEAR_DUPLICATES_GRAPH,
    POSTING,
    POSTINGS_GRAPH,
    SIZES_GRAPH,
    is_index_graph,
)
from kg.terms import integer, kg, value

if TYPE_CHECKING:
    from kg.store import LocalStore

#: The version of the data kg derives at a write. Raise it whenever a change to kg derives something new or
#: different (a new index, a changed count), so that stores derived before are derived again at their next write.
#: 2: skill -> broader pairs (m14c); 3: company-skill rows, company tallies by level (m15r); 4: the relations' links
#: and the classes' nodes (kg.term_counts, n-ctx); 5: roles hired per company, labels of companies and skills beside
#: the company-skill rows (kg.company_skills, n-co).
DERIVED_VERSION = 5

#: A store of at least this many triples is compacted after it is derived again whole (35 s at ten times ESCO's
#: size, against the derivation's 400 s; the default graph's 120,000 triples are not worth it).
COMPACT_AFTER_DERIVING = 1_000_000

GRAPH = ox.NamedNode(SIZES_GRAPH)
TRIPLES, DEFAULT_TRIPLES, VERSION = kg("triples"), kg("defaultGraphTriples"), kg("derivedDataVersion")
_POSTING_LINE = b"<" + POSTING.encode("ascii")
#: The lines of N-Quads whose subject is no posting (nor a node of one): a source document, a place, a company.
_NOT_A_POSTING = re.compile(rb"\n(?!" + re.escape(_POSTING_LINE) + rb")([^\n]+)")
#: The graphs the lines of a posting go to (:func:`kg.ingest.extract_block`), and how their lines end.
_POSTING_GRAPHS = {graph: b" <" + graph.encode("ascii") + b"> ." for graph in (POSTINGS_GRAPH, NEAR_DUPLICATES_GRAPH)}


def version(db: ox.Store) -> int | None:
    """The derived-data version of a store (``None``: derived by a kg before the marker, or never)."""
    found = next(iter(db.quads_for_pattern(GRAPH, VERSION, None, GRAPH)), None)
    return None if found is None else int(value(found.object))


def is_current(db: ox.Store) -> bool:
    """Whether the store's derived data (and so its counts) is this kg's."""
    return version(db) == DERIVED_VERSION


def mark_new(db: ox.Store) -> None:
    """Mark a new, empty store as derived by this kg (its first write derives what it writes)."""
    db.add(ox.Quad(GRAPH, VERSION, integer(DERIVED_VERSION), GRAPH))


def stale_note(db: ox.Store) -> str:
    """One line for a person when a store's derived data is an older kg's ("" when it is current or empty)."""
    if is_current(db) or next(iter(db.named_graphs()), None) is None:
        return ""
    made = version(db)
    by = "a kg before derived-data versions" if made is None else f"derived-data version {made}"
    return (f"kg: note: this store was derived by {by} (this kg writes version {DERIVED_VERSION}): counts, ranks "
            "and tallies may be missing or wrong; `kg rederive` derives them again (any write does)")


class Tally:
    """Counts what an ingest adds to each graph, as it hands N-Quads to the bulk loader.

    The lines of a new posting's own nodes (its IRI, its mentions: ``<posting/ID...``) are new to the store
    (the posting was not stored before). Any other line (a source document, a place, a company) may be there
    already: each is looked up once, before it is loaded.
    """

    def __init__(self, db: ox.Store) -> None:
        self._db = db
        self._seen: set[bytes] = set()
        self.added: Counter[str] = Counter()
        self.terms = term_counts.Added()  # the same lines, per relation and class

    def add(self, nquads: bytes, posting: str | None = None, terms: term_counts.PerGraph | None = None) -> None:
        """Count the lines of ``nquads`` that the store lacks; ``posting``: the id of the new posting they describe.

        Counted with a few passes over the bytes, not line by line (a posting's N-Quads are 20 kB): 92 µs of CPU
        a posting on a busy machine, against 250 µs for the plain definition (:meth:`_each_line`), which it
        falls back on when a posting's own lines are not all in its two graphs.
        """
        others = _NOT_A_POSTING.findall(b"\n" + nquads)  # the few lines that may be in the store already
        for line in others:
            self._other(line)
        mine = nquads.count(b"\n") - len(others)  # the lines of postings' nodes
        if not mine:
            return
        if posting is None:
            self._each_line(nquads, None)
            return
        per_graph = {graph: nquads.count(end + b"\n") - sum(1 for line in others if line.endswith(end))
                     for graph, end in _POSTING_GRAPHS.items()}
        if sum(per_graph.values()) != mine:
            self._each_line(nquads, posting)  # lines of another graph: one by one
            return
        for graph, n in per_graph.items():
            self.added[graph] += n
        self.terms.new_lines(nquads, counted=terms)  # terms: counted by the worker that made the lines
        for line in others:  # counted above as the posting's own: taken back (_other counted those new to the store)
            self.terms.new_lines(line, -1)

    def _other(self, line: bytes) -> None:
        """Count a line that may be in the store already, once, if it is not."""
        if line not in self._seen:
            self._seen.add(line)
            quad = next(iter(ox.parse(line, format=ox.RdfFormat.N_QUADS)))
            if quad not in self._db:
                self.added[value(quad.graph_name) if isinstance(quad.graph_name, ox.NamedNode) else ""] += 1
                self.terms.line(self._db, quad)

    def _each_line(self, nquads: bytes, posting: str | None) -> None:
        """:meth:`add`'s plain definition for the lines of postings: a posting's own lines are new, others looked up."""
        own = _POSTING_LINE + posting.encode("ascii") if posting else None
        for line in nquads.splitlines():
            if not line.startswith(_POSTING_LINE):
                continue  # counted by add
            if own is not None and line.startswith(own) and line[len(own):len(own) + 1] in (b">", b"/"):
                self.added[_graph_of_line(line)] += 1
                self.terms.new_lines(line)
            else:
                self._other(line)


def _graph_of_line(line: bytes) -> str:
    """The graph of one N-Quads line of kg's own writing (``... <graph> .``)."""
    graph = line.rstrip()[:-1].rstrip().rsplit(b" ", 1)[-1]
    return graph[1:-1].decode("ascii") if graph.startswith(b"<") else ""


def finish(db: ox.Store, *, kept: Iterable[str] = (), added: Mapping[str, int] | None = None,
           derive_all: bool = False, terms: term_counts.Added | None = None) -> int:
    """End a write: count the graphs again and mark the store as derived by this kg; the entries that changed.

    ``kept``: graphs the write left alone (their counts stay); ``added``: graphs the write only added to, with
    how many triples (their counts grow by that). Every other graph is counted again. A store derived by an older
    kg (or any, with ``derive_all``) is derived again first, all of it (lookup keys, derived graph, summaries), and
    every graph counted. ``terms``: what the write added to the graphs in ``added``, per relation and class (the
    counts of :mod:`kg.term_counts` are kept for the graphs whose sizes are, and counted again for the others).
    """
    whole = derive_all or not is_current(db)
    if whole:
        rederive(db)
        kept, added, terms = (), None, None
    stored = _stored(db)
    graphs = sorted({g.value for g in db.named_graphs() if isinstance(g, ox.NamedNode)} - {SIZES_GRAPH})
    skip = set(kept) | set(added or {})
    counts = {}
    recounted = []
    for graph in graphs:
        if graph in skip and graph in stored:
            counts[graph] = stored[graph] + (added or {}).get(graph, 0)
        else:
            counts[graph] = count(db, ox.NamedNode(graph))
            recounted.append(graph)
    default = sum(1 for _ in db.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    # a graph emptied stays among the store's names: counted, it is no graph (GROUP BY gives it no row)
    new = {ox.Quad(ox.NamedNode(g), TRIPLES, integer(n), GRAPH) for g, n in counts.items() if n}
    new |= {ox.Quad(GRAPH, DEFAULT_TRIPLES, integer(default), GRAPH), ox.Quad(GRAPH, VERSION, integer(DERIVED_VERSION),
                                                                             GRAPH)}
    if terms is None:  # what was added is not known per relation and class: counted again
        recounted += [graph for graph in graphs if graph in (added or {}) and graph not in recounted]
    new |= term_counts.quads(db, GRAPH, graphs, recounted, terms)
    new.add(ox.Quad(GRAPH, TRIPLES, integer(len(new) + 1), GRAPH))  # itself, this entry included
    old = set(db.quads_for_pattern(None, None, None, GRAPH))
    for quad in old - new:
        db.remove(quad)
    db.extend(new - old)
    if whole and sum(counts.values()) >= COMPACT_AFTER_DERIVING:
        # every derived graph was written anew: RocksDB holds the old and the new until its files are merged, and a
        # query read both (ten times ESCO: 3.8 GB and 3.4 s of CPU for a page, 2.0 GB and 1.4 s once merged)
        compact(db)
    return len(old ^ new)


def compact(db: ox.Store) -> None:
    """Merge the store's RocksDB files (what a write replaced goes)."""
    db.optimize()


def kept_size(db: ox.Store, graph: str) -> int:
    """How many triples ``graph`` holds, as :func:`finish` last counted them (0 if it never did)."""
    return _stored(db).get(graph, 0)


def total(db: ox.Store) -> int:
    """How many triples the store holds in all, as :func:`finish` last counted them (0 if it never did)."""
    default = next(iter(db.quads_for_pattern(GRAPH, DEFAULT_TRIPLES, None, GRAPH)), None)
    return sum(_stored(db).values()) + (int(value(default.object)) if default else 0)


def rederive(db: ox.Store) -> None:
    """Derive everything a store keeps for its answers again, from its data (a store of an older kg)."""
    from kg import derive, lookup_keys, summaries

    lookup_keys.refresh(db)
    derive.refresh(db)
    summaries.refresh(db)


def rederive_store(store: LocalStore) -> None:
    """Derive everything ``store`` keeps for its answers again, and count its graphs (``kg rederive``)."""
    def fill(db: ox.Store) -> None:
        finish(db, derive_all=True)

    store.write(fill)


def imports_kept(but: str | None = None) -> list[str]:
    """The imported taxonomies' graphs and their lookup keys (all, or all but ``but``'s): what a write of
    postings or of another taxonomy leaves alone."""
    from kg.lookup_keys import lookup_graph

    return [g for graph in IMPORT_GRAPHS if graph != but for g in (graph, lookup_graph(graph))]


def _stored(db: ox.Store) -> dict[str, int]:
    return {value(q.subject): int(value(q.object)) for q in db.quads_for_pattern(None, TRIPLES, None, GRAPH)
            if isinstance(q.subject, ox.NamedNode) and q.subject != GRAPH}


def untouched(db: ox.Store, written: Iterable[str]) -> list[str]:
    """The graphs of data a write left alone, for :func:`finish`'s ``kept``: every named graph but ``written`` and
    those kg derives at a write (the derived graph and the index graphs: lookup keys, summaries, ...)."""
    skip = set(written)
    return sorted(g.value for g in db.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in skip
                  and g.value != DERIVED_GRAPH and not is_index_graph(g.value))


def count(db: ox.Store, graph: ox.NamedNode) -> int:
    """The triples of one graph, counted by the store (reading them back would decode each)."""
    from kg import queries
    from kg.resources import queries_dir

    query = queries.load_file(queries_dir() / "internal" / "graph-size.rq")
    result = queries.run(db, query, queries.Binding({"graph": graph}))
    assert isinstance(result, ox.QuerySolutions)
    return next((int(row["triples"].value) for row in result), 0)
