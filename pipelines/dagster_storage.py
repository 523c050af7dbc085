"""Dagster's local storages with their ``base_dir`` read relative to ``DAGSTER_HOME``.

Dagster resolves a relative ``base_dir`` in ``dagster.yaml`` against the working
directory, so a Dagster process started from another folder (``dagster dev`` by
hand, a code server started elsewhere) silently created a new, empty instance
there. These subclasses resolve it against the folder that holds ``dagster.yaml``
(``DAGSTER_HOME``, the project root for the project's commands), wherever the
process runs. Only the path changes; the storages are Dagster's own.

One addition: the SQLite event log writes a *batch* of events in one transaction
per database (``store_event_batch``), where Dagster's SQLite storage writes each
event in transactions of its own (a commit, that is an fsync, per event and
database). A run over many documents records a materialization-planned event and
a materialization per document and asset; Dagster hands those over as batches
when ``DAGSTER_EVENT_BATCH_SIZE`` is set (``project.EVENT_BATCH_SIZE``, set by
the project's commands), so 200 articles cost a few commits per step, not 1,600.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy.exc as db_exc
from dagster._core.events import ASSET_EVENTS
from dagster._core.events.log import EventLogEntry
from dagster._core.storage.event_log.schema import AssetKeyTable, SqlEventLogStorageTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager
from dagster._core.storage.root import LocalArtifactStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage, _event_logs_directory

__all__ = ["BatchingSqliteEventLogStorage", "HomeSqliteStorage", "HomeArtifactStorage", "HomeComputeLogManager", "resolve_home_path"]


def resolve_home_path(base_dir: str) -> str:
    """``base_dir`` made absolute against ``DAGSTER_HOME`` (unchanged when absolute or no home is set)."""
    path = Path(os.path.expanduser(base_dir))
    home = os.environ.get("DAGSTER_HOME")
    if path.is_absolute() or not home:
        return str(path)
    return str(Path(os.path.expanduser(home)).resolve() / path)


def _resolved(config_value):
    return {**config_value, "base_dir": resolve_home_path(config_value["base_dir"])}


class BatchingSqliteEventLogStorage(SqliteEventLogStorage):
    """Dagster's SQLite event log, with a batch of asset events written in one transaction per database.

    The rows are those Dagster's own ``store_event`` writes one event at a time; what a
    batch saves besides the commits: each event is serialized once, the inserts share one
    compiled statement (``insert().values(...)`` per event compiled each one anew), and
    the ``asset_keys`` row of an asset is written once per batch with what its events,
    applied in order, leave there (Dagster inspects the table's columns, serializes the
    event again and tries an insert then an update, per event: 200 partitions of one
    asset meant 200 rewrites of one row).
    """

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        batchable = [event for event in events if event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS]
        for event in events:  # anything else (asset check plans) as Dagster stores it
            if not (event.is_dagster_event and event.dagster_event_type in ASSET_EVENTS):
                self.store_event(event)
        by_run: dict[str, list[EventLogEntry]] = {}
        for event in batchable:
            by_run.setdefault(event.run_id, []).append(event)
        insert = SqlEventLogStorageTable.insert()
        for run_id, run_events in by_run.items():
            rows = [self._event_to_row(event) for event in run_events]
            with self.run_connection(run_id) as conn:
                conn.execute(insert, rows)
            # Mirrored in the cross-run index, as SqliteEventLogStorage.store_event does one by one.
            with self.index_transaction() as conn:
                ids = []
                for row in rows:
                    result = conn.execute(insert, row)
                    try:
                        ids.append(result.inserted_primary_key[0])
                    finally:
                        result.close()
                self._store_asset_event_tags(conn, run_events, ids)
                self._store_asset_keys(conn, run_events, ids)

    def _store_asset_keys(self, conn, events: Sequence[EventLogEntry], ids: Sequence[int]) -> None:
        """What ``_store_asset_event`` of each event in turn leaves in ``asset_keys``, one write per asset."""
        by_key: dict[str, list[tuple[EventLogEntry, int]]] = {}
        for event, event_id in zip(events, ids):
            if event.dagster_event and event.dagster_event.asset_key:
                by_key.setdefault(event.dagster_event.asset_key.to_string(), []).append((event, event_id))
        if not by_key:
            return
        index_cols = self._has_asset_key_index_cols_on_connection(conn)
        for asset_key, keyed in by_key.items():
            values: dict = {}
            # The newest event that sets a column wins; a materialization sets every column
            # any event sets, so nothing before the newest one can change the row.
            for event, event_id in reversed(keyed):
                for name, value in self._get_asset_entry_values(event, event_id, index_cols).items():
                    values.setdefault(name, value)
                if event.dagster_event.is_step_materialization:
                    break
            if not values:
                continue
            try:
                conn.execute(AssetKeyTable.insert().values(asset_key=asset_key, **values))
            except db_exc.IntegrityError:
                conn.execute(AssetKeyTable.update().values(**values).where(AssetKeyTable.c.asset_key == asset_key))


class HomeSqliteStorage(DagsterSqliteStorage):
    """Runs, event logs and schedules in SQLite under ``DAGSTER_HOME/<base_dir>``; asset events in batches."""

    def __init__(self, base_dir: str, inst_data=None):
        super().__init__(base_dir, inst_data=inst_data)
        self._event_log_storage = BatchingSqliteEventLogStorage(_event_logs_directory(base_dir))

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls.from_local(inst_data=inst_data, **_resolved(config_value))


class HomeArtifactStorage(LocalArtifactStorage):
    """Local artifacts under ``DAGSTER_HOME/<base_dir>``."""

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **_resolved(config_value))


class HomeComputeLogManager(LocalComputeLogManager):
    """Step stdout/stderr under ``DAGSTER_HOME/<base_dir>``."""

    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **_resolved(config_value))
