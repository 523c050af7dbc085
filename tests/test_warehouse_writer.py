"""The writer loads a copy of the warehouse and swaps it in; readers keep the file they opened.

Readers run in child processes, as analysts' do: within one process DuckDB hands
a new connection the database instance already open for that path (the file
opened first), so only a fresh process shows what a new reader sees.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from typing import Iterator

import duckdb
import pytest

from warehouse import connection, migrate as migrate_module, store

NEWEST = migrate_module.migrations()[-1][0]

READER = textwrap.dedent("""
    import sys
    from warehouse import store
    con = store.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM errors").fetchall()[0][0], flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM errors").fetchall()[0][0], flush=True)
    con.close()
""")

HOLDING_WRITER = textwrap.dedent("""
    import sys, time
    from warehouse import store
    with store.writer(sys.argv[1]) as con:
        store.record_error(con, "load", "written by the holding writer", "held-doc")
        print("holding", flush=True)
        sys.stdin.readline()
    print("swapped", flush=True)
""")


def errors_in(path) -> int:
    """The number of error rows a new reader (a fresh process) sees."""
    out = subprocess.run([sys.executable, "-c", "import sys; from warehouse import store; "
                          "con = store.connect(sys.argv[1], read_only=True); "
                          "print(con.execute('SELECT count(*) FROM errors').fetchall()[0][0])", str(path)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def spawn(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tell(process: subprocess.Popen, line: str = "go") -> None:
    process.stdin.write(line + "\n")
    process.stdin.flush()


@contextmanager
def holding_writer(path) -> Iterator[subprocess.Popen]:
    """A writer process in the middle of its block (it has written a row and waits for "go")."""
    holder = spawn(HOLDING_WRITER, path)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        yield holder
    finally:
        holder.kill()
        holder.wait()


def leftovers(path) -> set[str]:
    return {p.name for p in path.parent.iterdir()} - {path.name, connection.writer_lock(path).name}


@pytest.fixture
def warehouse(tmp_path):
    """A warehouse file at the newest schema with one error row."""
    path = tmp_path / "warehouse.duckdb"
    with store.writer(path) as con:
        store.record_error(con, "fetch", "first", "doc-1")
    return path


def test_the_first_writer_creates_the_file_and_leaves_no_copy(warehouse):
    assert errors_in(warehouse) == 1
    assert leftovers(warehouse) == set()


def test_a_reader_keeps_the_state_it_opened_and_the_next_reader_sees_the_load(warehouse):
    reader = spawn(READER, warehouse)
    try:
        assert reader.stdout.readline().strip() == "1", reader.stderr.read()
        with store.writer(warehouse, wait_seconds=0) as con:  # the open reader does not hold it up
            store.record_error(con, "fetch", "second", "doc-2")
            assert errors_in(warehouse) == 1  # not visible before the block ends
        assert errors_in(warehouse) == 2
        tell(reader)
        assert reader.stdout.readline().strip() == "1"  # the reader's file is the one it opened
        assert reader.wait(timeout=30) == 0
    finally:
        reader.kill()
        reader.wait()


def test_readers_open_the_file_while_a_writer_holds_its_copy(warehouse):
    with holding_writer(warehouse) as holder:
        assert errors_in(warehouse) == 1  # no lock to wait for: the committed state
        tell(holder)
        assert holder.stdout.readline().strip() == "swapped", holder.stderr.read()
        assert holder.wait(timeout=30) == 0
    assert errors_in(warehouse) == 2


def test_a_block_that_raises_leaves_the_file_as_it_was_and_no_copy(warehouse):
    before = warehouse.stat().st_ino
    with pytest.raises(ValueError, match="half-way"):
        with store.writer(warehouse) as con:
            store.record_error(con, "fetch", "lost", "doc-2")
            raise ValueError("a load failed half-way")
    assert warehouse.stat().st_ino == before
    assert errors_in(warehouse) == 1
    assert leftovers(warehouse) == set()


def test_a_killed_writer_leaves_the_old_file_and_the_next_writer_removes_its_copy(warehouse):
    with holding_writer(warehouse) as holder:
        os.kill(holder.pid, signal.SIGKILL)
        assert holder.wait(timeout=30) == -signal.SIGKILL
    copy = connection.loading_copy(warehouse)
    assert copy.exists()  # the dead writer's copy, with its uncommitted work
    assert errors_in(warehouse) == 1  # the file readers use is as it was
    # the kernel released the dead writer's lock: the next writer need not wait
    with store.writer(warehouse, wait_seconds=0) as con:
        assert con.execute("SELECT count(*) FROM errors").fetchall() == [(1,)]  # a fresh copy, not the stale one
        store.record_error(con, "fetch", "after the kill", "doc-3")
    assert errors_in(warehouse) == 2
    assert leftovers(warehouse) == set()


def test_a_second_writer_waits_for_the_first_and_builds_on_its_load(warehouse):
    with holding_writer(warehouse) as holder:
        with pytest.raises(store.WarehouseBusy, match="another writer"):
            with store.writer(warehouse, wait_seconds=0.3):
                pass
        tell(holder)
        with store.writer(warehouse, wait_seconds=60) as con:  # waits for the first swap, then copies
            assert con.execute("SELECT count(*) FROM errors WHERE doc_key = 'held-doc'").fetchall() == [(1,)]
            store.record_error(con, "fetch", "second writer", "doc-4")
        assert holder.wait(timeout=30) == 0
    assert errors_in(warehouse) == 3  # nothing lost: the first writer's row and the second's


def test_the_copy_is_migrated_and_readers_see_the_old_schema_until_the_swap(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    first = migrate_module.migrations()[:1]
    monkeypatch.setattr(migrate_module, "migrations", lambda: first)
    con = store.connect(path)  # a file the first release made
    con.close()
    monkeypatch.undo()
    with store.writer(path) as con:
        assert migrate_module.current_version(con) == NEWEST
        reader = subprocess.run([sys.executable, "-c", "import sys; from warehouse import store, migrate; "
                                 "print(migrate.current_version(store.connect(sys.argv[1], read_only=True)))",
                                 str(path)], capture_output=True, text=True, timeout=60)
        assert reader.stdout.strip() == "1", reader.stderr
    con = store.connect(path, read_only=True)
    try:
        assert migrate_module.current_version(con) == NEWEST
    finally:
        con.close()


def test_a_write_ahead_log_left_by_an_in_place_writer_is_kept(warehouse):
    con = duckdb.connect(str(warehouse))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1TB'")
    store.record_error(con, "fetch", "only in the log", "doc-wal")
    con.close()
    wal = warehouse.with_name(warehouse.name + ".wal")
    assert wal.exists()
    with store.writer(warehouse) as con:
        assert con.execute("SELECT count(*) FROM errors WHERE doc_key = 'doc-wal'").fetchall() == [(1,)]
    assert not wal.exists()  # folded into the new file; replayed onto it, the old log would corrupt it
    assert errors_in(warehouse) == 2


def test_an_in_place_writer_is_waited_for_not_copied_half_written(warehouse):
    in_place = spawn("import sys; from warehouse import store; con = store.connect(sys.argv[1]); "
                     "print('open', flush=True); sys.stdin.readline()", warehouse)
    try:
        assert in_place.stdout.readline().strip() == "open", in_place.stderr.read()
        with pytest.raises(store.WarehouseBusy, match="busy"):
            with store.writer(warehouse, wait_seconds=0.3):
                pass
        assert leftovers(warehouse) == set()
    finally:
        in_place.kill()
        in_place.wait()


def test_in_memory_writes_stay_in_memory():
    with store.writer(":memory:") as con:
        assert migrate_module.current_version(con) == NEWEST
