"""Content-addressed store for raw fetched bytes.

Every blob is stored under ``root/<first two hex digits>/<sha256>``. The file name
comes only from the SHA-256 of the content, never from a URL, so

* the same bytes fetched from two URLs are stored once and share one hash;
* nothing a server controls (URL, Content-Disposition, ...) can choose a path;
* a blob never changes once written: its name is its checksum.

Writes are atomic: the bytes go to a temporary file in the target directory, are
flushed to disk, and are then moved into place with ``os.replace``
(:mod:`sources.atomic_write`). A reader
therefore sees either no file or the complete file, even if the writer dies.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from sources.atomic_write import write_atomically

__all__ = ["RawStore", "sha256_hex"]

_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def sha256_hex(data: bytes) -> str:
    """Lower-case hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


class RawStore:
    """A directory of blobs named by their SHA-256 (plus ``suffix``, e.g. ``".png"``, so
    that a file manager or a browser knows what a blob is; the evidence snapshots)."""

    def __init__(self, root: Path, suffix: str = "") -> None:
        self.root = Path(root)
        self.suffix = suffix

    def __repr__(self) -> str:
        return f"RawStore({str(self.root)!r})"

    @staticmethod
    def _check(sha256: str) -> str:
        if not isinstance(sha256, str) or not _SHA256_RE.match(sha256.lower()):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return sha256.lower()

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists yet).

        Raises ValueError for anything that is not a 64-digit hex string, so a
        caller can never build a path outside ``root``.
        """
        digest = self._check(sha256)
        return self.root / digest[:2] / (digest + self.suffix)

    def has(self, sha256: str) -> bool:
        try:
            return self.path_for(sha256).is_file()
        except ValueError:
            return False

    def put(self, data: bytes) -> tuple[str, Path]:
        """Store ``data``; return ``(sha256, path)``. Idempotent."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"RawStore.put expects bytes, got {type(data).__name__}")
        data = bytes(data)
        digest = sha256_hex(data)
        path = self.path_for(digest)
        if path.is_file() and path.stat().st_size == len(data):
            return digest, path
        write_atomically(path, data, fsync=True)
        return digest, path

    def get(self, sha256: str) -> bytes:
        """The stored bytes. Raises KeyError if the blob is not in the store."""
        path = self.path_for(sha256)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise KeyError(sha256) from None
