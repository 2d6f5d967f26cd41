"""Load RDF files and run SPARQL Update on the store, all or nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg import sparql
from kg.errors import InputError, ParseError, QueryError
from kg.namespaces import LOADED_GRAPH
from kg.store import LocalStore

#: Files above this size are refused unless the limit is raised (KG_MAX_LOAD_BYTES).
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
    graph: str
    triples: int


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


def load_files(
    store: LocalStore,
    paths: list[Path],
    graph: str | None = None,
    *,
    replace: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> LoadResult:
    """Bulk-load RDF files into a named graph, all or nothing.

    Raises:
        InputError: a file is missing, empty or of unknown format.
        ParseError: a file is malformed; names the file and line. The store is unchanged.
    """
    formats = []
    for path in paths:
        check_readable(path)
        formats.append(rdf_format(path))
    target = ox.NamedNode(graph or LOADED_GRAPH)
    with store.writer() as db:
        if replace:
            db.remove_graph(target)
        before = _count(db, target)
        for path, fmt in zip(paths, formats):
            try:
                if fmt.supports_datasets:
                    db.bulk_load(path=str(path), format=fmt)
                else:
                    db.bulk_load(path=str(path), format=fmt, to_graph=target)
            except SyntaxError as exc:
                raise ParseError(_parse_message(path, exc)) from None
            except (OSError, ValueError) as exc:
                raise InputError(f"{path}: {exc}") from None
            if on_file:
                on_file(path)
        loaded = _count(db, target) - before
    return LoadResult(target.value, loaded)


def _count(db: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in ``graph``, counted by Oxigraph (not by iterating in Python)."""
    solutions = db.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                         substitutions={ox.Variable("g"): graph})
    return sum(int(solution["n"].value) for solution in solutions)


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
    with store.writer() as db:
        try:
            db.update(update)
        except SyntaxError as exc:
            raise QueryError(f"bad SPARQL Update: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise QueryError(f"SPARQL Update failed: {str(exc).splitlines()[0]}") from None
