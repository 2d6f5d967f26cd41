"""Postings into the store: read and extract in a stream (in worker processes if asked), write through one writer.

Sources are read block by block (tables row by row), so memory stays flat on big
files: blocks go to the workers in batches, and each batch of postings is written
to the store as it comes back. Posting IRIs come from a stable content key, so
ingesting the same posting again changes nothing; exact and near-duplicates
(:mod:`kg.extract.neardup`) count once. The write is all or nothing (the store's
stage and swap), and the demand the new postings show is added to the derived
graph incrementally (:func:`kg.derive.update`).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice

import pyoxigraph as ox

from kg import derive, graph_sizes, lookup_keys, quads, report_index, summaries, term_counts
from kg.bulk_writer import BulkWriter
from kg.extract.blocks import Block
from kg.extract.neardup import Duplicates, Earlier, band_keys, signature, signatures
from kg.extract.records import RowError, RowRecord
from kg.extract.sources import BATCH as TAGGER_BATCH
from kg.extract.sources import ReadOptions, analyse, analyse_many, items_of
from kg.extract.tables import ReadReport
from kg.extract.vocabulary import Vocabulary, load_vocabulary
from kg.models import Posting
from kg.namespaces import CORE_GRAPH, DERIVED_GRAPH, NEAR_DUPLICATES_GRAPH, POSTING, POSTINGS_GRAPH
from kg.neardup_index import StoredIndex, index_nquads
from kg.store import LocalStore
from kg.terms import COMPANY_CLASS, JOB_POSTING_CLASS, SKILL_CLASS, TYPE, value

#: Blocks sent to a worker at a time.
BATCH = 256
#: Compact the store after an ingest that made up at least this share of its triples (as :mod:`kg.graph_sizes`
#: keeps them): reads get up to 3x faster, and since the store must grow by this share between two compactions,
#: their cost stays in proportion to what was added (adding 1,000 postings to 100,000 does not compact).
GROWTH_TO_COMPACT = 0.25
_VOCAB: Vocabulary | None = None
DEFAULT_OPTIONS = ReadOptions()
_GRAPH = ox.NamedNode(POSTINGS_GRAPH)


@dataclass
class IngestResult:
    """What an ingest read and stored."""

    files: int
    postings: int
    duplicates: int
    new: int
    quads_written: int
    encodings: dict[str, str] = field(default_factory=dict)
    near_duplicates: int = 0
    skipped: int = 0
    layouts: dict[str, str] = field(default_factory=dict)


@dataclass
class Progress:
    """Callbacks for a progress bar: bytes of the postings done (extracted and checked for duplicates), postings
    done, files read."""

    on_bytes: Callable[[int], None] | None = None
    on_postings: Callable[[int], None] | None = None
    on_file: Callable[[str], None] | None = None


def _init_worker() -> None:
    global _VOCAB  # noqa: PLW0603 - one vocabulary per worker process
    _VOCAB = load_vocabulary()


def _init_pool_worker() -> None:
    """A worker process leaves Ctrl-C to the command, which ends the workers itself (no traceback from each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _init_worker()


@dataclass
class Extracted:
    """A posting, its near-duplicate signature, its quads as N-Quads (its company's type and label apart, its
    near-duplicate index entries included), and what the derived demand counts of it.

    ``id``, ``company_iri`` and ``duplicate_of`` are the posting's: all that storing it needs of the posting
    itself, so that a worker process can leave ``posting`` out of what it sends back (:func:`store_batch`).
    """

    posting: Posting | None
    signature: bytes | None
    quads: bytes
    company: bytes
    facts: derive.PostingFacts
    bands: tuple[str, ...] = ()
    id: str = ""
    company_iri: str | None = None
    duplicate_of: str | None = None
    #: How many lines of ``quads`` use each counted relation or class, per graph (:mod:`kg.term_counts`): counted
    #: by the worker that made them, not by the main process, which also writes the store.
    terms: term_counts.PerGraph | None = None
    #: The type and label of each of its skills outside kg's vocabulary, by IRI (written by the first posting)
    skills: tuple[tuple[str, bytes], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A row that was no posting: its file, row and why (reported by the main process)."""

    source: str
    row: int
    reason: str


def extract_block(block: Block, vocab: Vocabulary) -> Extracted:
    """Everything the store needs of one block: a pure function, run in worker processes and on Dask workers."""
    return _extracted(analyse(block, vocab), signature(block))


def _extracted(posting: Posting, sig: bytes | None) -> Extracted:
    own, company, skills = quads.posting_nquads(posting, _GRAPH)
    nquads = own + index_nquads(quads.posting_iri(posting), sig)
    return Extracted(posting, sig, nquads, company, quads.derivation_facts(posting),
                     band_keys(sig) if sig is not None else (), posting.id, posting.company_iri, posting.duplicate_of,
                     term_counts.line_counts(nquads), skills)


def extract_batch(blocks: Sequence[Block | RowRecord]) -> list[Extracted | Skipped]:
    """:func:`extract_block` of each block, rows made into blocks first (what a worker process does).

    The blocks are extracted ``TAGGER_BATCH`` at a time (:func:`~kg.extract.sources.analyse_many`: the tagger
    reads all their lines at once, half the CPU of one block at a time), with the same postings.
    """
    vocab = _VOCAB or load_vocabulary()
    slots: list[Block | Skipped] = []
    for item in blocks:
        if isinstance(item, Block):
            slots.append(item)
            continue
        try:
            slots.extend(item.blocks())
        except RowError as exc:
            slots.append(Skipped(item.where.source, item.where.row, str(exc)))
    read = [slot for slot in slots if isinstance(slot, Block)]
    # in the tagger's batches (a Dask partition holds thousands of blocks: its arrays stay small)
    postings = (posting for start in range(0, len(read), TAGGER_BATCH)
                for posting in analyse_many(read[start : start + TAGGER_BATCH], vocab))
    sigs = iter(signatures(read))
    return [_extracted(next(postings), next(sigs)) if isinstance(slot, Block) else slot for slot in slots]


def store_batch(blocks: Sequence[Block | RowRecord]) -> list[Extracted | Skipped]:
    """:func:`extract_batch` without the postings themselves: what ``kg ingest``'s worker processes send back.

    The store needs a posting's quads, facts and signature, not the posting: without it, a batch is about ten
    times cheaper to unpickle in the main process (which also writes the store), and three times cheaper to
    pickle in the worker.
    """
    return [replace(item, posting=None) if isinstance(item, Extracted) else item for item in extract_batch(blocks)]


def _batches(items: Iterable[Block | RowRecord], size: int,
             read: list[int]) -> Iterator[tuple[list[Block | RowRecord], int]]:
    """The items in lists of ``size``, each with the bytes read for it (``read[0]`` counts the bytes read so far)."""
    iterator = iter(items)
    done = 0
    while batch := list(islice(iterator, size)):
        yield batch, read[0] - done
        done = read[0]


def extract_stream(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    options: ReadOptions = DEFAULT_OPTIONS,
    report: ReadReport | None = None,
    progress: Progress | None = None,
    near: bool = True,
    earlier: Earlier | None = None,
    postings: bool = True,
) -> Iterator[list[Extracted]]:
    """Batches of the postings of ``paths``, in reading order, duplicates flagged across all of them.

    With ``jobs > 1`` the blocks are extracted in that many worker processes; the
    result is the same as with one. ``earlier`` finds near-duplicates among postings
    stored before (:class:`kg.neardup_index.StoredIndex`). ``postings=False``: worker processes leave the
    postings out (``Extracted.posting`` is ``None``; what the store needs is there).

    Raises:
        InputError: a file is missing, binary, empty or over a limit.
    """
    progress = progress or Progress()
    report = report if report is not None else ReadReport()
    duplicates = Duplicates(near=near, earlier=earlier)
    read = [0]  # the bar moves when a batch is done, not when it is read (reading runs ahead of extraction)

    def count(size: int) -> None:
        read[0] += size

    batches = _batches(items_of(paths, options, report, count, progress.on_file), BATCH, read)
    if jobs <= 1:
        _init_worker()
        yield from _marked(((extract_batch(batch), size) for batch, size in batches), duplicates, progress, report)
        return
    context = multiprocessing.get_context("spawn")  # never fork a process that holds a RocksDB store
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_init_pool_worker) as pool:
        work = extract_batch if postings else store_batch
        yield from _marked(_ordered(pool, work, batches, jobs), duplicates, progress, report)


def _ordered(pool: ProcessPoolExecutor, work: Callable[[Sequence[Block | RowRecord]], list[Extracted | Skipped]],
             batches: Iterator[tuple[list[Block | RowRecord], int]],
             jobs: int) -> Iterator[tuple[list[Extracted | Skipped], int]]:
    """The workers' results in input order, with at most ``2 * jobs`` batches in flight (flat memory)."""
    pending = []
    for batch, size in batches:
        pending.append((pool.submit(work, batch), size))
        if len(pending) >= 2 * jobs:
            future, done = pending.pop(0)
            yield future.result(), done
    for future, done in pending:
        yield future.result(), done


def _marked(results: Iterable[tuple[list[Extracted | Skipped], int]], duplicates: Duplicates,
            progress: Progress, report: ReadReport) -> Iterator[list[Extracted]]:
    for batch, size in results:
        postings = []
        for item in batch:
            if isinstance(item, Skipped):
                report.skip(item.source, item.row, item.reason)
                continue
            item.id, item.duplicate_of = duplicates.check(item.id, item.signature, item.bands)
            if item.posting is not None:
                item.posting.id, item.posting.duplicate_of = item.id, item.duplicate_of
            postings.append(item)
        if progress.on_postings:
            progress.on_postings(len(postings))
        if progress.on_bytes:
            progress.on_bytes(size)
        yield postings


def extract_parallel(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    options: ReadOptions = DEFAULT_OPTIONS,
    on_file: Callable[[str, int], None] | None = None,
) -> tuple[list[Posting], dict[str, str]]:
    """Every posting of ``paths`` in the order given, duplicates flagged (for tests and small inputs).

    Returns:
        The postings, and the files that were not UTF-8 with the encoding used.
    """
    postings = [item.posting for batch in extract_stream(paths, jobs=jobs, options=options) for item in batch
                if item.posting is not None]
    return postings, {}


def ingest(
    store: LocalStore,
    paths: Sequence[str],
    *,
    jobs: int = 1,
    options: ReadOptions = DEFAULT_OPTIONS,
    progress: Progress | None = None,
    near: bool = True,
) -> IngestResult:
    """Extract postings from files and add them to the store's postings graph, all or nothing.

    A store without the default graph gets it first, so that the skills,
    roles and companies the postings name have their labels and types.

    Raises:
        InputError: a file cannot be read; nothing is written.
        StoreBusyError: another process kept the store busy.
    """
    report = ReadReport()

    def fill(db: ox.Store) -> IngestResult:
        read = duplicates = near_duplicates = new = 0
        # a store an older kg derived is derived again, all of it, at the end (graph_sizes.finish): nothing to update
        current = graph_sizes.is_current(db)
        lookup_keys.ensure(db)
        if not any(True for _ in db.quads_for_pattern(None, None, None, ox.NamedNode(CORE_GRAPH))):
            from kg.build import default_dataset

            db.bulk_extend(lookup_keys.with_keys(default_dataset()))  # the vocabulary the postings refer to
            if current:
                derive.refresh(db)
        known = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, COMPANY_CLASS, None)}
        typed = {value(q.subject) for q in db.quads_for_pattern(None, TYPE, SKILL_CLASS, None)}
        added = Added()
        stored = StoredIndex(db)
        is_stored = _stored_postings(db)
        sizes = graph_sizes.Tally(db)  # what the postings add to their graphs' sizes, counted as they go in
        stream = extract_stream(paths, jobs=jobs, options=options, report=report, progress=progress, near=near,
                                earlier=stored if stored else None, postings=False)
        with BulkWriter(db) as writer:  # the store loads one chunk while the next is read and extracted
            for batch in stream:
                read += len(batch)
                for item in batch:
                    if item.duplicate_of is not None:
                        duplicates += 1
                        near_duplicates += not item.id.startswith(item.duplicate_of)
                        continue
                    if is_stored(item.id):
                        continue  # stored by an earlier ingest
                    sizes.add(item.quads, item.id, item.terms)
                    writer.add(item.quads)
                    if item.company_iri and item.company_iri not in known:
                        sizes.add(item.company)
                        writer.add(item.company)
                        added.named.append(item.company)
                        known.add(item.company_iri)
                    for skill, data in item.skills:  # a taxonomy's skill no imported taxonomy typed: once
                        if skill not in typed:
                            sizes.add(data)
                            writer.add(data)
                            added.named.append(data)
                            typed.add(skill)
                    added.add(item.facts)
                    new += 1
        written = writer.written
        if current:
            derive_added(db, added)
        grown = {POSTINGS_GRAPH: 0, NEAR_DUPLICATES_GRAPH: 0, **sizes.added}
        graph_sizes.finish(db, kept=graph_sizes.untouched(db, grown), added=grown, terms=sizes.terms)
        if new and sum(sizes.added.values()) >= GROWTH_TO_COMPACT * graph_sizes.total(db):
            db.optimize()  # merge the bulk loads' files; only when the store grew a lot, so it stays amortised
        return IngestResult(len(paths), read, duplicates, new, written, {}, near_duplicates,
                            len(report.skipped), dict(report.layouts))

    return store.write(fill)



