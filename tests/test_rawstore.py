"""RawStore: content-addressed, atomic, names only from the hash."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import pytest

from sources.rawstore import RawStore


def test_put_get_layout(tmp_path: Path):
    store = RawStore(tmp_path / "raw")
    data = b"%PDF-1.7 some bytes"
    digest, path = store.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert path == tmp_path / "raw" / digest[:2] / digest
    assert path.read_bytes() == data
    assert store.get(digest) == data
    assert store.has(digest)
    assert store.path_for(digest) == path


def test_put_is_idempotent_and_content_addressed(tmp_path: Path):
    store = RawStore(tmp_path)
    a = store.put(b"same")
    b = store.put(bytearray(b"same"))
    c = store.put(b"different")
    assert a == b and a != c
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 2


def test_no_temp_files_left(tmp_path: Path):
    store = RawStore(tmp_path)
    for i in range(20):
        store.put(f"blob {i}".encode())
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p.name.endswith(".tmp")]
    assert leftovers == []


def test_failed_write_leaves_nothing(tmp_path: Path, monkeypatch):
    store = RawStore(tmp_path)

    def boom(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.put(b"never lands")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_concurrent_puts_of_same_blob(tmp_path: Path):
    store = RawStore(tmp_path)
    data = os.urandom(200_000)
    results: list[tuple[str, Path]] = []
    threads = [threading.Thread(target=lambda: results.append(store.put(data))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(results)) == 1
    assert store.get(results[0][0]) == data


def test_missing_and_invalid_hashes(tmp_path: Path):
    store = RawStore(tmp_path)
    missing = "0" * 64
    assert not store.has(missing)
    with pytest.raises(KeyError):
        store.get(missing)
    for bad in ["../../etc/passwd", "abc", "g" * 64, "", "0" * 63 + "/"]:
        assert not store.has(bad)
        with pytest.raises(ValueError):
            store.path_for(bad)


def test_uppercase_hash_accepted(tmp_path: Path):
    store = RawStore(tmp_path)
    digest, path = store.put(b"x")
    assert store.path_for(digest.upper()) == path
    assert store.get(digest.upper()) == b"x"


def test_put_rejects_str(tmp_path: Path):
    with pytest.raises(TypeError):
        RawStore(tmp_path).put("text")  # type: ignore[arg-type]
