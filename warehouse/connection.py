"""Opening the warehouse: read-only for readers, a swapped-in copy for the one writer.

Every connection to the warehouse file is opened here (:func:`connect`), and the
pipeline writes only through :func:`writer`:

* **Readers** (``tradeclaims query`` and ``export``, the asset checks, the run's
  summary) open the current file read-only. DuckDB keeps the file it opened (an
  inode, not a name), so a reader reads one committed state from start to end.
  SQL that a user writes runs on :func:`connect_sealed`, which can read nothing else.
* **The writer** never opens the file readers use. Holding the writer lock
  (``<file>.writer.lock``), it copies the file to ``<file>.loading``, opens the copy
  read-write (migrating it to the newest schema), loads, checkpoints it (no
  write-ahead log left), fsyncs it and renames it over the file (``os.replace``:
  atomic, so a reader opens either the old file or the new one, never a mix).

One caveat for long-lived processes: within a process, DuckDB gives a new
connection the database instance already open for the same path, so while a
process keeps any connection to the old file open, its new connections read the
old file too. The project's readers open a connection per use and close it.

So readers never wait for a load, and a load never waits for readers: DuckDB's
file lock, which allows one process when anyone writes, is only ever taken on
the copy. The price is a copy of the whole file per writer step (disk: twice the
file while it loads, more while a reader keeps an old one open; time: see the
README's "Reading while a run writes") and freshness: a load becomes visible all
at once, at the rename.

A ``kill -9`` of the writer leaves the file as it was and a stale copy, which the
next writer removes (it holds the lock, so nobody else uses the copy). Two
writers are excluded by the lock as well as by Dagster's ``warehouse_writer``
pool: the lock covers writers outside Dagster and other Dagster instances.
filelock (well kept, and a dependency of Dagster's already) takes the lock
with ``flock``, which the kernel releases when the process dies.

Only POSIX systems (Linux, macOS): ``os.replace`` over a file another process
has open fails on Windows.
"""
from __future__ import annotations

import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import filelock

from sources.atomic_write import fsync_path
from warehouse.migrate import migrate

# How long the writer waits for another writer by default: longer than a load of
# the 1,000,000-claim benchmark warehouse (about 20 s with its copy) by far.
WRITER_WAIT_SECONDS = 600.0


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's write lock."""


def connect(path: str | Path, read_only: bool = False, wait_seconds: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection is migrated to the newest schema.

    Readers pass ``read_only=True``. A writable connection writes the file *in
    place*, with DuckDB's lock keeping every reader out while it is open: only for
    files no reader uses (tests, a benchmark's fresh file) and for :func:`writer`'s
    copy. The pipeline writes through :func:`writer`.

    Args:
        path: the DuckDB file (``:memory:`` for tests).
        read_only: open without taking the write lock.
        wait_seconds: how long to retry while another process holds the lock.
    Raises:
        WarehouseBusy: the lock is still held after ``wait_seconds``.
        FileNotFoundError: ``read_only`` and the file does not exist.
    """
    if str(path) != ":memory:":
        path = Path(path)
        if read_only and not path.exists():
            raise FileNotFoundError(f"{path}: no warehouse yet; run `tradeclaims run` first")
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{path}: the warehouse is busy (another process is writing to it); try again shortly") from None
            time.sleep(0.2)
    if not read_only:
        migrate(con)
        # The measure columns of claims loaded before migration 007 are built in Python
        # (warehouse/frames.py). Imported here: warehouse.store imports this module.
        from warehouse.store import fill_measures
        fill_measures(con)
    return con


def connect_sealed(path: str | Path, wait_seconds: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse that can reach nothing else.

    For SQL that a user writes (``tradeclaims query``, ``export --where``): from SQL,
    DuckDB can read any file (``read_csv('/etc/…')``), write one (``COPY … TO``) and
    attach other databases. With external access off and the configuration locked
    (so no statement can switch it back on), only the open warehouse is readable.
    Raises as :func:`connect` does.
    """
    con = connect(path, read_only=True, wait_seconds=wait_seconds)
    try:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def loading_copy(path: str | Path) -> Path:
    """Where :func:`writer` builds the next state of ``path``."""
    path = Path(path)
    return path.with_name(path.name + ".loading")


def writer_lock(path: str | Path) -> Path:
    """The lock file that admits one :func:`writer` of ``path`` at a time."""
    path = Path(path)
    return path.with_name(path.name + ".writer.lock")


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _remove_copy(copy: Path) -> None:
    for leftover in (copy, _wal(copy)):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(copy.with_name(copy.name + ".tmp"), ignore_errors=True)  # DuckDB's spill folder


@contextmanager
def writer(path: str | Path, wait_seconds: float = WRITER_WAIT_SECONDS,
           timings: dict[str, float] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable connection whose work replaces the warehouse atomically when the block ends.

    The block runs on a migrated copy of ``path``; when it ends without an
    exception the copy is checkpointed and renamed over ``path``. When it raises,
    the copy is dropped and ``path`` is untouched. Readers of ``path`` are never
    waited for and never see a state the block has not finished.

    Args:
        path: the warehouse file (created when missing; ``:memory:`` writes in memory).
        wait_seconds: how long to wait while another writer holds the writer lock.
        timings: when given, filled with the seconds spent waiting for the lock
            (``lock_wait``), copying (``copy``) and checkpointing and renaming
            (``swap``), and the file's size after the swap (``bytes``).
    Raises:
        WarehouseBusy: another writer still holds the lock after ``wait_seconds``,
            or a process outside this protocol writes ``path`` in place.
    """
    timings = {} if timings is None else timings
    if str(path) == ":memory:":
        con = connect(path)
        try:
            yield con
        finally:
            con.close()
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    copy = loading_copy(path)
    started = time.monotonic()
    lock = filelock.FileLock(writer_lock(path), timeout=wait_seconds)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise WarehouseBusy(f"{path}: another writer has been loading the warehouse for over {wait_seconds:g} s;"
                            f" its lock is {writer_lock(path)}") from None
    try:
        timings["lock_wait"] = time.monotonic() - started
        _remove_copy(copy)  # a writer killed earlier left it; the lock says nobody uses it
        started = time.monotonic()
        wal = _wal(path)
        if path.exists():
            # A process writing the file in place (outside this protocol: the duckdb CLI
            # without -readonly) would make the copy torn: wait for it, as a reader would.
            connect(path, read_only=True, wait_seconds=min(wait_seconds, 60.0)).close()
            shutil.copyfile(path, copy)
            if wal.exists():  # left by an in-place writer: DuckDB replays it into the copy
                shutil.copyfile(wal, _wal(copy))
        timings["copy"] = time.monotonic() - started
        con = connect(copy)
        try:
            yield con
            started = time.monotonic()
            con.execute("CHECKPOINT")
        except BaseException:
            try:
                con.close()
            finally:
                _remove_copy(copy)
            raise
        con.close()
        if _wal(copy).exists():
            _remove_copy(copy)
            raise RuntimeError(f"{copy}: DuckDB left a write-ahead log after CHECKPOINT; the warehouse was not replaced")
        fsync_path(copy)
        # The old log belongs to the old file: replayed onto the new one it would corrupt
        # it. Its content is in the copy already.
        wal.unlink(missing_ok=True)
        os.replace(copy, path)
        fsync_path(path.parent)
        timings["swap"] = time.monotonic() - started
        timings["bytes"] = float(path.stat().st_size)
    finally:
        lock.release()
