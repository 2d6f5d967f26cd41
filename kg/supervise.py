"""The ``kg`` script's entry: Ctrl-C, SIGTERM or a ``--timeout`` stop any command within a second.

Oxigraph evaluates a query, bulk-loads and compacts in Rust, where Python's
signal handlers do not run: a query that never ends used to ignore Ctrl-C. So
the command runs on a worker thread, and the main thread only waits, with its
signal handlers ready. On a signal (or when the deadline a command set has
passed) the main thread raises :class:`Stopped` in the worker, so that Python
code unwinds and its ``finally`` blocks run (a write throws away its staging
copy), gives it :data:`GRACE` seconds, prints one ``kg: error:`` line and
ends the process. The store needs nothing more: a write only becomes the store
by the last atomic rename, so a write stopped at any moment, even by SIGKILL,
leaves it as it was.

Python runs signal handlers only while it executes Python code, and some
calls hold its lock for seconds in C code, so the ``kg`` script is two
processes: a watchdog that imports nothing heavy, holds the signal handlers
from its first moment and passes signals on (:func:`watch`), and the command
in a child process (:func:`run`). Child processes of the command (``--jobs``,
a Dask cluster) are terminated with it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import threading

from kg.errors import EXIT_INTERRUPTED, EXIT_TERMINATED

#: Seconds the command gets to unwind after a signal or its deadline, before the process ends anyway.
GRACE = 0.4
#: Seconds after a signal when the watchdog kills a command that has not ended (it held Python's lock).
KILL_AFTER = 0.6
_CHILD = "KG_WATCHDOG_PID"  # set in the command's process: the watchdog's process id
_PR_SET_PDEATHSIG = 1
_POLL = 0.05
_CODES = {signal.SIGINT: EXIT_INTERRUPTED, signal.SIGTERM: EXIT_TERMINATED}


class Stopped(BaseException):
    """Raised in the command's thread to unwind it; not an ``Exception``, so no handler swallows it."""


class _Signalled(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_deadline: list[tuple[float, str, int]] = []


def set_deadline(seconds: float, message: str, exit_code: int) -> None:
    """Stop the running command after ``seconds`` with ``message`` and ``exit_code`` (``kg query --timeout``).

    Only a command run by :func:`run` (the ``kg`` script) is stopped; in-process callers are not.
    """
    _deadline[:] = [(time.monotonic() + seconds, message, exit_code)]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``kg`` script: a light watchdog process, and the command in a child process."""
    if os.environ.get(_CHILD):
        _die_with(int(os.environ[_CHILD]))

        def command() -> object:
            from kg.cli import cli

            return cli.main(args=argv, prog_name="kg")

        sys.exit(run(command))
    import subprocess

    args = sys.argv[1:] if argv is None else argv
    flags = subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]  # -X, -W, -O: as multiprocessing does
    # a command stopped while its --jobs workers held semaphores: the tracker frees them, without a warning of its own
    quiet = ["-W", "ignore:resource_tracker:UserWarning"]
    # -P: the child imports this kg, not a kg/ folder where the user stands
    sys.exit(watch([sys.executable, *flags, *quiet, "-P", "-m", "kg", *args], {**os.environ, _CHILD: str(os.getpid())}))


def watch(command: list[str], env: dict[str, str]) -> int:
    """Run ``command`` in a child process and pass it the signals this one gets; its exit code.

    Some calls hold Python's lock for seconds in C code (sorting a big list with a
    C key, a canonicalisation in Rust), and then no Python signal handler of the
    child runs. This process holds nothing: when the child has not ended
    :data:`KILL_AFTER` seconds after a signal, it kills the child and ends with the
    signal's line and code.
    """
    import subprocess

    child = subprocess.Popen(command, env=env)
    received: list[tuple[int, float]] = []

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if not received:
            received.append((signum, time.monotonic()))
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)  # a terminal's Ctrl-C reached it already; it takes the second as the first

    for signum in _CODES:
        signal.signal(signum, on_signal)
    while True:
        try:
            code = child.wait(timeout=_POLL)
        except subprocess.TimeoutExpired:
            if received and time.monotonic() - received[0][1] >= KILL_AFTER:
                for pid in [child.pid, *_descendants(child.pid)]:  # its --jobs workers too
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                child.wait()
                return _say_stopped(received[0][0])
            continue
        # It died of a signal before it could handle it (starting up), or stopped on one: the line is said here
        # only, never by the command too (:func:`run` leaves it to the watchdog), so there is one line, whichever
        # of the two ends first, and also when the signal went to the command's process alone.
        for signum, stopped in _CODES.items():
            if code in (stopped, -signum):
                return _say_stopped(signum)
        return 128 - code if code < 0 else code


def _say_stopped(signum: int) -> int:
    """One line for a command stopped by ``signum``; the exit code that goes with it."""
    sys.stderr.write(f"kg: error: {'interrupted' if signum == signal.SIGINT else 'terminated'}\n")
    return _CODES[signal.Signals(signum)]


def _die_with(watchdog: int) -> None:
    """On Linux, end this process at once (SIGKILL) when the watchdog ends, ``kill -9`` included.

    Otherwise a write would go on, and succeed, after the process the user stopped is gone.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != watchdog:  # it ended before that
        os.kill(os.getpid(), signal.SIGKILL)


def run(command: Callable[[], object]) -> int:
    """Run ``command`` (click's ``main``) on a worker thread; its exit code."""
    import threading
    outcome: list[int] = []

    def target() -> None:
        try:
            command()
            outcome.append(0)
        except SystemExit as exc:
            outcome.append(_exit_code(exc.code))
        except Stopped:
            pass

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        raise _Signalled(signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in _CODES}
    worker = threading.Thread(target=target, name="kg-command", daemon=True)
    try:
        worker.start()
        while worker.is_alive():
            worker.join(_POLL)
            if _deadline and time.monotonic() >= _deadline[0][0]:
                _, message, code = _deadline[0]
                _stop(worker, message, code)
    except _Signalled as signalled:
        watched = bool(os.environ.get(_CHILD))  # then the watchdog says the line (it may have to kill us first)
        _stop(worker, None if watched else "interrupted" if signalled.signum == signal.SIGINT else "terminated",
              _CODES[signal.Signals(signalled.signum)])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return outcome[0] if outcome else EXIT_INTERRUPTED


def _stop(worker: threading.Thread, message: str | None, code: int) -> None:
    """Unwind ``worker``, wait :data:`GRACE` seconds at most, say ``message`` if any, end the process with ``code``."""
    first = time.monotonic()

    def again(number: int, _frame: FrameType | None) -> None:
        if time.monotonic() - first > GRACE:  # a second Ctrl-C ends it at once; one just after is the same one
            os._exit(_CODES[signal.Signals(number)])

    for signum in _CODES:
        signal.signal(signum, again)
    import ctypes
    import multiprocessing

    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(Stopped))
    worker.join(GRACE)
    for child in multiprocessing.active_children():  # workers of --jobs, a local Dask cluster
        child.terminate()
    with contextlib.suppress(OSError, ValueError):  # the reader may be gone
        sys.stdout.flush()
    if message is not None:
        sys.stderr.write(f"kg: error: {message}\n")
        sys.stderr.flush()
    os._exit(code)  # Oxigraph may still be working on another thread: end without waiting for it


def _descendants(pid: int) -> list[int]:
    """The processes under ``pid`` (read from /proc; none where there is no /proc)."""
    from pathlib import Path

    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1
