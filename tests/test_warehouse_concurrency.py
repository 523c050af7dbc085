"""One writer: multiprocess Dagster runs serialize their warehouse writes; readers and the writer never block each other.

The jobs below are module-level functions so that ``dg.reconstructable`` can
rebuild them in the step processes of the multiprocess executor (and in the
separate run processes of the concurrent-runs test).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pytest
from click.testing import CliRunner

from pipelines.defs.documents.assets import WAREHOUSE_POOL
from pipelines.defs.documents.partitions import range_tags
from warehouse import store

ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTRY = ROOT / "registries" / "demo.toml"
INSTANCE_YAML = """\
concurrency:
  pools:
    default_limit: 1
telemetry:
  enabled: false
"""


def _job(name: str, selection) -> dg.JobDefinition:
    from pipelines.resources import TradeclaimsConfig

    job = dg.define_asset_job(name, selection=selection, executor_def=dg.multiprocess_executor)
    from pipelines.defs.documents.assets import document_claims, document_text, raw_documents, warehouse_claims

    defs = dg.Definitions(assets=[raw_documents, document_text, document_claims, warehouse_claims], jobs=[job],
                          resources={"settings": TradeclaimsConfig.from_environment()})
    return defs.resolve_job_def(name)


def multiprocess_ingest_job() -> dg.JobDefinition:
    """raw → text → claims → warehouse, each step in its own process (settings from TRADECLAIMS_* env)."""
    return _job("ingest_multiprocess", dg.AssetSelection.all())


def multiprocess_writer_job() -> dg.JobDefinition:
    """Only the warehouse writer, in its own process."""
    return _job("warehouse_writer_multiprocess", dg.AssetSelection.assets("warehouse_claims"))


def execute_writer(partition: str) -> None:
    """Entry point of one run process in the concurrent-runs test (instance from DAGSTER_HOME)."""
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(dg.reconstructable(multiprocess_writer_job), instance=instance,
                                tags={"dagster/partition": partition})
        print(result.run_id, result.success, flush=True)


@pytest.fixture
def dagster_env(tmp_path, monkeypatch):
    """A temporary DAGSTER_HOME with the project's pool limit, and TRADECLAIMS_* pointing into tmp_path."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE_YAML)
    data = tmp_path / "data"
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("TRADECLAIMS_REGISTRY", str(DEMO_REGISTRY))
    monkeypatch.setenv("TRADECLAIMS_DATA", str(data))
    monkeypatch.setenv("TRADECLAIMS_WAREHOUSE", str(data / "warehouse.duckdb"))
    monkeypatch.chdir(ROOT)  # the step processes import this module as tests.test_warehouse_concurrency
    return {"home": home, "warehouse": data / "warehouse.duckdb"}


def event_messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    return [e.message or "" for e in instance.all_logs(run_id)] + [
        str(e.dagster_event.event_specific_data) for e in instance.all_logs(run_id) if e.dagster_event]


def blocked_runs(instance: dg.DagsterInstance) -> set[str]:
    """Runs of the writer job whose warehouse step waited for the pool."""
    found = set()
    for run in instance.get_runs(filters=dg.RunsFilter(job_name="warehouse_writer_multiprocess")):
        if any(e.message == f"Step blocked by limit for pool {WAREHOUSE_POOL}" for e in instance.all_logs(run.run_id)):
            found.add(run.run_id)
    return found


def step_started(instance: dg.DagsterInstance, run_id: str, step: str) -> bool:
    return any(e.step_key == step and e.dagster_event_type == dg.DagsterEventType.STEP_START
               for e in instance.all_logs(run_id))


def step_window(instance: dg.DagsterInstance, run_id: str, step: str) -> tuple[float, float]:
    times = {e.dagster_event_type: e.timestamp for e in instance.all_logs(run_id)
             if e.step_key == step and e.dagster_event_type in (dg.DagsterEventType.STEP_START,
                                                                dg.DagsterEventType.STEP_SUCCESS)}
    return times[dg.DagsterEventType.STEP_START], times[dg.DagsterEventType.STEP_SUCCESS]


