"""Materialize the documents of a registry, doing work only where something changed.

``tradeclaims run`` and the tests call :func:`materialize_registry`. It registers one
dynamic partition per registry source, then runs two Dagster runs:

1. ``source_snapshot`` (unpartitioned): fetch every source with conditional GET, so
   an unchanged source costs one 304 (or one file read);
2. ``raw_documents → document_text → document_claims → warehouse_claims`` (and the
   asset checks) over the partitions that need it: content not yet loaded by the
   current extractor version, or a recorded error. Its ``raw_documents`` reuses what
   run 1 fetched (tag ``SNAPSHOT_RUN_TAG``), so each source is fetched once per call;
   then, in the same run, the unpartitioned findings assets ``edition_changes`` and
   ``claim_checks`` read what the load changed.

Dagster records one materialization per partition and asset (about 10–20 ms each
here), so a second run over 200 unchanged articles would spend seconds on
bookkeeping alone if every asset ran for every partition. The second run covers a
range of partitions, so Dagster's start-up is paid once, not once per document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from pipelines import steps
from pipelines.definitions import ALL_ASSETS, ALL_CHECKS, FINDINGS_ASSETS, FINDINGS_CHECKS
from pipelines.defs.documents.assets import (
    SNAPSHOT_RUN_TAG,
    document_claims,
    document_text,
    raw_documents,
    source_snapshot,
)
from pipelines.defs.documents.partitions import add_new_partitions, documents_partitions
from pipelines.resources import TradeclaimsConfig
from pipelines.stale_runs import end_dead_runs, process_tags
from warehouse import store
from warehouse.migrate import current_version, migrations

# What the workers do in distributed mode (pipelines/distributed/job.py): everything but the load.
WORKERS_ASSETS = (raw_documents, document_text, document_claims)


@dataclass
class RegistryRun:
    """The Dagster runs of one :func:`materialize_registry` call."""

    results: list[dg.ExecuteInProcessResult] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return all(result.success for result in self.results)

    @property
    def run_id(self) -> str:
        """The last run's id (the load, when anything was loaded)."""
        return self.results[-1].run_id

    @property
    def run_ids(self) -> list[str]:
        return [result.run_id for result in self.results]

    def get_asset_check_evaluations(self):
        return [e for result in self.results for e in result.get_asset_check_evaluations()]


def _range_tags(instance: dg.DagsterInstance, keys: list[str]) -> dict[str, str]:
    """Tags for one run over the smallest partition range holding ``keys``.

    Partitions in between that did not change are covered too; their steps find
    their work staged and loaded, and pass quickly.
    """
    ordered = instance.get_dynamic_partitions(documents_partitions.name)
    positions = sorted(ordered.index(key) for key in keys)
    return {ASSET_PARTITION_RANGE_START_TAG: ordered[positions[0]],
            ASSET_PARTITION_RANGE_END_TAG: ordered[positions[-1]]}


def needs_processing(settings: TradeclaimsConfig, keys: list[str]) -> list[str]:
    """The keys whose fetched content is not in the warehouse as the current extractor made it."""
    staging = settings.staging()
    try:
        con = store.connect(settings.warehouse_path, read_only=True, wait_seconds=30)
    except FileNotFoundError:
        return list(keys)
    try:
        if current_version(con) < migrations()[-1][0]:
            # An older schema, or a file whose first migrations never committed (a writer
            # killed while creating it): the writer upgrades it; until then nothing counts as loaded.
            return list(keys)
        candidates = {}
        for key in keys:
            path = staging.manifest(key)
            manifest = steps.read_json(path) if path.exists() else {}
            sha = manifest.get("sha256")
            if sha and not manifest.get("error") and not staging.error(key).exists():
                candidates[store.document_id(key, sha)] = key
        loaded = {candidates[doc_id] for doc_id in store.loaded_ids(con, list(candidates), steps.EXTRACTOR_VERSION)}
    finally:
        con.close()
    return [key for key in keys if key not in loaded]


def materialize_registry(settings: TradeclaimsConfig, instance: dg.DagsterInstance,
                         keys: list[str] | None = None, raise_on_error: bool = True,
                         log_level: str = "INFO", on_workers: bool = False,
                         batch_size: int | None = None) -> RegistryRun:
    """Fetch every source, then parse, extract and load those that changed.

    Args:
        settings: registry, data folder and warehouse to use.
        instance: the Dagster instance (the project's, or a test's).
        keys: the partition keys to run through the whole graph; when None, every
            source is fetched and only the changed ones run on.
        raise_on_error: re-raise a step failure instead of returning a failed result.
        log_level: of Dagster's console logger (the event log keeps everything).
        on_workers: fetch, parse and extract on the Celery workers (``tradeclaims workers
            start``; pipelines/distributed/job.py), in batches of ``batch_size`` documents;
            the load still runs here, the single writer.
    Returns:
        the runs made (one or two) and the keys that were processed.
    """
    registry = settings.registry()
    explicit = bool(keys)
    keys = keys or [source.id for source in registry.sources]
    if not keys:
        raise ValueError(f"{settings.registry_path}: the registry lists no sources")
    add_new_partitions(instance, keys)
    # A run killed earlier (kill -9 while loading) would hold the warehouse pool slot forever.
    end_dead_runs(instance)
    run_config = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    common = {"instance": instance, "resources": {"settings": settings}, "raise_on_error": raise_on_error,
              "run_config": run_config}
    outcome = RegistryRun()
    if explicit:
        # Named documents run as asked: their own fetch step decides what changed.
        outcome.changed = list(keys)
    else:
        outcome.results.append(dg.materialize([source_snapshot], tags=process_tags(), **common))
        if not outcome.success:
            return outcome
        outcome.changed = needs_processing(settings, keys)
    if outcome.changed:
        tags = _range_tags(instance, outcome.changed)
        if not explicit:  # raw_documents reuses the snapshot's fetches: each source fetched once
            tags[SNAPSHOT_RUN_TAG] = outcome.results[0].run_id
        graph = [*ALL_ASSETS, *ALL_CHECKS, *FINDINGS_ASSETS, *FINDINGS_CHECKS]
        selection = graph
        if on_workers:
            from pipelines.distributed.job import DEFAULT_BATCH_SIZE, run_on_workers

            # Not the partition range tags: that job is not partitioned, its steps name their documents.
            worker_tags = {name: value for name, value in tags.items() if name == SNAPSHOT_RUN_TAG}
            outcome.results.append(run_on_workers(
                settings, instance, outcome.changed, {**worker_tags, **process_tags()},
                batch_size=batch_size or DEFAULT_BATCH_SIZE, raise_on_error=raise_on_error, log_level=log_level))
            if not outcome.success:
                return outcome
            selection = [node for node in graph if node not in WORKERS_ASSETS]  # staged by the workers
        outcome.results.append(dg.materialize(
            graph, selection=selection, tags={**tags, **process_tags()}, **common))
    return outcome
