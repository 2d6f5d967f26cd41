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

The handlers are in place before the command line (and all it imports) is
loaded, so that a signal during start-up is one line too; this module imports
nothing heavy. Child processes (``--jobs``, a Dask cluster) are terminated
with the command.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType

from kg.errors import EXIT_INTERRUPTED, EXIT_TERMINATED

#: Seconds the command gets to unwind after a signal or its deadline, before the process ends anyway.
GRACE = 0.5
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
    """Entry point of the ``kg`` script."""

    def command() -> object:
        from kg.cli import cli

        return cli.main(args=argv, prog_name="kg")

    sys.exit(run(command))


def run(command: Callable[[], object]) -> int:
    """Run ``command`` (click's ``main``) on a worker thread; its exit code."""
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
        _stop(worker, "interrupted" if signalled.signum == signal.SIGINT else "terminated",
              _CODES[signal.Signals(signalled.signum)])
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return outcome[0] if outcome else EXIT_INTERRUPTED


def _stop(worker: threading.Thread, message: str, code: int) -> None:
    """Unwind ``worker``, wait :data:`GRACE` seconds at most, say ``message`` and end the process with ``code``."""
    for signum in _CODES:  # a second Ctrl-C ends it at once
        signal.signal(signum, lambda number, _frame: os._exit(_CODES[signal.Signals(number)]))
    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(Stopped))
    worker.join(GRACE)
    for child in multiprocessing.active_children():  # workers of --jobs, a local Dask cluster
        child.terminate()
    with contextlib.suppress(OSError, ValueError):  # the reader may be gone
        sys.stdout.flush()
    sys.stderr.write(f"kg: error: {message}\n")
    sys.stderr.flush()
    os._exit(code)  # Oxigraph may still be working on another thread: end without waiting for it


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    sys.stderr.write(f"{code}\n")
    return 1
