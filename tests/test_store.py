"""The store: stage-and-swap writes, read-only readers, the write lock."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreBusyError, StoreError
from kg.store import LocalStore, default_store_path

G = ox.NamedNode("https://example.org/g")



def data(store: LocalStore) -> int:
    """The quads of a store, without the sizes kg keeps of every store (:mod:`kg.graph_sizes`)."""
    from kg.graph_sizes import GRAPH as SIZES

    return sum(1 for quad in store.reader() if quad.graph_name != SIZES)

def quad(i: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"https://example.org/s{i}"), ox.NamedNode("https://example.org/p"),
                   ox.Literal(str(i)), G)


def test_default_path_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KG_STORE", str(tmp_path / "here"))
    assert default_store_path() == tmp_path / "here"
    monkeypatch.delenv("KG_STORE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_store_path() == tmp_path / "xdg" / "kg" / "store"


def test_write_then_read(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    assert not store.exists
    store.write(lambda db: db.extend([quad(i) for i in range(10)]))
    assert store.exists
    assert data(store) == 10
    assert json.loads((tmp_path / "s" / "kg-store.json").read_text()) == {"kg-store": 1}


def test_failed_write_leaves_store_as_it_was(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    store.write(lambda db: db.extend([quad(i) for i in range(5)]))
    before = sorted(map(str, store.reader()))

    def crash(db: ox.Store) -> None:
        db.remove_graph(G)
        db.extend([quad(i) for i in range(100, 200)])
        raise RuntimeError("crash in the middle of a write")

    with pytest.raises(RuntimeError):
        store.write(crash)
    assert sorted(map(str, store.reader())) == before
    assert len(list((tmp_path / "s").glob("gen-*"))) == 1


def test_old_generations_are_pruned(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    for i in range(4):
        store.write(lambda db, i=i: db.add(quad(i)))
    assert data(store) == 4
    assert len(list((tmp_path / "s").glob("gen-*"))) == 2


def test_reader_without_store_says_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kg build"):
        LocalStore.at(tmp_path / "nothing").reader()


def test_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a kg store"):
        LocalStore.at(tmp_path).write(lambda db: None)
    assert (tmp_path / "precious.txt").read_text() == "mine"


HOLD_LOCK = """
import sys, time, pyoxigraph as ox
from kg.store import LocalStore
def fill(db):
    db.add(ox.Quad(ox.NamedNode("https://example.org/s1"), ox.NamedNode("https://example.org/p"),
                   ox.Literal("1"), ox.NamedNode("https://example.org/g")))
    print("locked", flush=True)
    time.sleep(float(sys.argv[2])) if len(sys.argv) > 2 else sys.stdin.read()
LocalStore.at(sys.argv[1]).write(fill)
"""


def _hold_lock(path: str, seconds: float | None = None) -> subprocess.Popen[str]:
    """A process that holds the write lock for ``seconds``, or until its stdin closes."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, path, *([] if seconds is None else [str(seconds)])],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_second_writer_fails_with_store_is_busy(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    holder = _hold_lock(path)
    try:
        with pytest.raises(StoreBusyError, match="store is busy"):
            LocalStore.at(path, busy_timeout=0.3).write(lambda db: None)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(20) == 0
    assert data(LocalStore.at(path)) == 1


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    holder = _hold_lock(path, 0.5)
    LocalStore.at(path, busy_timeout=20).write(lambda db: db.add(quad(2)))
    assert holder.wait(20) == 0
    assert data(LocalStore.at(path)) == 2


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    store.write(lambda db: db.add(quad(1)))

    def add_and_look(db: ox.Store) -> None:
        db.add(quad(2))
        assert data(store) == 1  # the write is not visible until it succeeds

    store.write(add_and_look)
    assert data(store) == 2


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """A new store appears with its marker, so no racing writer sees a folder without one."""
    for round_ in range(8):
        path = tmp_path / f"s{round_}"
        script = f"from kg.store import LocalStore\nLocalStore.at({str(path)!r}).write(lambda db: None)\n"
        writers = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE) for _ in range(4)]
        errors = [w.stderr.read().decode() for w in writers if w.wait(60) != 0]  # type: ignore[union-attr]
        assert not errors, errors[0]
        assert (path / "kg-store.json").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------------ writers that meet

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("write", ["load", "update"])
def test_a_writer_closes_its_generation_before_it_lets_the_lock_go(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, write: str) -> None:
    """The next writer copies the generation HEAD names: no process may still have it open for writing.

    RocksDB allows one read-write opening of a database; opening the new generation
    again, just before the lock goes, fails while the writer still holds it.
    """
    from kg.load import load_files, run_update

    store = LocalStore.at(tmp_path / "s")
    seen: list[str] = []
    real_lock = LocalStore._lock

    @contextlib.contextmanager
    def watched(self: LocalStore) -> Iterator[None]:
        with real_lock(self):
            yield
            head = self.path / (self.path / "HEAD").read_text().strip()
            try:
                ox.Store(str(head))
                seen.append("closed")
            except OSError as exc:
                seen.append(f"still open: {exc}")

    monkeypatch.setattr(LocalStore, "_lock", watched)
    if write == "load":
        load_files(store, [DATA / "tiny.ttl"])
    else:
        run_update(store, "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }")
    assert seen == ["closed"]


