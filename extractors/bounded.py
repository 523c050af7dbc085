"""Parse a PDF in a child process with a memory limit and a time limit.

A one-page PDF whose content stream inflates to a gigabyte made pdfium take 2.2 GiB
and 24 s before it said "no text layer": pdfium inflates and parses a page's whole
content stream in memory, and offers no cap on either. What bounds it whatever the
content is a child process with an address-space limit (``RLIMIT_AS``): pdfium's
allocation fails there and the child ends (pdfium aborts on a failed allocation),
while the parent, its other documents and the pipeline go on, with a DocumentError
that names the file and the limit. A time limit ends a child that parses too long.

One child per process parses the PDFs one after the other (started on first use: a
new interpreter that imports the parser and nothing else, so it is safe in a process
that runs threads, as Dagster's do); a child that ended (at the limit, or killed at the
time limit) is replaced by the next call. The child is a plain ``python -c`` with a
socket to the parent, not a ``multiprocessing`` spawn: a spawned child first imports
the parent's main module (for ``tradeclaims run``, the command line: click, rich and the
CLI), about a quarter of the child's start-up. It is stopped when the parent exits. Where ``resource`` does not exist
(Windows), PDFs are parsed in the calling process, unbounded.

Limits: :data:`PDF_MEMORY_LIMIT` bytes of address space (``TRADECLAIMS_PDF_MEMORY_MB``)
and :data:`PDF_TIME_LIMIT` seconds (``TRADECLAIMS_PDF_SECONDS``) per document.
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from extractors.document import DocumentError, DocumentText
from extractors.pdf_text import parse_pdf

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

__all__ = ["PDF_MEMORY_LIMIT", "PDF_TIME_LIMIT", "parse_pdf_bounded"]

PDF_MEMORY_LIMIT = int(os.environ.get("TRADECLAIMS_PDF_MEMORY_MB", "1024")) * 1024 * 1024
PDF_TIME_LIMIT = float(os.environ.get("TRADECLAIMS_PDF_SECONDS", "300"))


def _serve(conn, memory_limit: int) -> None:
    """The child: parse each ``(data, source, engine)`` received; reply ``(status, value)``."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    while True:
        try:
            data, source, engine = conn.recv()
        except EOFError:  # the parent is gone
            return
        try:
            reply = ("ok", parse_pdf(data, source, engine=engine))
        except DocumentError as exc:
            reply = ("error", exc.problem)
        except MemoryError:
            reply = ("memory", None)
        except Exception as exc:  # a parser bug: the parent reports it as such
            reply = ("bug", repr(exc))
        del data
        conn.send(reply)


# What the child runs: the parent's import path, then _serve on the socket it was handed.
_BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); from extractors.bounded import _serve_fd; "
         "_serve_fd(int(sys.argv[2]), int(sys.argv[3]))")


def _serve_fd(fd: int, memory_limit: int) -> None:
    """The child's entry point: serve the parent over the socket ``fd``."""
    _serve(Connection(fd), memory_limit)


class _Child:
    """One parsing child process and its connection."""

    def __init__(self, memory_limit: int):
        self.memory_limit = memory_limit
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, json.dumps(sys.path), str(theirs.fileno()), str(memory_limit)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())

    def parse(self, data: bytes, source: str, engine: str, time_limit: float) -> tuple[str, object]:
        try:
            self.conn.send((data, source, engine))
            if not self.conn.poll(time_limit):
                self.stop()
                return "time", None
            return self.conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):  # the child ended without a reply
            self.process.wait()
            # pdfium aborts (SIGABRT) when an allocation fails, which the limit makes happen.
            if self.process.returncode == -signal.SIGABRT:
                return "memory", None
            return "bug", f"the parser process ended with exit code {self.process.returncode}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


_child: _Child | None = None
_lock = threading.Lock()


@atexit.register
def _stop_child() -> None:
    """The parent is exiting: its child goes too (as a daemonic multiprocessing child did)."""
    if _child is not None and _child.alive():
        _child.stop()


def _mib(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MiB"


def parse_pdf_bounded(data: bytes, source: str, engine: str = "pdfium", memory_limit: int | None = None,
                      time_limit: float | None = None) -> DocumentText:
    """:func:`extractors.pdf_text.parse_pdf` in a child process limited in memory and time.

    Raises:
        DocumentError: what ``parse_pdf`` raises, or that the PDF needs more than
            ``memory_limit`` bytes or ``time_limit`` seconds to parse.
    """
    global _child
    memory_limit = memory_limit or PDF_MEMORY_LIMIT
    time_limit = time_limit or PDF_TIME_LIMIT
    if resource is None:  # pragma: no cover - no address-space limits here
        return parse_pdf(data, source, engine=engine)
    with _lock:  # one document at a time through the one child
        if _child is None or not _child.alive() or _child.memory_limit != memory_limit:
            if _child is not None and _child.alive():
                _child.stop()
            _child = _Child(memory_limit)
        status, value = _child.parse(data, source, engine, time_limit)
    if status == "ok":
        return value
    if status == "error":
        raise DocumentError(source, value)
    if status == "memory":
        raise DocumentError(source, f"needs more than {_mib(memory_limit)} of memory to parse "
                                    f"(the limit per PDF; a page whose content inflates to a huge stream?)")
    if status == "time":
        raise DocumentError(source, f"took longer than {time_limit:g} s to parse (the limit per PDF)")
    raise DocumentError(source, f"unexpected parser failure: {value}")
