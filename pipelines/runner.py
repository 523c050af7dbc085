"""Materialize every document of a registry in one Dagster run.

``tradeclaims run`` and the tests call :func:`materialize_registry`. It registers one
dynamic partition per registry source, then materializes the whole asset graph
over the range of those partitions in a single run (Dagster's start-up cost is
paid once, not once per document).
"""
from __future__ import annotations

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines.definitions import ALL_ASSETS, ALL_CHECKS
from pipelines.defs.documents.partitions import documents_partitions
from pipelines.resources import TradeclaimsConfig


def register_partitions(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Add the partitions the instance does not know yet; return the new ones."""
    known = set(instance.get_dynamic_partitions(documents_partitions.name))
    new = [key for key in keys if key not in known]
    if new:
        instance.add_dynamic_partitions(documents_partitions.name, new)
    return new


def materialize_registry(settings: TradeclaimsConfig, instance: dg.DagsterInstance,
                         keys: list[str] | None = None, raise_on_error: bool = True,
                         log_level: str = "INFO") -> dg.ExecuteInProcessResult:
    """Materialize raw → text → claims → warehouse for ``keys`` (default: every source).

    Args:
        settings: registry, data folder and warehouse to use.
        instance: the Dagster instance (the project's, or a test's).
        keys: the partition keys to run; all of the registry's sources when None.
        raise_on_error: re-raise a step failure instead of returning a failed result.
        log_level: of Dagster's console logger (the event log keeps everything).
    Returns:
        the in-process execution result.
    """
    registry = settings.registry()
    keys = keys or [source.id for source in registry.sources]
    if not keys:
        raise ValueError(f"{settings.registry_path}: the registry lists no sources")
    register_partitions(instance, keys)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    # A range run covers the partitions between two keys in the instance's order,
    # so run over exactly the requested keys when they are not contiguous there.
    ordered = instance.get_dynamic_partitions(documents_partitions.name)
    positions = sorted(ordered.index(key) for key in keys)
    if positions[-1] - positions[0] + 1 == len(keys):
        tags = {ASSET_PARTITION_RANGE_START_TAG: ordered[positions[0]],
                ASSET_PARTITION_RANGE_END_TAG: ordered[positions[-1]]}
        return dg.materialize([*ALL_ASSETS, *ALL_CHECKS], instance=instance, resources={"settings": settings}, tags=tags,
                              raise_on_error=raise_on_error, run_config=run_config)
    result = None
    for key in keys:
        result = dg.materialize([*ALL_ASSETS, *ALL_CHECKS], instance=instance, resources={"settings": settings},
                                partition_key=key, raise_on_error=raise_on_error, run_config=run_config)
    return result
