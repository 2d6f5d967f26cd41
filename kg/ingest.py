"""Postings into the store: extract (in parallel processes if asked), write through one writer.

Posting IRIs come from a stable content key, so ingesting the same posting
again changes nothing. The write is all or nothing (the store's stage and
swap), and what the postings show about roles is recomputed afterwards
(:mod:`kg.derive`).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import derive, quads
from kg.extract.pipeline import mark_duplicates, postings_of
from kg.extract.readers import MAX_BYTES, MAX_LINE, read_source
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.models import Posting
from kg.namespaces import CORE_GRAPH, POSTINGS_GRAPH
from kg.store import LocalStore
from kg.terms import TYPE, kg, value

_VOCAB: Vocabulary | None = None


@dataclass
class IngestResult:
    """What an ingest read and stored."""

    files: int
    postings: int
    duplicates: int
    new: int
    triples_before: int
    triples_after: int
    encodings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Limits:
    max_bytes: int | None = MAX_BYTES
    max_line: int | None = MAX_LINE


def _init_worker() -> None:
    global _VOCAB  # noqa: PLW0603 - one vocabulary per worker process, loaded by the pool's initializer
    _VOCAB = load_vocabulary()


def _extract_one(path: str, limits: Limits) -> tuple[list[Posting], str]:
    source = read_source(path, max_bytes=limits.max_bytes)
    return postings_of(source, _VOCAB or load_vocabulary(), max_line=limits.max_line), source.encoding


def extract_parallel(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    limits: Limits = Limits(),
    on_file: Callable[[str, int], None] | None = None,
) -> tuple[list[Posting], dict[str, str]]:
    """The postings of ``paths`` in the order given, duplicates flagged across all of them.

    With ``jobs > 1`` the files are read in that many worker processes; the
    result is the same as with one.

    Returns:
        The postings, and the files that were not UTF-8 with the encoding used.

    Raises:
        InputError: a file is missing, binary, empty or over a limit.
    """
    results: list[tuple[list[Posting], str]] = []
    if jobs <= 1 or len(paths) <= 1:
        _init_worker()
        for path in paths:
            results.append(_extract_one(path, limits))
            if on_file:
                on_file(path, len(results[-1][0]))
    else:
        context = multiprocessing.get_context("spawn")  # never fork a process that holds a RocksDB store
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_worker) as pool:
            for path, result in zip(paths, pool.map(_extract_one, paths, [limits] * len(paths), chunksize=4)):
                results.append(result)
                if on_file:
                    on_file(path, len(result[0]))
    postings = [posting for found, _ in results for posting in found]
    encodings = {path: enc for path, (_, enc) in zip(paths, results) if enc != "utf-8"}
    return mark_duplicates(postings), encodings


def ingest(
    store: LocalStore,
    paths: Sequence[str],
    *,
    jobs: int = 1,
    limits: Limits = Limits(),
    on_file: Callable[[str, int], None] | None = None,
) -> IngestResult:
    """Extract postings from files and add them to the store's postings graph, all or nothing.

    A store without the default graph gets it first, so that the skills,
    roles and companies the postings name have their labels and types.

    Raises:
        InputError: a file cannot be read; nothing is written.
        StoreBusyError: another process kept the store busy.
    """
    postings, encodings = extract_parallel(paths, jobs=jobs, limits=limits, on_file=on_file)
    distinct = [p for p in postings if p.duplicate_of is None]
    with store.writer() as db:
        before = len(db)
        if not any(True for _ in db.quads_for_pattern(None, None, None, ox.NamedNode(CORE_GRAPH))):
            from kg.build import default_dataset

            db.extend(default_dataset())  # the vocabulary the postings refer to
        known = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, kg("Company"), None)}
        stored = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, kg("JobPosting"), None)}
        new = sum(1 for p in distinct if quads.posting_iri(p).value not in stored)
        db.extend(quads.posting_quads(distinct, POSTINGS_GRAPH, known_companies=known))
        derive.refresh(db)
        after = len(db)
    return IngestResult(len(paths), len(postings), len(postings) - len(distinct), new, before, after, encodings)
