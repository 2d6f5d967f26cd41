"""Ctrl-C, SIGTERM and ``--timeout`` stop any command within a second; a stopped write leaves the store as it was.

These run the real ``kg`` in a subprocess and send it real signals.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, QueryError
from kg.load import load_files
from kg.store import LocalStore
from taxonomy_samples import write_esco

DATA = Path(__file__).parent / "data"
POSTINGS = DATA / "postings"
KG = [sys.executable, "-m", "kg"]
#: Five unrelated triple patterns: on the tiny graph, about 3 * 10^9 solutions to count.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
STOPPED = {signal.SIGINT: (EXIT_INTERRUPTED, "interrupted"), signal.SIGTERM: (EXIT_TERMINATED, "terminated")}


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    load_files(LocalStore.at(path), [DATA / "tiny.ttl"])
    return path


def _env(store: Path) -> dict[str, str]:
    return {**os.environ, "KG_STORE": str(store), "KG_QUIET": "1"}


def _started(args: list[str], store: Path) -> subprocess.Popen[str]:
    """``kg args``, once it handles SIGINT and SIGTERM (before, Python's own start-up is under way)."""
    process = subprocess.Popen([*KG, *args], env=_env(store), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    wanted = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
    status = Path(f"/proc/{process.pid}/status")
    deadline = time.monotonic() + 30
    while status.exists() and time.monotonic() < deadline:
        caught = next((int(line.split()[1], 16) for line in status.read_text().splitlines()
                       if line.startswith("SigCgt:")), 0)
        if caught & wanted == wanted:
            break
        time.sleep(0.005)
    return process


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[int, float, str]:
    """Send ``signum``; the exit code, the seconds it took to end, and what it wrote on stderr."""
    sent = time.monotonic()
    process.send_signal(signum)
    try:
        _, stderr = process.communicate(timeout=8)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        return process.returncode, 8.0, stderr
    return process.returncode, time.monotonic() - sent, stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_endless_query_stops_within_a_second(tiny: Path, signum: int) -> None:
    process = _started(["query", ENDLESS], tiny)
    time.sleep(3)  # started, and deep in the query
    assert process.poll() is None
    code, seconds, stderr = _stop(process, signum)
    assert seconds <= 1.0
    assert (code, stderr) == (STOPPED[signum][0], f"kg: error: {STOPPED[signum][1]}\n")


def test_a_local_query_has_a_timeout(tiny: Path) -> None:
    started = time.monotonic()
    result = subprocess.run([*KG, "query", ENDLESS, "--timeout", "1.5"], env=_env(tiny), capture_output=True,
                            text=True, timeout=60, check=False)
    assert time.monotonic() - started < 1.5 + 6  # the timeout, and the start-up of Python on a busy machine
    assert result.returncode == QueryError.exit_code
    assert result.stderr == "kg: error: the query ran longer than --timeout 1.5 s\n"
    assert subprocess.run([*KG, "query", "ASK { ?s ?p ?o }", "--timeout", "30", "-f", "json"], env=_env(tiny),
                          capture_output=True, timeout=60, check=False).returncode == 0


# ------------------------------------------------------------------ writes stopped at any moment


def _snapshot(store: Path) -> list[str]:
    return sorted(map(str, LocalStore.at(store).reader()))


def _big_ntriples(folder: Path) -> list[str]:
    path = folder / "big.nt"
    path.write_text("".join(f'<https://example.org/s{i}> <https://example.org/p{i % 7}> "value {i}" .\n'
                            for i in range(150_000)))
    return ["load", str(path), "--graph", "https://example.org/big"]


WRITES: dict[str, Callable[[Path], list[str]]] = {
    "load": _big_ntriples,
    "ingest": lambda _folder: ["ingest", *map(str, sorted(POSTINGS.iterdir()))],
    "import": lambda folder: ["import", "esco", *map(str, write_esco(folder / "esco"))],
    "build": lambda _folder: ["build", "--no-exports"],
}


@dataclass(frozen=True)
class Finished:
    """A write run once to its end on a copy of the tiny store: how long it took, and the store before and after."""

    args: list[str]
    seconds: float
    before: list[str]
    after: list[str]


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], tuple[Path, Finished]]:
    """The tiny store and, per write command, its run to the end (run once per module)."""
    root = tmp_path_factory.mktemp("writes")
    tiny = root / "tiny"
    load_files(LocalStore.at(tiny), [DATA / "tiny.ttl"])
    runs: dict[str, Finished] = {}

    def run(command: str) -> tuple[Path, Finished]:
        if command not in runs:
            folder = root / command
            folder.mkdir()
            args = WRITES[command](folder)
            whole = folder / "whole"
            shutil.copytree(tiny, whole)
            started = time.monotonic()
            done = subprocess.run([*KG, *args], env=_env(whole), capture_output=True, text=True, timeout=900,
                                  check=False)
            assert done.returncode == 0, done.stderr
            runs[command] = Finished(args, time.monotonic() - started, _snapshot(tiny), _snapshot(whole))
            assert runs[command].after != runs[command].before
        return tiny, runs[command]

    return run


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
@pytest.mark.parametrize("command", sorted(WRITES))
def test_every_write_stopped_at_several_moments_leaves_the_store_as_it_was(
        finished: Callable[[str], tuple[Path, Finished]], tmp_path: Path, command: str, signum: int) -> None:
    """Stopped at 30%, 55% and 80% of its time, each copy reopens holding what it held before.

    A stop that comes too late may find the write done, and then the store holds all of the result. The run to the
    end was timed once, maybe on a busier machine: when no stop came before the write was done, earlier ones follow.
    """
    tiny, run = finished(command)
    stopped_before = 0
    for fraction in (0.3, 0.55, 0.8, 0.15, 0.05, 0.02):
        if fraction < 0.3 and stopped_before:
            break
        store = tmp_path / f"stopped-{fraction}"
        shutil.copytree(tiny, store)
        process = _started(run.args, store)
        time.sleep(run.seconds * fraction)
        if process.poll() is not None:
            continue  # ended already
        code, seconds, stderr = _stop(process, signum)
        content = _snapshot(store)
        assert content in (run.before, run.after), f"{command} stopped at {fraction:.0%} left a store that is neither"
        if signum == signal.SIGKILL:
            assert code == -signal.SIGKILL
        elif code == -signum:  # it came while the interpreter was still starting, before any handler: no write began
            assert content == run.before
        elif code != 0:
            assert seconds <= 1.0
            assert (code, stderr) == (STOPPED[signum][0], f"kg: error: {STOPPED[signum][1]}\n")
        stopped_before += content == run.before
    assert stopped_before, f"no stop of {command} came before its write was done"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ingest_with_worker_processes_stops_within_a_second_and_leaves_none(tiny: Path, tmp_path: Path,
                                                                             signum: int) -> None:
    """The workers of ``--jobs 2`` end with the command, which says one line (no warning of multiprocessing's)."""
    rows = tmp_path / "postings.jsonl"
    rows.write_text("".join(f'{{"title": "Data engineer {i}", "description": "Requisition {i}. Python, SQL and '
                            f'Spark for team {i % 37}; Kubernetes is a plus."}}\n' for i in range(20_000)))
    before = _snapshot(tiny)
    process = _started(["ingest", "--jobs", "2", str(rows)], tiny)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 3 and time.monotonic() < deadline:  # the command, and under it two workers (and a tracker)
        time.sleep(0.5)
        workers = _descendants(process.pid)
    time.sleep(3)  # the workers are extracting
    assert process.poll() is None and len(workers) >= 3, workers
    code, seconds, stderr = _stop(process, signum)
    assert seconds <= 1.0
    assert (code, stderr) == (STOPPED[signum][0], f"kg: error: {STOPPED[signum][1]}\n")
    time.sleep(0.5)
    assert [pid for pid in workers if _alive(pid)] == []
    assert _snapshot(tiny) == before


def _descendants(pid: int) -> list[int]:
    from kg.supervise import _descendants as descendants

    return descendants(pid)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_command_runs_kg_itself_from_a_folder_holding_a_kg_package(tmp_path: Path) -> None:
    """The watchdog's child is kg, not a ``kg/`` folder where the user stands (``python -P``)."""
    script = Path(sys.executable).with_name("kg")
    if not script.exists():
        pytest.skip("no kg script beside this Python")
    impostor = tmp_path / "kg"
    impostor.mkdir()
    (impostor / "__init__.py").write_text("raise SystemExit('not kg')\n")
    (impostor / "__main__.py").write_text("")
    done = subprocess.run([str(script), "--version"], check=False, cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("kg")
