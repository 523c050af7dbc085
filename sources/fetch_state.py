"""The conditional-GET state of a fetcher: one JSON file mapping url -> {etag, last_modified, sha256, ...}.

The fetcher used to read the whole file before every fetch and read, update and rewrite
it after every download: quadratic in the sources (200 new articles meant 200 rewrites
of a file of up to 200 entries, one fetch at a time under the fetcher's lock). Now:

* The file is read once and again only when it changed on disk (its size, mtime and
  inode), so a fetch looks its URL up in memory.
* New entries are kept in memory and written out together: when no other fetch of
  this fetcher is under way, at least every :data:`FLUSH_SECONDS` while fetches keep
  overlapping (a concurrent batch), and when the fetcher closes. A single fetch, as a
  test or ``tradeclaims fetch`` makes it, is on disk when it returns.
* Each write is atomic (``sources/atomic_write``: readers see the old file or the new
  one) and merges into what is on disk *now*, under a lock file (``<file>.lock``,
  ``flock``) shared by every process: two processes fetching at once each add their
  entries, neither loses the other's (the old read-modify-write could).

As before, the file is not fsync'ed: losing the newest entries in a crash (now at most
about a second's worth of a concurrent batch) only costs a full download next time.
"""
from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import filelock

from .atomic_write import write_atomically

__all__ = ["FLUSH_SECONDS", "FetchState"]

FLUSH_SECONDS = 1.0


class FetchState:
    """The state file at ``path``, read through a cache and written in batches (see the module)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._disk: dict[str, dict[str, Any]] = {}
        self._stamp: tuple | None = None  # what the file was when _disk was read
        self._pending: dict[str, dict[str, Any]] = {}
        self._under_way = 0
        self._written_at = time.monotonic()

    # -- reading

    def get(self, url: str) -> dict[str, Any] | None:
        """The entry of ``url`` (this fetcher's newest, else the file's), or None."""
        with self._lock:
            entry = self._pending.get(url)
            if entry is None:
                entry = self._current().get(url)
        return entry if isinstance(entry, dict) else None

    def _file_stamp(self) -> tuple | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _current(self) -> dict[str, dict[str, Any]]:
        stamp = self._file_stamp()
        if stamp != self._stamp:
            self._disk, self._stamp = self._read(), stamp
        return self._disk

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    # -- writing

    def begin(self) -> None:
        """A fetch starts (its entry, if any, is written when it or an overlapping one ends)."""
        with self._lock:
            self._under_way += 1

    def end(self) -> None:
        """A fetch ended: write the new entries when none is under way, or every FLUSH_SECONDS."""
        with self._lock:
            self._under_way -= 1
            due = self._under_way == 0 or time.monotonic() - self._written_at >= FLUSH_SECONDS
        if due:
            self.flush()

    def put(self, url: str, entry: dict[str, Any]) -> None:
        with self._lock:
            self._pending[url] = entry

    def flush(self) -> None:
        """Write the new entries now, merged into the file as it is on disk."""
        with self._lock:
            self._written_at = time.monotonic()
            if not self._pending:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with filelock.FileLock(self.path.with_name(self.path.name + ".lock")):
                state = self._read()
                state.update(self._pending)
                write_atomically(self.path, json.dumps(state, separators=(",", ":"), sort_keys=True))
                self._disk, self._stamp = state, self._file_stamp()
            self._pending.clear()
