"""Dagster's local storages with their ``base_dir`` read relative to ``DAGSTER_HOME``.

Dagster resolves a relative ``base_dir`` in ``dagster.yaml`` against the working
directory, so a Dagster process started from another folder (``dagster dev`` by
hand, a code server started elsewhere) silently created a new, empty instance
there. These subclasses resolve it against the folder that holds ``dagster.yaml``
(``DAGSTER_HOME``, the project root for the project's commands), wherever the
process runs. Only the path changes; the storages are Dagster's own.
"""
from __future__ import annotations

import os
from pathlib import Path

from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager
from dagster._core.storage.root import LocalArtifactStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage

__all__ = ["HomeSqliteStorage", "HomeArtifactStorage", "HomeComputeLogManager", "resolve_home_path"]


def resolve_home_path(base_dir: str) -> str:
    """``base_dir`` made absolute against ``DAGSTER_HOME`` (unchanged when absolute or no home is set)."""
    path = Path(os.path.expanduser(base_dir))
    home = os.environ.get("DAGSTER_HOME")
    if path.is_absolute() or not home:
        return str(path)
    return str(Path(os.path.expanduser(home)).resolve() / path)


def _resolved(config_value):
    return {**config_value, "base_dir": resolve_home_path(config_value["base_dir"])}


class HomeSqliteStorage(DagsterSqliteStorage):
    """Runs, event logs and schedules in SQLite under ``DAGSTER_HOME/<base_dir>``."""

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