@dataclass
class Added:
    """What the postings an ingest stores add to what kg derives of them."""

    counts: derive.DemandCounts = field(default_factory=derive.DemandCounts)  # to the derived graph
    mentions: report_index.Added = field(default_factory=report_index.Added)  # to the skill mentions of their roles
    requiring: Counter[str] = field(default_factory=Counter)  # new postings requiring each skill,
    asking: Counter[str] = field(default_factory=Counter)  # and asking for it at all
    #: N-Quads of the companies new to the store, and of the taxonomies' skills none of its graphs typed
    named: list[bytes] = field(default_factory=list)

    def add(self, facts: derive.PostingFacts) -> None:
        """Count one new posting."""
        self.counts.add(facts)
        self.mentions.add(facts)
        self.requiring.update(facts.required)
        self.asking.update(facts.required | facts.preferred)


def derive_added(db: ox.Store, added: Added) -> None:
    """Add what new postings show to what a store of this kg derives: the lookup keys of their companies and of
    the taxonomies' skills they name (the only labels of a posting's quads that a name finds), the derived graph
    and the summaries, in proportion to them."""
    if added.named:
        db.bulk_extend(lookup_keys.key_quads(ox.parse(b"".join(added.named), format=ox.RdfFormat.N_QUADS)))
    derived_before = summaries.asks_in(db, DERIVED_GRAPH)
    derive.update(db, added.counts)
    # the counts of the skills the postings ask for change, and of those whose derived requirement did
    derived = derived_before ^ summaries.asks_in(db, DERIVED_GRAPH)
    changed = {skill for _, skill, _ in derived}
    asked = set(added.asking)
    # the others only gained the new postings as askers: their counts are added to, not counted again
    summaries.refresh(db, skills=asked | changed,
                      added={skill: (added.requiring[skill], added.asking[skill]) for skill in asked - changed},
                      postings=added.mentions, roles={role for role, _, _ in derived})


def _stored_postings(db: ox.Store) -> Callable[[str], bool]:
    """Whether the posting with an id is in the store already (in any graph), as the store was before this write.

    A store whose only postings are the default graph's (the seed postings: a few hundred) is answered from
    a set of them, with no look-up a posting; postings stored by an earlier ingest or load are looked up.
    The postings this write adds need no answer: they were counted as duplicates before they got here.
    """
    core = ox.NamedNode(CORE_GRAPH)
    seeds: set[str] = set()
    for quad in db.quads_for_pattern(None, TYPE, JOB_POSTING_CLASS, None):
        if quad.graph_name != core:
            return lambda key: next(db.quads_for_pattern(ox.NamedNode(POSTING + key), TYPE, JOB_POSTING_CLASS,
                                                         None), None) is not None
        seeds.add(value(quad.subject))
    return lambda key: POSTING + key in seeds
