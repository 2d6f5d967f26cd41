"""Near-duplicate postings: the same posting reposted with small edits, or on two boards, counts once.

Each posting's text (title, company and body, case-folded words) is cut into
shingles of ``SHINGLE`` words; a MinHash signature of ``NUM_PERM`` values
(``datasketch``) estimates the Jaccard similarity of two postings' shingle sets.
The signature is cut into the LSH bands datasketch chooses for ``THRESHOLD``;
postings that share a band are candidates, in this run or stored by an earlier
one (:mod:`kg.neardup_index` keeps the bands in the store). A posting whose
estimated similarity to an earlier, kept posting is at least ``THRESHOLD`` is a
near-duplicate of it. The signature is a pure function of the block, so it is
computed where the posting is extracted (worker processes, Dask workers); the
index is sequential, so the first posting in reading order is the one kept.

Measured on a corpus with planted near-duplicates (``benchmarks/bench_neardup.py``):
see the README's figures.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np

from kg.extract.blocks import Block
from kg.models import Posting

SHINGLE = 3
NUM_PERM = 64
THRESHOLD = 0.7
#: Postings shorter than this many words are compared exactly only: a few words say too little.
MIN_WORDS = 12
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    """The word ``SHINGLE``-grams of a text, case-folded."""
    return _shingles(_WORD.findall(text.casefold()))


def _shingles(words: list[str]) -> set[bytes]:
    """The ``SHINGLE``-grams of words, as UTF-8 (the words encoded once, then joined: no word holds a space)."""
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    encoded = " ".join(words).encode("utf-8").split(b" ")
    return set(map(b" ".join, zip(*(encoded[i : len(encoded) - SHINGLE + 1 + i] for i in range(SHINGLE)))))


def block_text(block: Block) -> str:
    """The words that make a posting what it is: its title, company and lines."""
    return "\n".join([block.title or "", block.company or "", *(line.text for line in block.lines)])


def signature(block: Block) -> bytes | None:
    """The MinHash signature of a block's shingles (``NUM_PERM`` 32-bit values), or ``None`` when too short."""
    text = block_text(block)
    folded = text.casefold()
    words = _WORD.findall(folded)
    # case folding changes no word boundary in ASCII text; elsewhere it may ("İ" folds to "i" and a combining dot)
    if (len(words) if text.isascii() else len(_WORD.findall(text))) < MIN_WORDS:
        return None
    from datasketch import MinHash

    base = _base()
    minhash = MinHash(num_perm=NUM_PERM, permutations=base.permutations, scheme=base.scheme, hashfunc=zlib.crc32)
    minhash.update_batch(list(_shingles(words)))  # a minimum: the order does not matter
    packed: bytes = minhash.hashvalues.astype(np.uint32).tobytes()
    return packed


@lru_cache(maxsize=1)
def _base() -> Any:  # datasketch.MinHash, imported lazily
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=zlib.crc32)


def similarity(first: bytes, second: bytes) -> float:
    """The Jaccard similarity two signatures estimate."""
    a, b = np.frombuffer(first, dtype=np.uint32), np.frombuffer(second, dtype=np.uint32)
    return float(np.count_nonzero(a == b)) / len(a)


class Earlier(Protocol):
    """Postings kept before this run (in the store, by an earlier ingest: :class:`kg.neardup_index.StoredIndex`)."""

    def candidates(self, bands: Sequence[str]) -> set[str]:
        """The content keys of the earlier postings that share one of ``bands``."""

    def signature(self, key: str) -> bytes | None:
        """The signature of the earlier posting ``key``."""


@lru_cache(maxsize=1)
def _bands() -> tuple[tuple[int, int], ...]:
    """The LSH bands for ``THRESHOLD``: datasketch's choice of bands and rows for ``NUM_PERM`` values (8 of 8)."""
    from datasketch import MinHashLSH

    return tuple((start, end) for start, end in MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(sig: bytes) -> tuple[str, ...]:
    """The LSH band keys of a signature, ``band:hash``: two postings whose signatures share one are candidates.

    A pure function of the signature, the same in every process, so that the keys can be stored.
    """
    values = np.frombuffer(sig, dtype=np.uint32)
    return tuple(f"{band}:{hashlib.blake2b(values[start:end].tobytes(), digest_size=8).hexdigest()}"
                 for band, (start, end) in enumerate(_bands()))


class NearDuplicates:
    """A running index of kept postings' signatures: which earlier posting a new one repeats.

    Candidates are the postings that share an LSH band with the new one (the bands datasketch
    chooses for the threshold); a candidate counts when the similarity its signature estimates is at
    least the threshold. Postings kept by an earlier ingest come from ``earlier`` and rank before
    the postings of this run.
    """

    def __init__(self, earlier: Earlier | None = None) -> None:
        self.threshold = THRESHOLD
        self._earlier = earlier
        self._buckets: dict[str, list[str]] = {}
        self._signatures: dict[str, bytes] = {}
        self._rank: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def check(self, key: str, sig: bytes | None, bands: Sequence[str] | None = None) -> str | None:
        """The key of the most similar earlier posting if ``sig`` nearly repeats one; else remember it, ``None``.

        ``bands``: the signature's :func:`band_keys`, if they were computed already (in a worker).

        Ties go to a posting stored before this run (the least key), then to the earliest of this run.
        A posting already stored under the same key is no near-duplicate of itself.
        """
        if sig is None:
            return None
        bands = band_keys(sig) if bands is None else bands
        own = {candidate for band in bands for candidate in self._buckets.get(band, ())}
        ranked = [(similarity(sig, self._signatures[c]), self._rank[c], c) for c in own]
        if self._earlier is not None:
            for candidate in sorted(self._earlier.candidates(bands) - self._signatures.keys()):
                if candidate == key:
                    return None  # this very posting, stored by an earlier ingest
                stored = self._earlier.signature(candidate)
                if stored is not None:
                    ranked.append((similarity(sig, stored), -1, candidate))
        close = [(-score, rank, candidate) for score, rank, candidate in ranked if score >= self.threshold]
        if close:
            return min(close)[2]
        if key not in self._signatures:
            self._rank[key] = len(self._rank)
            self._signatures[key] = sig
            for band in bands:
                self._buckets.setdefault(band, []).append(key)
        return None


class Duplicates:
    """Flags exact duplicates (same content key; they get ``-2``, ``-3`` ids) and near-duplicates, in reading order."""

    def __init__(self, *, near: bool = True, earlier: Earlier | None = None) -> None:
        self.seen: dict[str, int] = {}
        self.near = NearDuplicates(earlier) if near else None

    def mark(self, posting: Posting, sig: bytes | None, bands: Sequence[str] | None = None) -> None:
        """Set ``duplicate_of`` on a posting that repeats an earlier one, exactly or nearly."""
        posting.id, posting.duplicate_of = self.check(posting.id, sig, bands)

    def check(self, key: str, sig: bytes | None, bands: Sequence[str] | None = None) -> tuple[str, str | None]:
        """The id a posting with content key ``key`` gets, and the key of the earlier posting it repeats, if any."""
        if key in self.seen:
            self.seen[key] += 1
            return f"{key}-{self.seen[key]}", key
        self.seen[key] = 1
        return key, self.near.check(key, sig, bands) if self.near is not None else None
