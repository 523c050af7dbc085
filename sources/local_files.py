"""Read a local document with bounded cost: regular files only, at most ``max_bytes``.

The fetcher (``file://`` and plain paths in a registry) and ``tradeclaims extract``
read local files through :func:`read_document_file`, so both refuse the same inputs
with the same words:

* a character or block device (``/dev/zero`` reads forever), a named pipe (blocks
  until a writer comes, maybe never) or a socket: "not a regular file";
* a file over ``max_bytes`` (default :data:`MAX_DOCUMENT_BYTES`, the fetcher's cap on
  HTTP bodies): refused from its size *before* anything is read, so a sparse 2 GiB
  file costs one ``stat``;
* a directory, a missing path, a symlink loop, a file without read permission.

The file is opened with ``O_NONBLOCK`` and checked again with ``fstat``: a path
swapped for a pipe between the check and the open still cannot block the reader.
"""
from __future__ import annotations

import errno
import os
import stat

__all__ = ["MAX_DOCUMENT_BYTES", "LocalFileError", "read_document_file", "check_document_file"]

# The largest document tradeclaims reads, fetched or local (50 MB; the 2025 NTE report is ~5 MB).
MAX_DOCUMENT_BYTES = 50_000_000

_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


class LocalFileError(Exception):
    """A local path that cannot be read as a document; ``problem`` says why (no path in it)."""

    def __init__(self, path: str | os.PathLike, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def too_large(size: int | None, max_bytes: int) -> str:
    """The problem text for a document over the cap (shared with the HTTP body cap)."""
    known = f" ({size:,} bytes)" if size is not None else ""
    return f"larger than the {max_bytes:,}-byte limit{known}"


def _problem(mode: int, size: int, max_bytes: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        return f"not a regular file ({kind})"
    if size > max_bytes:
        return too_large(size, max_bytes)
    return None


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.EACCES:
        return "permission denied"
    return f"cannot read file ({exc.strerror or exc})"


def check_document_file(path: str | os.PathLike, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    """Raise :class:`LocalFileError` unless ``path`` is a readable-looking regular file within the cap.

    Costs one ``stat``; nothing is opened (a named pipe would block the open).
    """
    try:
        info = os.stat(path)
    except OSError as exc:
        raise LocalFileError(path, _os_problem(exc)) from None
    problem = _problem(info.st_mode, info.st_size, max_bytes)
    if problem:
        raise LocalFileError(path, problem)


def read_document_file(path: str | os.PathLike, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes`` of them.

    Raises:
        LocalFileError: see the module docstring for what is refused.
    """
    check_document_file(path, max_bytes)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise LocalFileError(path, _os_problem(exc)) from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fd)
        problem = _problem(info.st_mode, info.st_size, max_bytes)
        if problem:  # the path changed between the check and the open
            raise LocalFileError(path, problem)
        try:
            data = fh.read(max_bytes + 1)
        except OSError as exc:
            raise LocalFileError(path, _os_problem(exc)) from None
    if len(data) > max_bytes:  # the file grew after the check
        raise LocalFileError(path, too_large(None, max_bytes))
    return data
