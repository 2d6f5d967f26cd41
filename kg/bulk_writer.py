"""N-Quads into a store with Oxigraph's bulk loader, on a thread of its own, while the caller reads on.

``Store.bulk_load`` lets Python's lock go while it parses, sorts and writes, so the
thread that feeds a stream of postings (reading files, collecting what the worker
processes extracted, marking duplicates) keeps going while a chunk loads, and the
worker processes never wait for the store. At most one chunk waits while another
loads: memory stays bounded, and a caller faster than the store waits for it.

The loader writes into the store it is given, which in kg is a write's staging
copy (:meth:`kg.store.LocalStore.write`): a failure anywhere throws the copy away,
chunks already loaded included, so the write stays all or nothing.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from types import TracebackType

import pyoxigraph as ox

#: N-Quads bytes handed to Oxigraph's bulk loader at a time. Up to three chunks are held (one loading, one
#: waiting, one filling) besides the loader's own sorting memory, so this sets most of ingest's peak: 32 MB
#: ingests 20,000 postings (`--jobs 2`) in the same CPU as 64 MB (107 s against 110 s) at 573 MB peak against
#: 846 MB, and keeps `kg ingest` of 10 MB of JSON-LD (28,000 postings) at 744 MB, well under the 1 GiB bound.
CHUNK_BYTES = 32 * 1024 * 1024


class BulkWriter:
    """Collects N-Quads and bulk-loads them in chunks of ``chunk_bytes`` on a background thread.

    Use as a context manager: leaving the block waits for the chunks handed over so far, and
    lets the store go; an error of the loader is raised in the caller's thread (at the next
    :meth:`add` or at the end), and the thread's own reference to the store is dropped either way.
    """

    def __init__(self, db: ox.Store, chunk_bytes: int = CHUNK_BYTES) -> None:
        self._db: ox.Store | None = db
        self._chunk_bytes = chunk_bytes
        self._data: list[bytes] = []
        self._size = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._written = 0
        self._thread = threading.Thread(target=self._run, name="kg-bulk-writer", daemon=True)
        self._thread.start()

    @property
    def written(self) -> int:
        """The quads (N-Quads lines) loaded so far; after the block, all of them."""
        return self._written

    def add(self, nquads: bytes) -> None:
        """Queue N-Quads (whole lines) to be loaded.

        Raises:
            OSError, ValueError: the loader failed on an earlier chunk.
        """
        self._raise()
        self._data.append(nquads)
        self._size += len(nquads)
        if self._size >= self._chunk_bytes:
            self._hand_over()

    def _hand_over(self) -> None:
        if self._data:
            self._queue.put(b"".join(self._data))  # waits while one chunk loads and another waits
            self._data, self._size = [], 0

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            db = self._db
            if self._error is None and db is not None:  # else the write failed: drain what the caller hands over
                try:
                    # lenient: the IRIs are not checked again; every line is Oxigraph's own serialisation of
                    # its terms (kg.quads), or ASCII kg writes (kg.neardup_index). A tenth less CPU.
                    db.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
                    self._written += chunk.count(b"\n")
                except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
                    self._error = exc
            db = None  # the error's traceback keeps this frame: it must not keep the store

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def close(self) -> None:
        """Load what is left and wait for the thread; raises what the loader raised."""
        try:
            if self._error is None:
                self._hand_over()
        finally:
            self._stop()
        self._raise()

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        self._db = None  # the store's writer checks that nothing holds the store once the write is done

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._data, self._db = [], None  # the write fails: nothing more is loaded; the staging copy goes
            with contextlib.suppress(queue.Empty):
                self._queue.get_nowait()  # the chunk waiting is dropped: only the one loading is waited for
            self._stop()
