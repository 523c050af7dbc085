"""Materialize the documents of a registry, doing work only where something changed.

``tradeclaims run`` and the tests call :func:`materialize_registry`. It registers one
dynamic partition per registry source, then takes the steps every way of starting
work takes (pipelines/defs/documents/ingest.py), in this process:

1. a ``source_snapshot`` run over every source: conditional GETs, so an unchanged
   source costs one 304 (or one file read);
2. one run of the ``ingest_documents`` job (``raw_documents → document_text →
   document_claims → warehouse_claims``, the asset checks, then the findings views
   ``edition_changes`` and ``claim_checks``) over the range of partitions that holds
   the changed documents, its ``raw_documents`` reusing run 1's fetches.

Dagster records one materialization per partition and asset; in one run over a range
its start-up is paid once, and the project's event log writes them in batches
(pipelines/dagster_storage.py), so 200 documents do not cost 800 commits.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.defs.documents.assets import SNAPSHOT_RUN_TAG, document_claims, document_text, raw_documents
from pipelines.defs.documents.ingest import changed_documents, ingest_tags
from pipelines.defs.documents.jobs import ingest_job, snapshot_job
from pipelines.defs.documents.partitions import add_new_partitions
from pipelines.resources import TradeclaimsConfig
from pipelines.stale_runs import end_dead_runs, process_tags

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
    # The jobs the schedules, sensors and UI start, run here in this process.
    defs = build_definitions(settings)
    common = {"instance": instance, "raise_on_error": raise_on_error, "run_config": run_config}
    outcome = RegistryRun()
    snapshot_run = None
    if explicit:
        # Named documents run as asked: their own fetch step decides what changed.
        outcome.changed = list(keys)
    else:
        outcome.results.append(defs.resolve_job_def(snapshot_job.name).execute_in_process(tags=process_tags(), **common))
        if not outcome.success:
            return outcome
        snapshot_run = outcome.results[0].run_id
        outcome.changed = changed_documents(settings, keys)
    if outcome.changed:
        tags = ingest_tags(instance, outcome.changed, snapshot_run)
        ingest = defs.resolve_job_def(ingest_job.name)
        selection = None  # the whole job
        if on_workers:
            from pipelines.distributed.job import DEFAULT_BATCH_SIZE, run_on_workers

            # Not the partition range tags: that job is not partitioned, its steps name their documents.
            worker_tags = {name: value for name, value in tags.items() if name == SNAPSHOT_RUN_TAG}
            outcome.results.append(run_on_workers(
                settings, instance, outcome.changed, {**worker_tags, **process_tags()},
                batch_size=batch_size or DEFAULT_BATCH_SIZE, raise_on_error=raise_on_error, log_level=log_level))
            if not outcome.success:
                return outcome
            staged = {asset.key for asset in WORKERS_ASSETS}  # staged by the workers
            selection = [key for key in ingest.asset_layer.selected_asset_keys if key not in staged]
        outcome.results.append(ingest.execute_in_process(
            tags={**tags, **process_tags()}, asset_selection=selection, **common))
    return outcome
