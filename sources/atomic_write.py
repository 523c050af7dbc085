"""Writing a file so that readers see the old content or the new, never half of it.

Every file the project replaces while others may read it (raw blobs, staged text and
claims, the fetch state, discovered sources, exports) is written to a temporary file
beside it and renamed over it (``os.replace``: atomic on POSIX), here, so that a crash
or ``kill -9`` mid-write leaves the old file and at most a stray temporary file.

The temporary file is created with the usual permissions (``0o666`` less the umask,
as ``open()`` would) rather than ``mkstemp``'s private ``0o600``, without touching the
process umask (other threads may be creating files). ``fsync=True`` also flushes the
data to disk before the rename, for files that must survive a power cut; it costs
milliseconds per file.
"""
from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

__all__ = ["fsync_path", "replacing", "write_atomically"]


@contextmanager
def replacing(path: str | Path, fsync: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends, rename it over ``path``.

    The block writes the temporary file (by name: pyarrow, json, …). When it raises,
    the temporary file is removed and ``path`` is untouched. The folder is created
    when missing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            break
        except FileExistsError:
            continue
    try:
        yield tmp
        if fsync:
            fsync_path(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: str | Path, data: bytes | str, fsync: bool = False) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) in one step, as :func:`replacing` does.

    The same steps with fewer system calls, for the many small files of a run (manifests,
    staged text and claims, raw blobs): the temporary file is written through the
    descriptor that created it, and the folder is made only when it is missing.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(fd, "wb") as out:
            out.write(payload)
            if fsync:
                out.flush()
                os.fsync(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def fsync_path(path: str | Path) -> None:
    """Flush a file's (or a folder's) data to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
