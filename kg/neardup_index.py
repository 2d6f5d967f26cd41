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
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kg.extract.neardup import Earlier, band_keys
from kg.namespaces import NEAR_DUPLICATES_GRAPH, POSTING, XSD
from kg.terms import kg, serialize, value

_GRAPH = ox.NamedNode(NEAR_DUPLICATES_GRAPH)
_MINHASH = kg("minhash")
_BAND = kg("lshBand")
_BASE64 = ox.NamedNode(XSD + "base64Binary")


def index_quads(posting: ox.NamedNode, sig: bytes | None) -> list[ox.Quad]:
    """The index entries of one posting: its signature and band keys (none for a posting too short to compare)."""
    if sig is None:
        return []
    signature = ox.Literal(base64.b64encode(sig).decode("ascii"), datatype=_BASE64)
    return [ox.Quad(posting, _MINHASH, signature, _GRAPH),
            *(ox.Quad(posting, _BAND, ox.Literal(band), _GRAPH) for band in band_keys(sig))]


def index_nquads(posting: ox.NamedNode, sig: bytes | None) -> bytes:
    """:func:`index_quads` as N-Quads."""
    return serialize(index_quads(posting, sig), ox.RdfFormat.N_QUADS) if sig is not None else b""


def stored_candidates(db: ox.Store) -> Earlier:
    """A lookup of the postings in ``db`` that share a band with a new posting: (content key, signature) pairs."""

    def lookup(bands: Sequence[str]) -> Iterator[tuple[str, bytes]]:
        seen: set[ox.NamedNode | ox.BlankNode] = set()
        for band in bands:
            for quad in db.quads_for_pattern(None, _BAND, ox.Literal(band), _GRAPH):
                if quad.subject in seen or not isinstance(quad.subject, ox.NamedNode):
                    continue
                seen.add(quad.subject)
                stored = next(db.quads_for_pattern(quad.subject, _MINHASH, None, _GRAPH), None)
                if stored is not None and quad.subject.value.startswith(POSTING):
                    yield quad.subject.value[len(POSTING):], base64.b64decode(value(stored.object))

    return lookup
