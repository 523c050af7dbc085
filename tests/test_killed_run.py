"""A `tradeclaims run` killed with kill -9 in `warehouse_claims` does not block the next one.

The killed run held the `warehouse_writer` pool slot (dagster.yaml: one step at a time) and
stays STARTED in Dagster's storage, since nothing is left to report its end. The next run
must see that its process is gone, mark it failed and free its slot, and then proceed.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.dagster_server import project_home
from warehouse import store

pytestmark = pytest.mark.slow

TRADECLAIMS = str(Path(sys.executable).parent / "tradeclaims")
POOL = "warehouse_writer"


def wait_for(condition, what: str, timeout: float = 180.0, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"`tradeclaims run` exited ({process.returncode}) before {what}")
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}")


def step_started(instance: dg.DagsterInstance, step_key: str) -> str | None:
    for run in instance.get_runs(limit=5):
        records = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.STEP_START).records
        if any(r.event_log_entry.dagster_event.step_key == step_key for r in records):
            return run.run_id
    return None


def slot_holders(instance: dg.DagsterInstance) -> set[str]:
    info = instance.event_log_storage.get_concurrency_info(POOL)
    return {slot.run_id for slot in info.claimed_slots}


def test_a_run_killed_in_warehouse_claims_does_not_block_the_next(tmp_path, monkeypatch):
    env = project_home(tmp_path)
    warehouse = Path(env["TRADECLAIMS_WAREHOUSE"])
    monkeypatch.chdir(tmp_path)  # dagster.yaml's storage paths are relative to the project root
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    store.connect(warehouse).close()  # an empty warehouse at the newest schema, as after any earlier run
    log = tmp_path / "killed.log"
    with open(log, "wb") as out:
        victim = subprocess.Popen([TRADECLAIMS, "run"], env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    blocker = None
    try:
        with dg.DagsterInstance.get() as instance:
            # Once parsing runs, the run has read the warehouse for the last time before its load:
            # hold DuckDB's write lock so that warehouse_claims starts, claims the slot, and waits.
            wait_for(lambda: step_started(instance, "document_text"), "document_text to start", process=victim)
            blocker = duckdb.connect(str(warehouse))
            killed = wait_for(lambda: step_started(instance, "warehouse_claims"), "warehouse_claims to start",
                              process=victim)
            wait_for(lambda: killed in slot_holders(instance), "the pool slot to be claimed", process=victim)
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)
            blocker.close()
            blocker = None
            assert instance.get_run_by_id(killed).status == dg.DagsterRunStatus.STARTED  # nothing reported its end

            # The next run proceeds: it finds the dead run, marks it failed and frees its slot.
            again = subprocess.run([TRADECLAIMS, "run"], env=env, cwd=tmp_path, capture_output=True, text=True,
                                   stdin=subprocess.DEVNULL, timeout=float(os.environ.get("KILLED_RUN_TIMEOUT", 240)))
            assert again.returncode == 0, again.stdout + again.stderr
            assert "Documents: " in again.stdout
            dead = instance.get_run_by_id(killed)
            assert dead.status == dg.DagsterRunStatus.FAILURE
            assert killed not in slot_holders(instance)
            failure = instance.get_records_for_run(killed, of_type=dg.DagsterEventType.RUN_FAILURE).records
            assert "no longer running" in failure[-1].event_log_entry.dagster_event.message
    finally:
        if blocker is not None:
            blocker.close()
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM latest_documents").fetchone()[0] == 10  # the demo registry
    finally:
        con.close()
    shutil.rmtree(tmp_path / "data" / "dagster", ignore_errors=True)


def test_a_process_is_alive_only_while_it_runs_as_the_same_process():
    from pipelines.stale_runs import STARTED_TAG, process_alive, process_tags

    mine = process_tags()
    assert process_alive(mine) is True
    assert process_alive({**mine, STARTED_TAG: "1"}) is False  # the pid now belongs to another process
    assert process_alive({**mine, "tradeclaims/host": "elsewhere"}) is None  # cannot tell from here
    assert process_alive({}) is None  # not started by tradeclaims run (the daemon's runs)
    child = subprocess.Popen(["sleep", "60"])
    tags = {**mine, "tradeclaims/pid": str(child.pid), STARTED_TAG: ""}
    assert process_alive(tags) is True
    child.kill()
    child.wait()
    assert process_alive(tags) is False


def test_a_warehouse_killed_before_its_schema_was_complete_is_loaded_by_the_next_run(tmp_path):
    """kill -9 during the very first load can leave a DuckDB file whose migrations never committed."""
    from pipelines.resources import TradeclaimsConfig
    from pipelines.runner import materialize_registry
    from tests.conftest import DEMO_REGISTRY

    warehouse = tmp_path / "data" / "warehouse.duckdb"
    warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(warehouse))  # what the killed writer left: a file, schema_version at most
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    con.close()
    settings = TradeclaimsConfig(registry_path=str(DEMO_REGISTRY), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(warehouse))
    demo_sources = len(tomllib.loads(DEMO_REGISTRY.read_text("utf-8"))["source"])
    result = materialize_registry(settings, dg.DagsterInstance.ephemeral(), log_level="WARNING")
    assert result.success and len(result.changed) == demo_sources
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM latest_documents").fetchone()[0] == demo_sources
    finally:
        con.close()
