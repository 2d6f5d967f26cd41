"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError, UsageError


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only when the block succeeds.

    The data goes to a temporary file in the same folder, is flushed to disk,
    and is renamed over ``path``; on error the temporary file is removed and
    ``path`` is untouched.

    Raises:
        UsageError: ``path`` is a folder.
        InputError: the folder cannot be written.
    """
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target} is a folder: name a file to write")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise InputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_write(path) as handle:
        handle.write(data)


@contextlib.contextmanager
def atomic_file_set(folder: str | os.PathLike[str]) -> Iterator[Callable[[str, bytes], Path]]:
    """Files that replace their namesakes in ``folder`` together, only when the block succeeds.

    ``add(name, data)`` stages a file in a hidden folder beside them; at the end of
    the block every staged file is renamed into place, one rename each, so the
    files of ``folder`` are the old set or the new one, never a mix left by an
    error or an interruption during the (long) writing. On error the staged
    files are removed and ``folder`` is untouched.

    Raises:
        InputError: the folder cannot be written.
    """
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staged-", suffix=".tmp", dir=target))
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    staged: list[str] = []

    def add(name: str, data: bytes) -> Path:
        write_bytes_atomic(staging / name, data)
        staged.append(name)
        return target / name

    try:
        yield add
        for name in staged:
            os.replace(staging / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
