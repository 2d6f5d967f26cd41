"""Extraction on a Dask cluster: partitions of the input go to workers, and each writes an N-Quads shard.

For tens of millions of postings, one machine is not enough; this runs the same
pure function as ``kg ingest``'s worker processes (:func:`kg.ingest.extract_block`:
a block of posting text to the posting, its near-duplicate signature and its
quads) on ``dask.distributed`` workers, in three steps:

1. *extract*: the driver reads the input (tables row by row) and sends partitions of
   blocks to the workers; each extracts its partition and keeps the result in the
   cluster's memory. Only a summary comes back: each posting's content key,
   signature and what the derived demand counts.
2. *decide*: the driver runs the duplicate pass over the summaries in input order
   (exact and near-duplicates, as ``kg ingest`` does), counts the demand of the
   postings kept, and decides which posting first names a company the vocabulary
   lacks. This needs about 400 bytes a posting on the driver (150 without
   near-duplicates).
3. *write*: each worker writes its partition's kept postings as one N-Quads shard;
   the driver writes the default graph (``core.nq``) and the derived graph
   (``derived.nq``).

Loading the shards into an empty store (``kg load --force OUT/*.nq``: they write kg's own graphs) or into a SPARQL
server gives the same graph as ``kg ingest`` of the same input into an empty
store, quad for quad (``tests/test_cluster.py`` proves it on a LocalCluster).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import derive
from kg.extract.blocks import Block
from kg.extract.neardup import Duplicates
from kg.extract.sources import ReadOptions, blocks_of
from kg.extract.tables import ReadReport
from kg.fileio import write_bytes_atomic
from kg.namespaces import DERIVED_GRAPH
from kg.terms import TYPE, kg, serialize, value

#: Blocks per partition: big enough to keep a worker busy for seconds, small enough to stream.
PARTITION = 5_000


@dataclass(frozen=True)
class Summary:
    """What the driver needs of one extracted posting: its key, signature, derivation facts, company and the
    taxonomies' skills it names."""

    key: str
    signature: bytes | None
    facts: derive.PostingFacts
    company: str | None
    bands: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


@dataclass
class ShardResult:
    """What a run wrote: the shards, how many postings were read and kept, and duplicates."""

    shards: list[Path]
    postings: int
    kept: int
    duplicates: int
    near_duplicates: int
    skipped: int


def extract_partition(blocks: list[Block]) -> list[Any]:
    """Extract a partition (runs on a worker; the vocabulary is loaded once per worker process)."""
    from kg import ingest

    return ingest.extract_batch(blocks)


def summarise(extracted: list[Any]) -> list[Summary]:
    """The summaries of an extracted partition (runs on a worker)."""
    return [Summary(item.id, item.signature, item.facts, item.company_iri, item.bands,
                    tuple(iri for iri, _ in item.skills)) for item in extracted]


def write_shard(extracted: list[Any], keep: list[bool], companies: list[bool], skills: list[frozenset[str]],
                path: str) -> int:
    """Write the kept postings of a partition, and the companies and taxonomies' skills they first name, as
    N-Quads (runs on a worker)."""
    data = []
    for item, kept, company, first in zip(extracted, keep, companies, skills):
        if kept:
            data.append(item.quads)
            if company:
                data.append(item.company)
            data.extend(nquads for iri, nquads in item.skills if iri in first)
    write_bytes_atomic(Path(path), b"".join(data))
    return sum(keep)


def _partitions(blocks: Iterable[Block], size: int) -> Iterator[list[Block]]:
    iterator = iter(blocks)
    while part := list(islice(iterator, size)):
        yield part


