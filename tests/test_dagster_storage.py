"""The batching event log writes what Dagster's own SQLite event log writes one event at a time.

A partitioned run's asset events (planned, materialized) are captured, then stored in
two fresh event logs: Dagster's ``SqliteEventLogStorage.store_event`` one by one, and
``BatchingSqliteEventLogStorage.store_event_batch`` at once. Every table of the run's
database and of the cross-run index must hold the same rows.
"""

import sqlite3

import dagster as dg
from dagster._core.events import ASSET_EVENTS
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from pipelines.dagster_storage import BatchingSqliteEventLogStorage

letters = dg.StaticPartitionsDefinition(["a", "b", "c", "d"])


@dg.asset(partitions_def=letters)
def first(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"keys": len(context.partition_keys)})


@dg.asset(partitions_def=letters, deps=[first])
def second(context: dg.AssetExecutionContext) -> None:
    context.log.info("second")


def _asset_events():
    with dg.instance_for_test() as instance:
        for _ in range(2):  # the second run updates the asset_keys rows the first made
            result = dg.materialize([first, second], instance=instance, tags={
                "dagster/asset_partition_range_start": "a", "dagster/asset_partition_range_end": "d"})
            assert result.success
        runs = [run.run_id for run in instance.get_runs()][::-1]
        return [entry for run_id in runs for entry in instance.all_logs(run_id)
                if entry.is_dagster_event and entry.dagster_event_type in ASSET_EVENTS]


_WHEN_CREATED = {"secondary_indexes", "create_timestamp"}


def _dump(folder) -> dict[str, list]:
    tables = {}
    for db in sorted(folder.glob("*.db")):
        con = sqlite3.connect(db)
        try:
            names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for name in names:
                if name in _WHEN_CREATED:  # when the database was made, not what was stored
                    continue
                columns = [c for (_, c, *_) in con.execute(f"PRAGMA table_info({name})") if c not in _WHEN_CREATED]
                listed = ", ".join(f'"{c}"' for c in columns)
                tables[f"{db.name}:{name}"] = con.execute(f"SELECT {listed} FROM {name} ORDER BY 1").fetchall()
        finally:
            con.close()
    return tables


def test_a_batch_leaves_the_rows_storing_each_event_leaves(tmp_path):
    events = _asset_events()
    kinds = {event.dagster_event_type for event in events}
    assert {dg.DagsterEventType.ASSET_MATERIALIZATION, dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED} <= kinds
    one_by_one = SqliteEventLogStorage(str(tmp_path / "one"))
    for event in events:
        one_by_one.store_event(event)
    batched = BatchingSqliteEventLogStorage(str(tmp_path / "batch"))
    batched.store_event_batch(events)
    expected, got = _dump(tmp_path / "one"), _dump(tmp_path / "batch")
    assert any(rows for name, rows in expected.items() if name.endswith(":asset_keys"))
    assert got == expected

