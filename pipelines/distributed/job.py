"""The per-document work of a run as Celery tasks: one Dagster step per batch of documents.

Dagster runs the steps of a partitioned asset once per run, whatever the number of
partitions it covers, so ``raw_documents``/``document_text``/``document_claims`` over
200 articles are three steps: nothing for a second worker to do. This job fans the
documents out instead (``DynamicOut``): ``document_batches`` cuts the changed documents
into batches, and each ``process_documents[batch]`` step (fetch, parse, extract of its
documents, the same functions as those assets, ``pipelines/steps.py``) is one Celery task
that dagster-celery's ``celery_executor`` sends to whichever worker is free. Each step
records the asset partitions it made (``AssetMaterialization`` of the three assets, so the
UI's lineage per document stays) and stages which process did the work
(``staging/processed_by/<doc_key>.json``). The warehouse is not opened here: the run that
follows, in the process that started this one, loads the staged files
(``warehouse_claims``, the single writer).
"""

import os
import socket
import time
import warnings
from collections.abc import Iterator

import dagster as dg
from dagster_celery import celery_executor

from pipelines import steps
from pipelines.defs.documents.assets import SNAPSHOT_RUN_TAG
from pipelines.resources import TradeclaimsConfig

# Tried on 50 articles and the demo reports, 2 workers: see the README (Running on several machines).
DEFAULT_BATCH_SIZE = 4


class BatchesConfig(dg.Config):
    keys: list[str]
    batch_size: int = DEFAULT_BATCH_SIZE


def batches(staging: steps.Staging, keys: list[str], size: int) -> list[list[str]]:
    """``keys`` in batches of ``size``, largest documents first (a big report must not start last)."""
    if size < 1:
        raise ValueError(f"batch size {size}: must be at least 1")

    def fetched_bytes(key: str) -> int:
        path = staging.manifest(key)
        sha = steps.read_json(path).get("sha256") if path.exists() else None
        raw = staging.raw.path_for(sha) if sha else None
        return raw.stat().st_size if raw and raw.exists() else 0

    ordered = sorted(keys, key=lambda key: -fetched_bytes(key))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


@dg.op(out=dg.DynamicOut(list))
def document_batches(config: BatchesConfig, settings: TradeclaimsConfig) -> Iterator[dg.DynamicOutput]:
    """One output per batch of documents; each becomes a ``process_documents`` step (a Celery task)."""
    for number, batch in enumerate(batches(settings.staging(), config.keys, config.batch_size)):
        yield dg.DynamicOutput(batch, mapping_key=f"batch_{number:04d}")


def processed_by(staging: steps.Staging, key: str):
    """Where a step stages which process did the work of ``key``."""
    return staging.root / "processed_by" / f"{key}.json"


@dg.op
def process_documents(context: dg.OpExecutionContext, settings: TradeclaimsConfig, keys: list) -> Iterator:
    """Fetch (or reuse the snapshot's fetch), parse and extract ``keys``; stage everything."""
    staging, registry = settings.staging(), settings.registry()
    worker = {"pid": os.getpid(), "host": socket.gethostname(), "run_id": context.run_id, "batch": context.get_mapping_key()}
    started = time.monotonic()
    with staging.fetcher(registry.fetch) as fetcher:
        errors, manifests = steps.fetch_for_run(staging, registry, list(keys), fetcher,
                                                context.run.tags.get(SNAPSHOT_RUN_TAG), context.run_id)
        manifests = list(manifests)  # the batch's fetches, concurrently, before its parsing
    done = []
    for manifest in manifests:
        key = manifest["doc_key"]
        if not manifest["error"]:
            steps.parse_source(staging, key)
            steps.extract_source(staging, key)
        error = staging.error(key)
        if error.exists():
            errors[key] = steps.read_json(error)["message"]
        steps.write_json(processed_by(staging, key), worker)
        done.append(key)
        for asset in ("raw_documents", "document_text", "document_claims"):
            yield dg.AssetMaterialization(asset_key=asset, partition=key,
                                          metadata={"worker_pid": worker["pid"], "worker_host": worker["host"]})
    context.log.info(f"{len(done)} documents on {worker['host']} pid {worker['pid']} "
                     f"in {time.monotonic() - started:.2f} s; {len(errors)} with errors")
    yield dg.Output({**worker, "keys": done, "errors": errors})


@dg.op
def workers_summary(context: dg.OpExecutionContext, results: list) -> dict:
    """Which process did which documents (the run's record of the work's spread)."""
    by_worker: dict[str, list[str]] = {}
    for result in results:
        by_worker.setdefault(f"{result['host']}:{result['pid']}", []).extend(result["keys"])
    context.add_output_metadata({"workers": len(by_worker),
                                 **{f"documents_{name}": len(keys) for name, keys in sorted(by_worker.items())}})
    return by_worker


@dg.job(executor_def=celery_executor, resource_defs={"settings": TradeclaimsConfig.configure_at_launch()},
        description="Fetch, parse and extract documents on Celery workers, one step per batch "
                    "(tradeclaims run --workers; the load follows in the writer's run).")
def documents_on_workers():
    workers_summary(document_batches().map(process_documents).collect())


def require_workers(timeout: float = 5.0) -> list[str]:
    """The names of the workers that answer; none: an error saying how to start them.

    dagster-celery waits for its tasks' results without a deadline, so a run sent to a
    broker nobody consumes would wait forever.
    """
    from pipelines.distributed.config import celery_app, config_path

    try:
        replies = celery_app().control.ping(timeout=timeout) or []
    except Exception as exc:  # the broker itself is down (kombu's OperationalError and kin)
        raise RuntimeError(f"the Celery broker of {config_path()} does not answer ({exc}); "
                           "start it and the workers: tradeclaims workers start") from None
    names = [name for reply in replies for name in reply]
    if not names:
        raise RuntimeError(f"no Celery worker answers on the broker of {config_path()}; "
                           "start them: tradeclaims workers start")
    return names


def run_on_workers(settings: TradeclaimsConfig, instance: dg.DagsterInstance, keys: list[str],
                   tags: dict[str, str], batch_size: int = DEFAULT_BATCH_SIZE,
                   raise_on_error: bool = True, log_level: str = "INFO"):
    """Run :data:`documents_on_workers` for ``keys``; its steps go to the Celery workers.

    The instance must be one the workers share (``DAGSTER_HOME``: the project's
    ``dagster.yaml`` on one machine, Postgres on several), not an ephemeral one.
    """
    from pipelines.distributed.config import executor_config

    require_workers()
    run_config = {
        "loggers": {"console": {"config": {"log_level": log_level}}},
        "execution": {"config": executor_config()},
        "resources": {"settings": {"config": {"registry_path": settings.registry_path, "data_dir": settings.data_dir,
                                              "warehouse_path": settings.warehouse_path}}},
        "ops": {"document_batches": {"config": {"keys": list(keys), "batch_size": batch_size}}},
    }
    with warnings.catch_warnings():
        # dagster-celery registers its step task again for every step it sends; Celery warns each time.
        warnings.filterwarnings("ignore", message="Task name 'execute_plan' is already registered")
        return dg.execute_job(dg.reconstructable(documents_on_workers), instance=instance, run_config=run_config,
                              tags=tags, raise_on_error=raise_on_error)
