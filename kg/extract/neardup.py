"""Near-duplicate postings: the same posting reposted with small edits, or on two boards, counts once.

Each posting's text (title, company and body, case-folded words) is cut into
shingles of ``SHINGLE`` words; a MinHash signature of ``NUM_PERM`` values
(datasketch's scheme, computed in batches here) estimates the Jaccard similarity of two postings' shingle sets.
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
from typing import Protocol

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
    folded = text.casefold()
    encoded = _ascii_words(folded)
    return _shingles(encoded if encoded is not None else _encoded(_WORD.findall(folded)))


def _encoded(words: list[str]) -> list[bytes]:
    """Words as UTF-8 (encoded once, then cut: no word holds a space)."""
    return " ".join(words).encode("utf-8").split(b" ") if words else []


#: Per byte: ASCII letters made small, digits and ``_`` kept, every other byte (non-ASCII ones too) a space.
_WORD_BYTES = bytes(byte + 32 if 65 <= byte <= 90 else byte if byte < 128 and (chr(byte).isalnum() or byte == 95)
                    else 32 for byte in range(256))
_ASCII_BYTES = bytes(range(128))


def _ascii_words(text: str) -> list[bytes] | None:
    """``_WORD.findall(text)`` made small in ASCII and encoded (:func:`_encoded`), or None where a character
    outside ASCII is part of a word ("é"): else every such character separates words, as a space does, and the
    words are cut from the UTF-8 bytes by ``bytes.translate`` and ``split`` (five times faster than the pattern)."""
    data = text.encode("utf-8")
    if not data.isascii() and _WORD.search(data.translate(None, _ASCII_BYTES).decode("utf-8")):
        return None
    return data.translate(_WORD_BYTES).split()


def _folded_words(text: str) -> list[bytes] | None:
    """The case-folded words of a text, encoded (:func:`_encoded`); None if it has fewer than ``MIN_WORDS``, counted
    before case folding, which may change where words end ("İ" folds to "i" and a combining dot)."""
    words = _ascii_words(text)
    if (len(words) if words is not None else len(_WORD.findall(text))) < MIN_WORDS:
        return None
    if text.isascii():
        return words  # case folding is making ASCII letters small
    folded = text.casefold()
    words = _ascii_words(folded)
    return words if words is not None else _encoded(_WORD.findall(folded))


def _shingles(encoded: list[bytes]) -> set[bytes]:
    """The ``SHINGLE``-grams of words as UTF-8 (:func:`_encoded`), joined by a space."""
    if len(encoded) < SHINGLE:
        return {b" ".join(encoded)} if encoded else set()
    return set(map(b" ".join, zip(*(encoded[i : len(encoded) - SHINGLE + 1 + i] for i in range(SHINGLE)))))


def block_text(block: Block) -> str:
    """The words that make a posting what it is: its title, company and lines."""
    return "\n".join([block.title or "", block.company or "", *(line.text for line in block.lines)])


def signature(block: Block) -> bytes | None:
    """The MinHash signature of a block's shingles (``NUM_PERM`` 32-bit values), or ``None`` when too short."""
    return signatures([block])[0]


def signatures(blocks: Sequence[Block]) -> list[bytes | None]:
    """``[signature(block) for block in blocks]``: the shingles of all the blocks hashed and permuted at once.

    Each shingle's CRC-32 is mixed by MurmurHash3's finaliser, then sent through ``NUM_PERM`` affine maps
    ``h -> a * h + b`` modulo 2^32 (:func:`_permutations`); a block's signature is the least value of each map
    over its shingles. These are the values of datasketch's ``MinHash(num_perm=64, seed=1, hashfunc=zlib.crc32)``
    (its "affine32" scheme), computed here so that what is stored does not change with a datasketch release, and
    so that one numpy step serves a batch of postings (a ``MinHash`` per posting cost a tenth of extraction).
    """
    out: list[bytes | None] = [None] * len(blocks)
    hashes: list[int] = []
    ends: list[int] = []
    owners: list[int] = []
    for number, block in enumerate(blocks):
        words = _folded_words(block_text(block))
        if words is None:
            continue
        hashes.extend(map(zlib.crc32, _shingles(words)))  # a minimum: the order does not matter
        ends.append(len(hashes))
        owners.append(number)
        if len(hashes) >= _CHUNK:  # memory stays bounded: NUM_PERM values per shingle
            _fill(out, hashes, ends, owners)
            hashes, ends, owners = [], [], []
    if owners:
        _fill(out, hashes, ends, owners)
    return out


#: How many shingles' permuted values :func:`signatures` holds at once (``NUM_PERM`` 4-byte values each).
_CHUNK = 1 << 14


def _fill(out: list[bytes | None], hashes: list[int], ends: list[int], owners: list[int]) -> None:
    """Set ``out[owners[i]]`` to the signature of ``hashes`` from ``ends[i - 1]`` (0 for the first) to ``ends[i]``."""
    a, b = _permutations()
    permuted = a[:, None] * _fmix32(np.asarray(hashes, dtype=np.uint32))  # a map a row; uint32 wraps modulo 2^32
    permuted += b[:, None]
    least = np.minimum.reduceat(permuted, [0, *ends[:-1]], axis=1).T.astype("<u4")
    for owner, values in zip(owners, least):
        out[owner] = values.tobytes()


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser, element by element: an avalanching bijection of 32-bit values."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return np.asarray(values ^ (values >> np.uint32(16)))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The ``NUM_PERM`` affine maps' multipliers (odd: each map is a bijection) and offsets, drawn as datasketch 2
    draws them, from NumPy's ``RandomState(1)`` (a stream NumPy keeps the same across releases)."""
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


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


#: The LSH bands for ``THRESHOLD``: datasketch's choice of bands and rows for ``NUM_PERM`` values (8 of 8), written
#: out (a test checks it against ``MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges``): importing
#: datasketch, and SciPy with it, to compute it cost 0.7 s of CPU in every process that extracts.
BANDS = tuple((start, start + 8) for start in range(0, NUM_PERM, 8))


def band_keys(sig: bytes) -> tuple[str, ...]:
    """The LSH band keys of a signature, ``band:hash``: two postings whose signatures share one are candidates.

    A pure function of the signature, the same in every process, so that the keys can be stored.
    """
    values = np.frombuffer(sig, dtype=np.uint32)
    return tuple(f"{band}:{hashlib.blake2b(values[start:end].tobytes(), digest_size=8).hexdigest()}"
                 for band, (start, end) in enumerate(BANDS))


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
