"""One writer: multiprocess Dagster runs serialize their warehouse writes; readers never block them.

The jobs below are module-level functions so that ``dg.reconstructable`` can
rebuild them in the step processes of the multiprocess executor (and in the
separate run processes of the concurrent-runs test).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import pytest
from click.testing import CliRunner
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.defs.documents.assets import WAREHOUSE_POOL
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
                                tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]})
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
            assert not [m for m in event_messages(instance, run_id) if "lock" in m.lower() and "error" in m.lower()]
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


HOLD_WRITER = textwrap.dedent("""
    import sys
    from warehouse import store
    con = store.connect(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()
    store.record_error(con, "load", "written while a reader waited", "held-doc")
    con.close()
    print("written", flush=True)
""")


def test_query_while_a_run_writes_says_busy_and_never_blocks_the_writer(demo_run, tmp_path):
    from pipelines.cli import main

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_run["warehouse"].read_bytes())
    writer = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "holding", writer.stderr.read()
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
        # the writer was not disturbed: it writes and commits
        writer.stdin.write("go\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "written"
        assert writer.wait(timeout=30) == 0
    finally:
        writer.kill()
        writer.wait()
    result = CliRunner().invoke(main, ["query", "--format", "csv", "--warehouse", str(path),
                                       "SELECT doc_key, message FROM errors WHERE doc_key = 'held-doc'"])
    assert result.exit_code == 0, result.output
    assert "held-doc,written while a reader waited" in result.output


def test_query_waits_for_a_short_write_to_finish(demo_run, tmp_path):
    from pipelines.cli import main

    path = tmp_path / "warehouse.duckdb"
    path.write_bytes(demo_run["warehouse"].read_bytes())
    writer = subprocess.Popen([sys.executable, "-c", HOLD_WRITER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "holding", writer.stderr.read()
        writer.stdin.write("go\n")  # the write ends about now; the query's wait covers it
        writer.stdin.flush()
        result = CliRunner().invoke(main, ["query", "--wait", "30", "--format", "csv", "--warehouse", str(path),
                                           "SELECT count(*) AS n FROM errors WHERE doc_key = 'held-doc'"])
        assert result.exit_code == 0, result.output
        assert result.output.split() == ["n", "1"]  # it read the committed write, whole
        assert writer.wait(timeout=30) == 0
    finally:
        writer.kill()
        writer.wait()
