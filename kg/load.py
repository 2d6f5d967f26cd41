"""Load RDF files and run SPARQL Update on the store, all or nothing."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import count, islice
from pathlib import Path

import pyoxigraph as ox

from kg import derive, graph_sizes, limits, lookup_keys, sparql, summaries
from kg.errors import InputError, ParseError, QueryError, UsageError
from kg.namespaces import LOADED_GRAPH, is_reserved_graph
from kg.store import LocalStore, out_of_space
from kg.terms import serialize

#: Triples per chunk handed to a loader thread. Oxigraph's bulk loader works on one
#: thread per call below a million triples; chunks of this size keep every core busy on
#: a file the size of ESCO (188k triples: 0.85 s in one call, 0.49 s in chunks on 2 cores)
#: while each chunk still makes only a handful of RocksDB files.
CHUNK_TRIPLES = 50_000
CHUNKS_BEFORE_GROWING = 8
CHUNK_MAX = 1_000_000

FORMATS_BY_SUFFIX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".n3": ox.RdfFormat.N3,
}


@dataclass(frozen=True)
class LoadResult:
    """What a load did.

    Attributes:
        graph: where the triples (and a dataset's default graph) went.
        triples: how many quads the store gained.
        graphs: every graph the files put quads into, sorted (``graph``, or the named graphs of a TriG or
            N-Quads file).
        derived_again: those of ``graphs`` that kg derives from the rest of the store at every write (the
            summaries): they were derived again after the load, which replaced what the files put there.
    """

    graph: str
    triples: int
    graphs: tuple[str, ...] = ()
    derived_again: tuple[str, ...] = ()


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its extension.

    Raises:
        InputError: the extension is not one kg can load.
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        raise InputError(f"{path}: compressed files are not read; gunzip it first")
    fmt = FORMATS_BY_SUFFIX.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = " ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF format; use one of these extensions: {known}")
    return fmt


def check_readable(path: Path) -> None:
    """Refuse a path that is missing, a folder, unreadable or empty.

    Raises:
        InputError: with one line that says which.
    """
    try:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        if path.stat().st_size == 0:
            raise InputError(f"{path}: the file is empty")
        with open(path, "rb") as handle:
            handle.read(1)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None


def check_limits(path: Path, fmt: ox.RdfFormat) -> None:
    """Refuse a JSON-LD file that nests too deeply, or RDF/XML that does or whose entities expand too far.

    Oxigraph's JSON-LD parser recurses per level (5,000 levels crash it) and its RDF/XML parser
    expands entities in memory and slows down quadratically with depth; see :mod:`kg.limits`.

    Raises:
        LimitError: names the limit and how to raise it.
        ParseError: RDF/XML that is not well-formed XML.
    """
    if fmt not in (ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML):
        return
    with open(path, "rb") as handle:
        if fmt == ox.RdfFormat.JSON_LD:
            limits.check_json_depth(handle, str(path))
        else:
            limits.check_xml(handle, str(path), path.stat().st_size)


def load_files(
    store: LocalStore,
    paths: list[Path],
    graph: str | None = None,
    *,
    replace: bool = False,
    force: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> LoadResult:
    """Bulk-load RDF files into a named graph, all or nothing.

    Args:
        force: allow writing into kg's own graphs (see :func:`kg.namespaces.is_reserved_graph`).

    Raises:
        InputError: a file is missing, empty or of unknown format.
        ParseError: a file is malformed; names the file and line. The store is unchanged.
        LimitError: a file nests too deeply or expands too far (:mod:`kg.limits`). The store is unchanged.
        UsageError: the data goes into one of kg's own graphs without ``force``. The store is unchanged.
    """
    formats = []
    for path in paths:
        check_readable(path)
        formats.append(rdf_format(path))
        check_limits(path, formats[-1])
    target = ox.NamedNode(graph or LOADED_GRAPH)
    if not force:
        refuse_reserved(target.value, "--graph names")

    def fill(db: ox.Store) -> int:
        lookup_keys.ensure(db)
        if replace:
            lookup_keys.remove_graph(db, target.value)
        postings = derive.posting_count(db)
        keys: list[ox.Quad] = []
        for path, fmt in zip(paths, formats):
            try:
                _bulk_load(db, path, fmt, target, keys, before, force=force)
            except SyntaxError as exc:
                raise ParseError(_parse_message(path, exc)) from None
            except (OSError, ValueError) as exc:
                if isinstance(exc, OSError) and out_of_space(exc):
                    raise  # the store's disk, not the file: LocalStore.write says so
                raise InputError(f"{path}: {exc}") from None
            if on_file:
                on_file(path)
        # only the graphs written change: counting them costs their size, not the store's (len(db): 3.3 s of CPU
        # on 100,000 postings)
        loaded = sum(graph_sizes.count(db, ox.NamedNode(graph)) - triples for graph, triples in before.items())
        _load_keys(db, keys)
        if graph_sizes.is_current(db):  # else finish derives it all again, once
            derive.refresh_if_needed(db, postings)  # postings loaded as RDF are counted like ingested ones
            summaries.refresh(db)
        # one compaction of the chunks' RocksDB files: later queries run up to 1.5x faster; a few triples make a file
        if loaded >= CHUNK_TRIPLES:  # or two, and compacting the whole store for them (0.15-0.3 s at the default
            db.optimize()  # graph's size, far more on a big store) buys nothing
        graph_sizes.finish(db, kept=graph_sizes.untouched(db, {*before, target.value}))
        return loaded

    before: dict[str, int] = {}  # each graph the files write, with its triples before they did
    triples = store.write(fill)
    graphs = tuple(sorted(before))
    return LoadResult(target.value, triples, graphs, tuple(g for g in graphs if summaries.derives(g)))


def refuse_reserved(graph: str, where: str) -> None:
    """Stop if ``graph`` is one of kg's own graphs, which kg writes itself.

    Raises:
        UsageError: it is; the message says how to write there anyway.
    """
    if is_reserved_graph(graph):
        raise UsageError(f"{where} <{graph}>, one of kg's own graphs (kg writes it itself): "
                         "load into another graph, or add --force to change it anyway")


def _bulk_load(db: ox.Store, path: Path, fmt: ox.RdfFormat, target: ox.NamedNode, keys: list[ox.Quad],
               graphs: dict[str, int], *, force: bool = False) -> None:
    """Parse ``path`` with Oxigraph's parser and bulk-load it in chunks, on as many threads as cores.

    The parser runs here (it holds the GIL); each chunk, written as N-Quads, goes to
    ``Store.bulk_load`` on a worker thread, which releases the GIL. At most one chunk
    per worker waits, so memory stays bounded on big files. Each ``bulk_load`` call
    gives the blank nodes it reads labels of its own, so quads with a blank node wait
    in a temporary file and go in one last call: each blank node stays one node, and,
    as with one call per file, the same label in two files names two nodes. Triples,
    and quads of a dataset format's default graph, go to ``target``; other quads keep
    their graph. The lookup keys of the labels (:mod:`kg.lookup_keys`) are added to
    ``keys``, for the caller to load, and the names of the graphs written to ``graphs``, each with its triples
    before the load (counted before the first chunk that writes it).

    Raises:
        SyntaxError: from the parser, once the chunks already handed out are written.
        UsageError: a quad names one of kg's own graphs and ``force`` is false.
    """
    dataset = fmt.supports_datasets
    workers = max(2, os.cpu_count() or 1)
    to_graph = None if dataset else target
    quads = ox.parse(path=str(path), format=fmt, rename_blank_nodes=True)
    pending: deque[Future[None]] = deque()
    with ThreadPoolExecutor(workers, thread_name_prefix="kg-load") as pool, tempfile.TemporaryFile() as spill:
        held = False
        for size in _chunk_sizes():
            chunk = list(islice(quads, size))
            if not chunk:
                break
            if dataset:
                chunk = [q if q.graph_name != _DEFAULT else ox.Quad(q.subject, q.predicate, q.object, target)
                         for q in chunk]
                names = {q.graph_name.value for q in chunk}
                if not force:
                    for name in sorted(names):
                        refuse_reserved(name, f"{path} puts quads into")
            else:
                names = {target.value}
            for name in sorted(names - graphs.keys()):  # no chunk handed out before writes it
                graphs[name] = graph_sizes.count(db, ox.NamedNode(name))
            keys.extend(lookup_keys.key_quads(chunk, None if dataset else target))
            plain = [q for q in chunk if not _has_blank_node(q)]
            if len(plain) < len(chunk):
                spill.write(serialize([q for q in chunk if _has_blank_node(q)], ox.RdfFormat.N_QUADS))
                held = True
            while len(pending) > workers:
                pending.popleft().result()
            pending.append(pool.submit(_load_chunk, db, serialize(plain, ox.RdfFormat.N_QUADS), to_graph))
        for future in pending:
            future.result()
        if held:
            spill.seek(0)
            db.bulk_load(spill, format=ox.RdfFormat.N_QUADS, to_graph=to_graph)


def _load_keys(db: ox.Store, keys: list[ox.Quad]) -> None:
    """Bulk-load lookup quads, in a chunk per core."""
    if not keys:
        return
    workers = max(2, os.cpu_count() or 1)
    size = -(-len(keys) // workers)
    with ThreadPoolExecutor(workers, thread_name_prefix="kg-keys") as pool:
        chunks = [serialize(keys[i:i + size], ox.RdfFormat.N_QUADS) for i in range(0, len(keys), size)]
        for done in [pool.submit(db.bulk_load, chunk, format=ox.RdfFormat.N_QUADS) for chunk in chunks]:
            done.result()


def _chunk_sizes() -> Iterator[int]:
    """``CHUNK_TRIPLES`` for the first ``CHUNKS_BEFORE_GROWING`` chunks, then doubling up to ``CHUNK_MAX``.

    Equal chunks keep every core busy up to a file twice ESCO's size; growing ones keep the number
    of chunks, and so of the files the compaction after a load merges, small on bigger files.
    """
    size = CHUNK_TRIPLES
    for index in count(1):
        yield size
        if index >= CHUNKS_BEFORE_GROWING:
            size = min(size * 2, CHUNK_MAX)


_DEFAULT = ox.DefaultGraph()


def _has_blank_node(quad: ox.Quad) -> bool:
    """Whether a quad names a blank node (or holds a triple term, which may)."""
    return (type(quad.subject) is not ox.NamedNode or type(quad.object) in (ox.BlankNode, ox.Triple)
            or type(quad.graph_name) is ox.BlankNode)


def _load_chunk(db: ox.Store, data: bytes, to_graph: ox.NamedNode | None) -> None:
    """(On a worker thread) bulk-load one chunk of N-Quads, its triples into ``to_graph`` if given."""
    db.bulk_load(data, format=ox.RdfFormat.N_QUADS, to_graph=to_graph)


def _parse_message(path: Path, exc: SyntaxError) -> str:
    text = str(exc).split(" (", 1)[0] if exc.filename else str(exc)
    if text.startswith("Parser error "):
        text = text[len("Parser error "):]
    where = f" line {exc.lineno}" if exc.lineno else ""
    return f"{path}{where}: malformed RDF: {text}"


def run_update(store: LocalStore, update: str, *, allow_remote: bool = False) -> None:
    """Run a SPARQL Update (text or the path of a ``.ru`` file) in one transaction.

    Raises:
        QueryError: malformed, or fetches from the network without ``allow_remote``.
    """
    if update.endswith((".ru", ".rq")) and Path(update).is_file():
        update = Path(update).read_text(encoding="utf-8")
    sparql.check_update(update, allow_remote=allow_remote)

    def fill(db: ox.Store) -> None:
        postings = derive.posting_count(db)
        try:
            db.update(update)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL Update: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            if out_of_space(exc):
                raise
            raise QueryError(f"SPARQL Update failed: {str(exc).splitlines()[0]}") from None
        if graph_sizes.is_current(db):  # else finish derives it all again, once
            lookup_keys.refresh(db)  # an update can change anything: every key and summary is derived again
            derive.refresh_if_needed(db, postings)
            summaries.refresh(db)
        graph_sizes.finish(db)

    store.write(fill)
