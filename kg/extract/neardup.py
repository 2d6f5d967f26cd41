"""Near-duplicate postings: the same posting reposted with small edits, or on two boards, counts once.

Each posting's text (title, company and body, case-folded words) is cut into
shingles of ``SHINGLE`` words; a MinHash signature of ``NUM_PERM`` values
(``datasketch``) estimates the Jaccard similarity of two postings' shingle sets,
and a MinHash LSH index finds the earlier postings that may be similar. A posting
whose estimated similarity to an earlier, kept posting is at least ``THRESHOLD``
is a near-duplicate of it. The signature is a pure function of the block, so it
is computed where the posting is extracted (worker processes, Dask workers); the
index is sequential, so the first posting in reading order is the one kept.

Measured on a corpus with planted near-duplicates (``benchmarks/bench_neardup.py``):
see the README's figures.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache
from typing import Any

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
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}


def block_text(block: Block) -> str:
    """The words that make a posting what it is: its title, company and lines."""
    return "\n".join([block.title or "", block.company or "", *(line.text for line in block.lines)])


def signature(block: Block) -> bytes | None:
    """The MinHash signature of a block's shingles (``NUM_PERM`` 32-bit values), or ``None`` when too short."""
    text = block_text(block)
    if len(_WORD.findall(text)) < MIN_WORDS:
        return None
    from datasketch import MinHash

    base = _base()
    minhash = MinHash(num_perm=NUM_PERM, permutations=base.permutations, scheme=base.scheme, hashfunc=zlib.crc32)
    minhash.update_batch(list(shingles(text)))  # a minimum: the order does not matter
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


class NearDuplicates:
    """A running index of kept postings' signatures: which earlier posting a new one repeats."""

    def __init__(self, threshold: float | None = None) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold = THRESHOLD if threshold is None else threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, bytes] = {}
        self._rank: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def check(self, key: str, sig: bytes | None) -> str | None:
        """The key of the most similar earlier posting if ``sig`` nearly repeats one; else remember it, ``None``.

        Ties go to the earliest kept posting.
        """
        if sig is None:
            return None
        from datasketch import LeanMinHash

        values = np.frombuffer(sig, dtype=np.uint32).astype(np.uint64)
        minhash = LeanMinHash(seed=1, hashvalues=values, scheme=_base().scheme)
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(minhash):
            score = similarity(sig, self._signatures[candidate])
            if score >= self.threshold and (best is None or (score, -self._rank[candidate]) > (best[0], -best[1])):
                best = (score, self._rank[candidate], candidate)
        if best is not None:
            return best[2]
        if key not in self._signatures:
            self._rank[key] = len(self._rank)
            self._signatures[key] = sig
            self._lsh.insert(key, minhash, check_duplication=False)
        return None



class Duplicates:
    """Flags exact duplicates (same content key; they get ``-2``, ``-3`` ids) and near-duplicates, in reading order."""

    def __init__(self, *, near: bool = True) -> None:
        self.seen: dict[str, int] = {}
        self.near = NearDuplicates() if near else None

    def mark(self, posting: Posting, sig: bytes | None) -> None:
        """Set ``duplicate_of`` on a posting that repeats an earlier one, exactly or nearly."""
        posting.id, posting.duplicate_of = self.check(posting.id, sig)

    def check(self, key: str, sig: bytes | None) -> tuple[str, str | None]:
        """The id a posting with content key ``key`` gets, and the key of the earlier posting it repeats, if any."""
        if key in self.seen:
            self.seen[key] += 1
            return f"{key}-{self.seen[key]}", key
        self.seen[key] = 1
        return key, self.near.check(key, sig) if self.near is not None else None
