"""The near-duplicate index kept in the store, so that a repost is recognised across ingests.

Each kept posting's MinHash signature (``kg:minhash``, ``xsd:base64Binary``) and its
LSH band keys (``kg:lshBand``) go into ``graph/near-duplicates`` with the posting,
in the same write: the index is always in step with the postings, in every
generation of the store. A later ingest looks up only the bands of its new
postings (the store's object index answers each in one seek), so the cost follows
the new postings, not the store.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import pyoxigraph as ox

from kg.extract.neardup import band_keys
from kg.namespaces import NEAR_DUPLICATES_GRAPH, POSTING, XSD
from kg.terms import kg, value

_GRAPH = ox.NamedNode(NEAR_DUPLICATES_GRAPH)
_MINHASH = kg("minhash")
_BAND = kg("lshBand")
_BASE64 = ox.NamedNode(XSD + "base64Binary")


def index_nquads(posting: ox.NamedNode, sig: bytes | None) -> bytes:
    """The index entries of one posting as N-Quads: its signature and band keys (none for a posting too short
    to compare).

    Written as text: the literals are base64 and ``band:hex``, which N-Quads never escapes, and the posting's
    IRI is Oxigraph's own N-Triples form of it. Three times faster than making the quads.
    """
    if sig is None:
        return b""
    subject = str(posting)
    lines = [f'{subject} {_MINHASH} "{base64.b64encode(sig).decode("ascii")}"^^{_BASE64} {_GRAPH} .\n']
    lines += [f'{subject} {_BAND} "{band}" {_GRAPH} .\n' for band in band_keys(sig)]
    return "".join(lines).encode("ascii")


class StoredIndex:
    """The near-duplicate index of the postings in a store (:class:`~kg.extract.neardup.Earlier`)."""

    def __init__(self, db: ox.Store) -> None:
        self._db = db

    def __bool__(self) -> bool:
        """Whether the store holds any entry (a fresh store needs no look-ups)."""
        return next(self._db.quads_for_pattern(None, _MINHASH, None, _GRAPH), None) is not None

    def candidates(self, bands: Sequence[str]) -> set[str]:
        """The content keys of the stored postings that share a band with ``bands``."""
        found = set()
        for band in bands:
            for quad in self._db.quads_for_pattern(None, _BAND, ox.Literal(band), _GRAPH):
                if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(POSTING):
                    found.add(quad.subject.value[len(POSTING):])
        return found

    def signature(self, key: str) -> bytes | None:
        """The signature of the stored posting ``key``."""
        stored = next(self._db.quads_for_pattern(ox.NamedNode(POSTING + key), _MINHASH, None, _GRAPH), None)
        return base64.b64decode(value(stored.object)) if stored is not None else None
