"""The persistent graph: an Oxigraph store on disk, written by stage and swap.

A kg store is a folder::

    STORE/kg-store.json   marker and format version
    STORE/HEAD            the name of the current generation
    STORE/gen-*/          Oxigraph (RocksDB) databases, one per generation
    STORE/.lock           held by the one process that is writing

Readers open the current generation read-only and never wait. A writer takes
the lock, copies the current generation to a new one (a RocksDB checkpoint:
hard links, cheap), writes there, and only when everything succeeded points
HEAD at it with an atomic rename. A failed or interrupted write leaves HEAD,
and so the store, exactly as it was. The new generation is closed before HEAD
moves and before the lock is let go, so that the next writer never copies files
a process still writes to; a second writer waits for the lock (and after
``KG_BUSY_TIMEOUT`` seconds fails with "store is busy").
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from kg.errors import InputError, StoreBusyError, StoreError, UsageError
from kg.fileio import write_bytes_atomic

FORMAT_VERSION = 1
MARKER = "kg-store.json"
HEAD = "HEAD"
LOCK = ".lock"
KEEP_GENERATIONS = 2
DEFAULT_BUSY_TIMEOUT = 30.0
T = TypeVar("T")


def _busy_timeout_from_env() -> float:
    """``KG_BUSY_TIMEOUT`` in seconds, or the default.

    Raises:
        UsageError: it is not a number of seconds.
    """
    text = os.environ.get("KG_BUSY_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise UsageError(f"KG_BUSY_TIMEOUT={text!r} is not a number of seconds (e.g. KG_BUSY_TIMEOUT=60)")
    return seconds


def default_store_path() -> Path:
    """``$KG_STORE``, else ``$XDG_DATA_HOME/kg/store`` (``~/.local/share/kg/store``)."""
    if env := os.environ.get("KG_STORE"):
        return Path(env).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "kg" / "store"


@dataclass(frozen=True)
class LocalStore:
    """A kg store folder on this machine."""

    path: Path
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT

    @classmethod
    def at(cls, location: str | os.PathLike[str] | None = None, busy_timeout: float | None = None) -> LocalStore:
        """The store at ``location``, or at the default place."""
        path = Path(location).expanduser() if location else default_store_path()
        if busy_timeout is None:
            busy_timeout = _busy_timeout_from_env()
        return cls(path.absolute(), busy_timeout)

    # ------------------------------------------------------------- reading

    @property
    def exists(self) -> bool:
        """Whether a generation has been written here."""
        return self._current_name() is not None

    def _current_name(self) -> str | None:
        try:
            name = (self.path / HEAD).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read the store at {self.path}: {exc.strerror}") from exc
        return name or None

    def reader(self) -> ox.Store:
        """The current generation, opened read-only.

        Raises:
            StoreError: no store has been built here, or it cannot be opened.
        """
        self._check_marker()
        for _ in range(3):  # HEAD may move between reading it and opening the generation
            name = self._current_name()
            if name is None:
                raise StoreError(f"no graph in the store at {self.path}: run `kg build` or `kg load` first")
            try:
                return ox.Store.read_only(str(self.path / name))
            except OSError as exc:
                last = exc
                time.sleep(0.05)
        raise StoreError(f"cannot open the store at {self.path}: {last}")

    # ------------------------------------------------------------- writing

    def write(self, fill: Callable[[ox.Store], T]) -> T:
        """Run ``fill`` on a writable copy of the store; the copy becomes the store only if ``fill`` returns.

        The copy is closed, all of it (RocksDB's write-ahead log and background
        compactions included), before HEAD points at it and before the lock is let
        go: the next writer copies files that no process has open for writing.
        ``fill`` must not keep the store it is given.

        Returns:
            What ``fill`` returns.

        Raises:
            StoreBusyError: another process held the write lock for ``busy_timeout`` seconds.
            StoreError: the store folder cannot be created or written, or is not a kg store.
        """
        self._ensure_folder()
        with self._lock():
            current = self._current_name()
            staging_name = self._new_generation_name()
            staging = self.path / staging_name
            try:
                if current is None:
                    db = ox.Store(str(staging))
                    from kg.graph_sizes import mark_new

                    mark_new(db)  # what this write derives is this kg's: nothing older to derive again
                else:
                    ox.Store.read_only(str(self.path / current)).backup(str(staging))
                    db = ox.Store(str(staging))
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                if full := out_of_space(exc):
                    raise StoreError(f"no room to write the store at {self.path} ({full}); nothing changed") from exc
                raise StoreError(f"cannot prepare a write to the store at {self.path}: {exc}") from exc
            try:
                result = fill(db)
                db.flush()
            except BaseException as exc:
                traceback.clear_frames(exc.__traceback__)  # the finished frames that saw the store let it go
                gc.collect()
                del db
                shutil.rmtree(staging, ignore_errors=True)
                if isinstance(exc, OSError) and (full := out_of_space(exc)):
                    raise StoreError(f"no room to write the store at {self.path} ({full}); nothing changed") from exc
                raise
            others = _other_holders(db)
            del db  # the last reference: RocksDB closes here, after its background work
            if others:
                shutil.rmtree(staging, ignore_errors=True)
                raise StoreError(f"internal error: {others} references kept the written store open; nothing changed")
            self._swap_head(staging_name)
            self._prune(keep={staging_name, current})
            return result

    def _ensure_folder(self) -> None:
        try:
            if self.path.exists() and not self.path.is_dir():
                raise StoreError(f"{self.path} is a file, not a kg store folder")
            if self.path.is_dir() and any(self.path.iterdir()):
                self._check_marker()
                return
            # A new store appears whole: its folder is made beside it, marker included, and renamed
            # into place, so a second process never sees a folder without its marker.
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = self.path.parent / f".{self.path.name}.new-{os.getpid()}-{time.time_ns()}"
            fresh.mkdir()
            _write_text(fresh / MARKER, json.dumps({"kg-store": FORMAT_VERSION}) + "\n")
            try:
                os.rename(fresh, self.path)  # replaces an empty folder; fails on one another process filled
            except OSError as exc:
                shutil.rmtree(fresh, ignore_errors=True)
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise StoreError(f"cannot create the store at {self.path}: {exc.strerror}") from exc
                self._check_marker()
        except PermissionError as exc:
            raise StoreError(f"cannot write the store at {self.path}: permission denied") from exc

    def _check_marker(self) -> None:
        marker = self.path / MARKER
        if not self.path.exists():
            raise StoreError(f"no store at {self.path}: run `kg build` or `kg load` first")
        try:
            version = json.loads(marker.read_text(encoding="utf-8")).get("kg-store")
        except FileNotFoundError:
            raise StoreError(f"{self.path} is not a kg store (no {MARKER}); choose another --store") from None
        except (OSError, ValueError, AttributeError) as exc:
            raise StoreError(f"{marker} is damaged: {exc}") from exc
        if version != FORMAT_VERSION:
            raise StoreError(f"the store at {self.path} has format {version}; this kg reads format {FORMAT_VERSION}")

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        try:
            handle = open(self.path / LOCK, "a+b")  # noqa: SIM115 - held for the block
        except OSError as exc:  # a read-only store (permissions, a read-only file system)
            raise StoreError(f"cannot write to the store at {self.path}: {exc.strerror or exc}") from exc
        try:
            deadline = time.monotonic() + self.busy_timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise StoreError(f"cannot lock the store at {self.path}: {exc.strerror}") from exc
                    if time.monotonic() >= deadline:
                        raise StoreBusyError(
                            f"store is busy: another kg process is writing to {self.path} "
                            f"(waited {self.busy_timeout:g} s; set KG_BUSY_TIMEOUT to wait longer)"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            handle.close()

    def _new_generation_name(self) -> str:
        return f"gen-{time.time_ns():020d}-{os.getpid()}"

    def _swap_head(self, name: str) -> None:
        _write_text(self.path / HEAD, name + "\n")

    def _prune(self, keep: set[str | None]) -> None:
        generations = sorted(p for p in self.path.glob("gen-*") if p.is_dir())
        keep_names = {name for name in keep if name}
        survivors = [p for p in generations if p.name in keep_names][-KEEP_GENERATIONS:]
        for old in generations:
            if old not in survivors:
                shutil.rmtree(old, ignore_errors=True)
        for stale in (*self.path.glob("gen-*.nt"), *self.path.glob(".gen-*.nt*.tmp")):
            stale.unlink(missing_ok=True)  # the triple logs kg kept beside generations until 2026-12


def _other_holders(db: ox.Store) -> int:
    """How many references to ``db`` there are besides the caller's own."""
    gc.collect()  # reference cycles (a closure, a frame) may still hold it
    return sys.getrefcount(db) - 3  # the caller's local, this argument, getrefcount's own


def out_of_space(exc: OSError) -> str:
    """What filled up, if ``exc`` says the disk, a quota or the file size limit is full ("" if not).

    RocksDB's errors carry no errno, only the operating system's words.
    """
    reasons = {errno.ENOSPC: "No space left on device", errno.EDQUOT: "Disk quota exceeded",
               errno.EFBIG: "File too large"}
    if exc.errno in reasons:
        return reasons[exc.errno]
    return next((words for words in reasons.values() if words in str(exc)), "")


def _write_text(path: Path, text: str) -> None:
    """Write a small file of the store atomically.

    Raises:
        StoreError: it cannot be written.
    """
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
    except InputError as exc:
        raise StoreError(str(exc)) from exc
