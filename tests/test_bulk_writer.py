"""kg.bulk_writer: N-Quads bulk-loaded in chunks on a thread of its own, errors raised in the caller, no store kept."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.bulk_writer import BulkWriter

GRAPH = "<https://example.org/g>"


def lines(count: int, start: int = 0) -> list[bytes]:
    return [f"<https://example.org/s{n}> <https://example.org/p> \"{n}\" {GRAPH} .\n".encode()
            for n in range(start, start + count)]


def test_every_quad_lands_whatever_the_chunk_size(tmp_path: Path) -> None:
    data = lines(60)
    for chunk_bytes in (1000, 10**9):  # six chunks, then one
        db = ox.Store(str(tmp_path / f"s{chunk_bytes}"))
        with BulkWriter(db, chunk_bytes=chunk_bytes) as writer:
            for line in data:
                writer.add(line)
        assert writer.written == 60
        expected = ox.parse(b"".join(data), format=ox.RdfFormat.N_QUADS)
        assert sorted(str(q) for q in db) == sorted(str(q) for q in expected)


def test_the_chunks_load_on_another_thread_while_the_caller_goes_on(tmp_path: Path) -> None:
    """The caller hands a chunk over and goes on: with a chunk loading, it only waits when a second one waits too."""
    db = ox.Store(str(tmp_path / "s"))
    with BulkWriter(db, chunk_bytes=1) as writer:
        loader = [t for t in threading.enumerate() if t.name == "kg-bulk-writer"]
        assert len(loader) == 1 and loader[0] is not threading.current_thread()
        for line in lines(5):
            writer.add(line)
    assert not loader[0].is_alive()
    assert len(db) == 5


def test_a_failed_chunk_is_raised_in_the_caller_and_nothing_keeps_the_store(tmp_path: Path) -> None:
    db = ox.Store(str(tmp_path / "s"))
    before = sys.getrefcount(db)
    with pytest.raises(SyntaxError), BulkWriter(db, chunk_bytes=1) as writer:  # pyoxigraph's parse error
        writer.add(b"<https://example.org/s> not n-quads\n")
        for line in lines(5):  # the error is raised at the next add once the loader met it, or at the end
            writer.add(line)
    assert sys.getrefcount(db) == before
    assert not [t for t in threading.enumerate() if t.name == "kg-bulk-writer"]


def test_an_error_in_the_caller_loads_nothing_more(tmp_path: Path) -> None:
    db = ox.Store(str(tmp_path / "s"))
    with pytest.raises(RuntimeError), BulkWriter(db, chunk_bytes=10**9) as writer:
        writer.add(b"".join(lines(10)))
        raise RuntimeError("the read failed")
    assert len(db) == 0  # what was not handed over yet is dropped (the store's write throws its copy away anyway)
    assert sys.getrefcount(db) == 2