def extract_to_shards(
    client: Any,
    paths: Sequence[str],
    out: Path,
    *,
    options: ReadOptions | None = None,
    partition: int = PARTITION,
    near: bool = True,
    core: bool = True,
) -> ShardResult:
    """Extract the postings of ``paths`` on the Dask cluster of ``client`` into N-Quads shards in ``out``.

    Args:
        client: a ``dask.distributed.Client``.
        paths: input files, read as ``kg ingest`` reads them.
        out: the folder for ``core.nq``, ``postings-NNNNN.nq`` and ``derived.nq``.
        partition: blocks per partition.
        near: flag near-duplicates as ``kg ingest`` does.
        core: also write the default graph, so that the shards load into an empty store.

    Raises:
        InputError: an input file cannot be read.
    """
    from kg.build import default_dataset

    out.mkdir(parents=True, exist_ok=True)
    report = ReadReport()
    vocabulary = ox.Store()
    dataset = default_dataset()
    vocabulary.extend(dataset)
    known = {value(q.subject) for kind in ("Company", "Skill")  # typed already: no posting types them again
             for q in vocabulary.quads_for_pattern(None, TYPE, kg(kind), None)}
    stored = {value(q.subject) for q in vocabulary.quads_for_pattern(None, TYPE, kg("JobPosting"), None)}
    run = _Run(client, out, derive.DemandCounts.of(derive.stored_postings(vocabulary)), known, stored,
               Duplicates(near=near))
    depth = 2 * max(1, len(client.scheduler_info().get("workers", {}))) + 2
    pending: list[tuple[Any, Any]] = []
    for part in _partitions(blocks_of(paths, options or ReadOptions(), report), partition):
        future = client.submit(extract_partition, part, pure=False)
        pending.append((future, client.submit(summarise, future, pure=False)))
        if len(pending) >= depth:  # bounded: the cluster holds a few partitions, not the whole input
            run.decide(*pending.pop(0))
    for item in pending:
        run.decide(*item)
    for written in run.writes:
        written.result()
    derived = derive.quads_of_counts(vocabulary, run.counts, DERIVED_GRAPH)
    write_bytes_atomic(out / "derived.nq", serialize(derived, ox.RdfFormat.N_QUADS))
    shards = [*run.shards, out / "derived.nq"]
    if core:
        write_bytes_atomic(out / "core.nq", serialize(dataset, ox.RdfFormat.N_QUADS))
        shards.insert(0, out / "core.nq")
    return ShardResult(shards, run.read, run.kept, run.dropped, run.near_dropped, len(report.skipped))


class _Run:
    """The driver's state across partitions: the duplicate pass, the counts, the companies and skills typed so
    far."""

    def __init__(self, client: Any, out: Path, counts: derive.DemandCounts, known: set[str], stored: set[str],
                 duplicates: Duplicates) -> None:
        self.client, self.out, self.counts, self.known, self.stored = client, out, counts, known, stored
        self.duplicates = duplicates
        self.read = self.kept = self.dropped = self.near_dropped = 0
        self.shards: list[Path] = []
        self.writes: list[Any] = []

    def decide(self, future: Any, summary: Any) -> None:
        """Run the duplicate pass over one partition's summaries, in order, and have a worker write its shard."""
        keep, companies, skills = [], [], []
        for item in summary.result():
            self.read += 1
            posting_id, duplicate_of = self.duplicates.check(item.key, item.signature, item.bands)
            fresh = duplicate_of is None and item.facts.iri not in self.stored
            if duplicate_of is not None:
                self.dropped += 1
                self.near_dropped += not posting_id.startswith(duplicate_of)
            names_company = fresh and item.company is not None and item.company not in self.known
            if fresh:
                self.kept += 1
                self.counts.add(item.facts)
                self.stored.add(item.facts.iri)
            if names_company:
                self.known.add(item.company)
            first = frozenset(iri for iri in item.skills if iri not in self.known) if fresh else frozenset()
            self.known.update(first)
            keep.append(fresh)
            companies.append(names_company)
            skills.append(first)
        path = self.out / f"postings-{len(self.shards):05d}.nq"
        self.writes.append(self.client.submit(write_shard, future, keep, companies, skills, str(path), pure=False))
        self.shards.append(path)
        summary.release()
