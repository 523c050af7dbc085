"""sources.atomic_write: a replaced file is the old one or the new one, never half of either."""
from __future__ import annotations

import os

import pytest

from sources.atomic_write import replacing, write_atomically


def test_a_write_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "sub" / "state.json"
    write_atomically(target, "{}")
    write_atomically(target, '{"a": 1}', fsync=True)
    write_atomically(target, b'{"a": 2}')
    assert target.read_text() == '{"a": 2}'
    assert [p.name for p in target.parent.iterdir()] == ["state.json"]


def test_a_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "claims.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError, match="writer died"):
        with replacing(target) as tmp:
            tmp.write_text("half of the new")
            raise RuntimeError("writer died")
    assert target.read_text() == "old\n" and list(tmp_path.iterdir()) == [target]


def test_the_file_gets_the_usual_permissions(tmp_path):
    old = os.umask(0o027)
    try:
        write_atomically(tmp_path / "export.csv", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "export.csv").stat().st_mode & 0o777 == 0o640


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "manifest.json"
    write_atomically(target, "old")
    with pytest.raises(TypeError):
        write_atomically(target, 12345)  # not bytes: fails while writing the temporary file
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]