WRITER = """
import sys
from pathlib import Path
from kg.load import load_files
from kg.store import LocalStore
load_files(LocalStore.at(sys.argv[1], busy_timeout=120), [Path(sys.argv[2])], graph=sys.argv[3])
"""


@pytest.mark.slow
def test_two_writers_at_once_never_fail(tmp_path: Path) -> None:
    """Thirty rounds of two writers that bulk-load and compact at the same moment: every write lands."""
    store = tmp_path / "s"
    files = []
    for writer in range(2):
        path = tmp_path / f"w{writer}.nt"
        path.write_text("".join(f"<https://example.org/w{writer}/s{i}> <https://example.org/p> \"{i}\" .\n"
                                for i in range(3000)))
        files.append(path)
    for round_ in range(30):
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(store), str(files[w]),
                                     f"https://example.org/round{round_}/w{w}"], stderr=subprocess.PIPE, text=True)
                   for w in range(2)]
        errors = [f"round {round_}: {w.communicate()[1].strip()}" for w in writers if w.wait(120) != 0]
        assert not errors, errors
    assert data(LocalStore.at(store)) == 30 * 2 * 3000


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:  # in the child, before exec: writing past ``limit`` bytes fails with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("command", ["ingest", "load", "update"])
def test_a_full_disk_is_an_error_and_the_store_stays_as_it_was(tmp_path: Path, command: str) -> None:
    from kg.load import run_update

    store = tmp_path / "s"
    run_update(LocalStore.at(store), "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 'c' } }")
    before = sorted(map(str, LocalStore.at(store).reader()))
    head = (store / "HEAD").read_text()
    big = tmp_path / "big.nt"
    big.write_text("".join(f'<urn:x:s{i}> <urn:x:p> "{i}" .\n' for i in range(50_000)))
    update = tmp_path / "big.ru"
    update.write_text("INSERT DATA { GRAPH <urn:x:big> {\n" + big.read_text() + "} }\n")
    args = {"ingest": ["ingest", str(DATA / "postings" / "plain.txt")],  # the vocabulary alone is more than the limit
            "load": ["load", str(big)],
            "update": ["update", "--yes", str(update)]}[command]
    result = subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "KG_STORE": str(store), "PYTHONDONTWRITEBYTECODE": "1", "KG_QUIET": "1"},
                            check=False, preexec_fn=_file_size_limit(256 * 1024))
    assert result.returncode == StoreError.exit_code, result.stderr
    assert result.stderr == f"kg: error: no room to write the store at {store} (File too large); nothing changed\n"
    assert (store / "HEAD").read_text() == head
    assert sorted(map(str, LocalStore.at(store).reader())) == before
    assert [p.name for p in store.glob("gen-*")] == [head.strip()]
