"""The persistent graph: an Oxigraph store on disk, written by stage and swap.

A kg store is a folder::

    STORE/kg-store.json   marker and format version
    STORE/HEAD            the name of the current generation
    STORE/gen-*/          Oxigraph (RocksDB) databases, one per generation
    STORE/gen-*.nt        beside a generation, maybe: its triples as N-Triples (see TripleLog)
    STORE/.lock           held by the one process that is writing

Readers open the current generation read-only and never wait. A writer takes
the lock, copies the current generation to a new one (a RocksDB checkpoint:
hard links, cheap), writes there, and only when everything succeeded points
HEAD at it with an atomic rename. A failed or interrupted write leaves HEAD,
and so the store, exactly as it was; a second writer waits for the lock and
then fails with "store is busy".
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import gc
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import StoreBusyError, StoreError

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
MARKER = "kg-store.json"
HEAD = "HEAD"
LOCK = ".lock"
KEEP_GENERATIONS = 2
LOG_SUFFIX = ".nt"
DEFAULT_BUSY_TIMEOUT = 30.0


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
            busy_timeout = float(os.environ.get("KG_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT))
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
        return self.snapshot().db

    def snapshot(self) -> Snapshot:
        """The current generation, opened read-only, with the place of its triple log.

        Raises:
            StoreError: no store has been built here, or it cannot be opened.
        """
        self._check_marker()
        for _ in range(3):  # HEAD may move between reading it and opening the generation
            name = self._current_name()
            if name is None:
                raise StoreError(f"no graph in the store at {self.path}: run `kg build` or `kg load` first")
            try:
                return Snapshot(ox.Store.read_only(str(self.path / name)), self.path / (name + LOG_SUFFIX))
            except OSError as exc:
                last = exc
                time.sleep(0.05)
        raise StoreError(f"cannot open the store at {self.path}: {last}")

    # ------------------------------------------------------------- writing

    @contextlib.contextmanager
    def writer(self) -> Iterator[ox.Store]:
        """A writable copy of the store; it becomes the store only if the block succeeds.

        Raises:
            StoreBusyError: another process held the write lock for ``busy_timeout`` seconds.
            StoreError: the store folder cannot be created or is not a kg store.
        """
        with self.logged_writer() as (db, log):
            log.drop()
            yield db

    @contextlib.contextmanager
    def logged_writer(self) -> Iterator[tuple[ox.Store, TripleLog]]:
        """:meth:`writer`, with the new generation's :class:`TripleLog` for a write that can tell what it added.

        Raises:
            As :meth:`writer`.
        """
        self._ensure_folder()
        with self._lock():
            current = self._current_name()
            staging_name = self._new_generation_name()
            staging = self.path / staging_name
            base = None if current is None else self.path / (current + LOG_SUFFIX)
            log = TripleLog(self.path / f".{staging_name}{LOG_SUFFIX}.tmp", base, fresh=current is None)
            try:
                if current is None:
                    db = ox.Store(str(staging))
                else:
                    ox.Store.read_only(str(self.path / current)).backup(str(staging))
                    db = ox.Store(str(staging))
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                raise StoreError(f"cannot prepare a write to the store at {self.path}: {exc}") from exc
            try:
                yield db, log
                db.flush()
                log.commit(self.path / (staging_name + LOG_SUFFIX))
            except BaseException:
                log.drop()
                del db
                gc.collect()
                shutil.rmtree(staging, ignore_errors=True)
                raise
            del db
            gc.collect()
            self._swap_head(staging_name)
            self._prune(keep={staging_name, current})

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
            _write_atomic(fresh / MARKER, json.dumps({"kg-store": FORMAT_VERSION}) + "\n")
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
        handle = open(self.path / LOCK, "a+b")  # noqa: SIM115 - held for the block
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
        _write_atomic(self.path / HEAD, name + "\n")

    def _prune(self, keep: set[str | None]) -> None:
        generations = sorted(p for p in self.path.glob("gen-*") if p.is_dir())
        keep_names = {name for name in keep if name}
        survivors = [p for p in generations if p.name in keep_names][-KEEP_GENERATIONS:]
        for old in generations:
            if old not in survivors:
                shutil.rmtree(old, ignore_errors=True)
        kept = {p.name for p in survivors}
        for stale in self.path.glob(f"gen-*{LOG_SUFFIX}"):
            if stale.name.removesuffix(LOG_SUFFIX) not in kept:
                stale.unlink(missing_ok=True)
        for tmp in self.path.glob(f".gen-*{LOG_SUFFIX}.tmp"):  # left by a killed writer
            tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Snapshot:
    """One generation of the store, open for reading, and where its triple log is (it may not exist)."""

    db: ox.Store
    log: Path


class TripleLog:
    """The triples of one store generation as N-Triples lines, kept in a file beside it.

    Reading a whole store back out of Oxigraph decodes every term from RocksDB,
    about 4 microseconds a triple (0.75 s for ESCO's size); reading the same
    triples from this file takes milliseconds, so whole-store exports read it.
    The lines are unsorted and may repeat (a triple in two graphs, or loaded
    twice); readers take their set. A generation is never changed once written,
    so its log stays true. A write that can say exactly which triples it added
    (``kg load`` into a fresh store, or into one whose log exists) extends the
    previous generation's log; any other write drops it, and the first
    whole-store export writes it (:func:`save_log`).

    Lines must be written as Oxigraph writes them back out of the store
    (literals in canonical form, language tags in lower case): the caller adds
    what the store will hold, not what the file said.
    """

    def __init__(self, tmp: Path, base: Path | None, *, fresh: bool) -> None:
        self._tmp = tmp
        self._base = base
        self._lock = threading.Lock()
        self._handle: Any = None
        self.active = fresh or (base is not None and base.is_file())

    def add(self, ntriples: bytes) -> None:
        """Append N-Triples lines (thread-safe); nothing once dropped."""
        with self._lock:
            if self._opened():
                self._handle.write(ntriples)

    def drop(self) -> None:
        """This write changed the store in a way the log cannot follow: the new generation gets none."""
        with self._lock:
            self.active = False
            self._close()
            self._tmp.unlink(missing_ok=True)

    def commit(self, final: Path) -> None:
        """Put the log in place for the new generation (before HEAD points at it)."""
        with self._lock:
            if not self._opened():
                return
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._close()
            os.replace(self._tmp, final)

    def _opened(self) -> bool:
        """Whether the log is still kept, its file opened on first use (a copy of the previous one)."""
        if self.active and self._handle is None:
            self._open()
        return self.active

    def _open(self) -> None:
        try:
            if self._base is not None:
                shutil.copyfile(self._base, self._tmp)
            self._handle = open(self._tmp, "ab")  # noqa: SIM115 - closed in commit or drop
        except OSError as exc:
            logger.debug("no triple log for this write: %s", exc)
            self.active = False

    def _close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def read_log(path: Path) -> bytes | None:
    """A generation's triple log, or ``None`` if it has none (or it cannot be read)."""
    try:
        return path.read_bytes()
    except OSError:
        return None


def save_log(path: Path, ntriples: bytes) -> None:
    """Write a generation's triple log after the fact, if the store can be written; quietly not otherwise."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(ntriples)
        os.replace(tmp, path)
    except OSError as exc:
        logger.debug("triple log not saved: %s", exc)
        with contextlib.suppress(OSError):
            tmp.unlink()


def _write_atomic(path: Path, text: str) -> None:
    """Write a small text file by writing a sibling and renaming it over ``path``."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