def test_multiprocess_runs_write_the_warehouse_one_at_a_time(dagster_env):
    from pipelines.resources import TradeclaimsConfig

    keys = [source.id for source in TradeclaimsConfig.from_environment().registry().sources]
    with dg.DagsterInstance.get() as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        instance.add_dynamic_partitions("documents", keys)

        # 1. every demo document in one range run, each step in its own process
        result = dg.execute_job(dg.reconstructable(multiprocess_ingest_job), instance=instance,
                                tags=range_tags(dg.PartitionKeyRange(keys[0], keys[-1])))
        assert result.success
        assert not [m for m in event_messages(instance, result.run_id) if "Conflicting lock" in m]
        pids = {e.step_key: e.dagster_event.pid for e in instance.all_logs(result.run_id)
                if e.dagster_event_type == dg.DagsterEventType.STEP_START}
        # the four steps really ran, each in a process of its own
        assert len(pids) == 4 and len(set(pids.values())) == 4 and os.getpid() not in pids.values()

        # 2. three writer runs launched at once, each in its own process with its step in another.
        # The test holds the pool's only slot first: no writer may start until it is freed.
        storage = instance.event_log_storage
        assert storage.claim_concurrency_slot(WAREHOUSE_POOL, "test-holder", "hold").is_claimed
        runs = [subprocess.Popen([sys.executable, "-c", "import sys; from tests.test_warehouse_concurrency "
                                  "import execute_writer; execute_writer(sys.argv[1])", key],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for key in keys[:3]]
        try:
            deadline = time.monotonic() + 180
            while len(blocked_runs(instance)) < 3 and time.monotonic() < deadline:
                assert all(p.poll() is None for p in runs), "a writer run ended while the slot was held"
                time.sleep(0.5)
            blocked = blocked_runs(instance)
            assert len(blocked) == 3
            assert not [r for r in blocked if step_started(instance, r, "warehouse_claims")]
        finally:
            released = time.time()
            storage.free_concurrency_slot_for_step("test-holder", "hold")
        run_ids = []
        for process in runs:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err[-3000:]
            run_id, success = out.split()[-2:]
            assert success == "True", err[-3000:]
            run_ids.append(run_id)
        assert set(run_ids) == set(blocked)
        for run_id in run_ids:
            assert not [m for m in event_messages(instance, run_id) if "Conflicting lock" in m or "WarehouseBusy" in m]
        # then the pool let one writer step run at a time: their windows do not overlap
        windows = sorted(step_window(instance, run_id, "warehouse_claims") for run_id in run_ids)
        assert windows[0][0] >= released
        for (_, end), (start, _) in zip(windows, windows[1:]):
            assert start >= end, windows

    con = store.connect(dagster_env["warehouse"], read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM latest_documents").fetchall() == [(len(keys),)]
        assert con.execute("SELECT count(*) FROM errors").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(len(keys),)]  # no duplicates
        assert con.execute("SELECT count(*) FROM runs").fetchall() == [(4,)]
    finally:
        con.close()


# --- readers while the writer loads (warehouse/connection.py) ----------------------------------

TRADECLAIMS = str(Path(sys.executable).parent / "tradeclaims")

# An analyst's long query: it scans `documents` and stays in the middle of that scan (a
# Python function DuckDB calls per row, waiting for a file) until the test releases it.
LONG_READER = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from warehouse import store
    started, release = Path(sys.argv[2]), Path(sys.argv[3])
    def hold(doc_key: str) -> bool:
        started.touch()
        while not release.exists():
            time.sleep(0.05)
        return True
    con = store.connect(sys.argv[1], read_only=True)
    con.execute("SET enable_progress_bar = false")
    con.create_function("hold", hold, ["VARCHAR"], "BOOLEAN", side_effects=True)
    docs, keys = con.execute("SELECT count(*), string_agg(doc_key, ',' ORDER BY doc_key) FROM documents"
                             " WHERE hold(doc_key)").fetchall()[0]
    print(json.dumps({"documents": docs, "keys": keys.split(",")}), flush=True)
""")

NEW_NEWS = """<html><head><title>Offsets rise in Seoul (test fixture)</title></head><body><article>
<h1>Offsets rise in Seoul</h1><p>Published 2026-04-02.</p>
<p>Korea raised its offset requirement to 60 percent of contract value for purchases over
$20 million, officials said.</p></article></body></html>"""
NEW_REPORT = """Republic of Korea

Government Procurement

Defense Offsets
An offset obligation arises when a defense contract exceeds $15 million. The offset rate was
40 percent in 2025.
"""


def cli(*args, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([TRADECLAIMS, *map(str, args)], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=ROOT)


def document_keys(path: Path) -> list[str]:
    done = cli("query", "--format", "csv", "--warehouse", path, "SELECT doc_key FROM documents ORDER BY doc_key")
    assert done.returncode == 0, done.stderr
    return done.stdout.split()[1:]


def test_a_long_query_neither_fails_nor_holds_up_a_run_and_ends_with_the_state_it_began_with(demo_run, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    warehouse.write_bytes(demo_run["warehouse"].read_bytes())
    before = document_keys(warehouse)
    site = tmp_path / "site"
    site.mkdir()
    (site / "offsets-seoul.html").write_text(NEW_NEWS, "utf-8")
    (site / "nte-korea-extra.txt").write_text(NEW_REPORT, "utf-8")
    registry = tmp_path / "registry.toml"
    registry.write_text('[[source]]\nid = "news-offsets-seoul"\nkind = "news"\npath = "site/offsets-seoul.html"\n\n'
                        '[[source]]\nid = "nte-korea-extra"\nkind = "report"\npath = "site/nte-korea-extra.txt"\n'
                        'year = 2025\n', "utf-8")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(INSTANCE_YAML)
    env = dict(os.environ, DAGSTER_HOME=str(home), TRADECLAIMS_DATA=str(tmp_path / "data"))

    started, release = tmp_path / "query-started", tmp_path / "query-released"
    reader = subprocess.Popen([sys.executable, "-c", LONG_READER, str(warehouse), str(started), str(release)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert reader.poll() is None, reader.stderr.read()
            assert time.monotonic() < deadline, "the long query never started"
            time.sleep(0.05)
        # the reader is in the middle of its query, holding the file open, for the whole run
        run = cli("run", "--registry", registry, "--warehouse", warehouse, env=env)
        assert reader.poll() is None, "the long query ended before the run did"
        assert run.returncode == 0, run.stdout + run.stderr
        assert "2 of 2 documents needed" in " ".join(run.stderr.split())
        release.touch()
        out, err = reader.communicate(timeout=60)
        assert reader.returncode == 0, err
    finally:
        reader.kill()
        reader.wait()
    # the reader's query finished on the state it began with ...
    assert json.loads(out.splitlines()[-1]) == {"documents": len(before), "keys": before}, out
    # ... and the next query sees the run's documents
    after = document_keys(warehouse)
    assert sorted(after) == sorted(before + ["news-offsets-seoul", "nte-korea-extra"])
    done = cli("query", "--format", "csv", "--warehouse", warehouse,
               "SELECT text FROM claims WHERE doc_key = 'news-offsets-seoul' AND kind = 'percent'")
    assert done.stdout.split()[1:] == ["60", "percent"] or "60 percent" in done.stdout, done.stdout


def hold_writer(path: Path, how: str) -> subprocess.Popen:
    """A writer process that opens ``path`` (``how``: ``copy`` through store.writer, or ``in-place``
    as the duckdb CLI would), says "holding", and writes and commits when told to."""
    script = textwrap.dedent("""
        import contextlib, sys
        from warehouse import store
        path, how = sys.argv[1], sys.argv[2]
        opened = store.writer(path) if how == "copy" else contextlib.closing(store.connect(path))
        with opened as con:
            print("holding", flush=True)
            sys.stdin.readline()
            store.record_error(con, "load", "written while a reader read", "held-doc")
        print("written", flush=True)
    """)
    writer = subprocess.Popen([sys.executable, "-c", script, str(path), how], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "holding", writer.stderr.read()
    return writer


def release(writer: subprocess.Popen) -> None:
    writer.stdin.write("go\n")
    writer.stdin.flush()
    assert writer.stdout.readline().strip() == "written", writer.stderr.read()
    assert writer.wait(timeout=30) == 0


HELD_ERRORS = "SELECT count(*) AS n FROM errors WHERE doc_key = 'held-doc'"


def test_query_and_export_answer_at_once_while_the_writer_loads(demo_run, tmp_path):
    from pipelines.cli import main

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_run["warehouse"].read_bytes())
    writer = hold_writer(path, "copy")
    try:
        result = CliRunner().invoke(main, ["query", "--wait", "0", "--format", "csv", "--warehouse", str(path),
                                           HELD_ERRORS])
        assert result.exit_code == 0, result.output
        assert result.output.split() == ["n", "0"]  # the committed state, not the load in progress
        exported = CliRunner().invoke(main, ["export", "--wait", "0", "--warehouse", str(path),
                                             "-o", str(tmp_path / "x.parquet")])
        assert exported.exit_code == 0, exported.output
        release(writer)
    finally:
        writer.kill()
        writer.wait()
    result = CliRunner().invoke(main, ["query", "--format", "csv", "--warehouse", str(path), HELD_ERRORS])
    assert result.output.split() == ["n", "1"]


def test_query_next_to_an_in_place_writer_says_busy_and_never_blocks_it(demo_run, tmp_path):
    """A process outside the protocol (the duckdb CLI opened read-write) still locks readers out."""
    from pipelines.cli import main

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_run["warehouse"].read_bytes())
    writer = hold_writer(path, "in-place")
    try:
        started = time.monotonic()
        result = CliRunner().invoke(main, ["query", "--wait", "0.5", "--warehouse", str(path),
                                           "SELECT count(*) FROM claims"])
        elapsed = time.monotonic() - started
        assert result.exit_code == 1
        assert "busy" in result.output and "another process is writing" in result.output
        assert 0.4 <= elapsed < 5
        exported = CliRunner().invoke(main, ["export", "--wait", "0", "--warehouse", str(path),
                                             "-o", str(tmp_path / "x.parquet")])
        assert exported.exit_code == 1 and "busy" in exported.output
        release(writer)  # the writer was not disturbed: it writes and commits
    finally:
        writer.kill()
        writer.wait()
    result = CliRunner().invoke(main, ["query", "--format", "csv", "--warehouse", str(path), HELD_ERRORS])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "1"]


def test_query_waits_for_a_short_in_place_write_to_finish(demo_run, tmp_path):
    from pipelines.cli import main

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_run["warehouse"].read_bytes())
    writer = hold_writer(path, "in-place")
    try:
        writer.stdin.write("go\n")  # the write ends about now; the query's wait covers it
        writer.stdin.flush()
        result = CliRunner().invoke(main, ["query", "--wait", "30", "--format", "csv", "--warehouse", str(path),
                                           HELD_ERRORS])
        assert result.exit_code == 0, result.output
        assert result.output.split() == ["n", "1"]  # it read the committed write, whole
        assert writer.wait(timeout=30) == 0
    finally:
        writer.kill()
        writer.wait()
