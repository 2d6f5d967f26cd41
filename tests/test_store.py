"""The store: stage-and-swap writes, read-only readers, the write lock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreBusyError, StoreError
from kg.store import LocalStore, default_store_path

G = ox.NamedNode("https://example.org/g")


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
    with store.writer() as db:
        db.extend([quad(i) for i in range(10)])
    assert store.exists
    assert len(store.reader()) == 10
    assert json.loads((tmp_path / "s" / "kg-store.json").read_text()) == {"kg-store": 1}


def test_failed_write_leaves_store_as_it_was(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    with store.writer() as db:
        db.extend([quad(i) for i in range(5)])
    before = sorted(map(str, store.reader()))
    with pytest.raises(RuntimeError), store.writer() as db:
        db.remove_graph(G)
        db.extend([quad(i) for i in range(100, 200)])
        raise RuntimeError("crash in the middle of a write")
    assert sorted(map(str, store.reader())) == before
    assert len(list((tmp_path / "s").glob("gen-*"))) == 1


def test_old_generations_are_pruned(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    for i in range(4):
        with store.writer() as db:
            db.add(quad(i))
    assert len(store.reader()) == 4
    assert len(list((tmp_path / "s").glob("gen-*"))) == 2


def test_reader_without_store_says_build(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="kg build"):
        LocalStore.at(tmp_path / "nothing").reader()


def test_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a kg store"), LocalStore.at(tmp_path).writer():
        pass
    assert (tmp_path / "precious.txt").read_text() == "mine"


HOLD_LOCK = """
import sys, time, pyoxigraph as ox
from kg.store import LocalStore
with LocalStore.at(sys.argv[1]).writer() as db:
    db.add(ox.Quad(ox.NamedNode("https://example.org/s1"), ox.NamedNode("https://example.org/p"),
                   ox.Literal("1"), ox.NamedNode("https://example.org/g")))
    print("locked", flush=True)
    time.sleep(float(sys.argv[2])) if len(sys.argv) > 2 else sys.stdin.read()
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
        with pytest.raises(StoreBusyError, match="store is busy"), LocalStore.at(path, busy_timeout=0.3).writer():
            pass
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait(20) == 0
    assert len(LocalStore.at(path).reader()) == 1


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    holder = _hold_lock(path, 0.5)
    with LocalStore.at(path, busy_timeout=20).writer() as db:
        db.add(quad(2))
    assert holder.wait(20) == 0
    assert len(LocalStore.at(path).reader()) == 2


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    store = LocalStore.at(tmp_path / "s")
    with store.writer() as db:
        db.add(quad(1))
    with store.writer() as db:
        db.add(quad(2))
        assert len(store.reader()) == 1  # the write is not visible until it succeeds
    assert len(store.reader()) == 2


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """A new store appears with its marker, so no racing writer sees a folder without one."""
    for round_ in range(8):
        path = tmp_path / f"s{round_}"
        script = f"from kg.store import LocalStore\nwith LocalStore.at({str(path)!r}).writer():\n    pass\n"
        writers = [subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE) for _ in range(4)]
        errors = [w.stderr.read().decode() for w in writers if w.wait(60) != 0]  # type: ignore[union-attr]
        assert not errors, errors[0]
        assert (path / "kg-store.json").is_file()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
