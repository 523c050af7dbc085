"""The one way work starts: a snapshot of some sources, then one run over what changed.

``tradeclaims run``, the schedules, the feed sensor and a run of ``snapshot_sources``
launched by hand all take the same two steps:

1. a run of ``source_snapshot`` over some registry sources (every source for
   ``tradeclaims run``, one kind for a schedule, the new articles for the feed
   sensor: :func:`snapshot_run_config`), which fetches them with conditional GETs;
2. one run of the ``ingest_documents`` job over the documents among them whose
   fetched content the warehouse does not hold as the current rules made it
   (:func:`changed_documents`), whose ``raw_documents`` reuses the snapshot's
   fetches (:func:`ingest_tags`); nothing changed, no second run.

``tradeclaims run`` runs both in its own process (``pipelines/runner.py``); under the
daemon, the ``ingest_after_snapshot`` sensor (``sensors.py``) starts step 2 when a
snapshot run succeeds. A backfill from the UI names its documents itself: with the
single-run backfill policy of the partitioned assets it is one run as well, whose
``raw_documents`` fetches them.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg

from pipelines import steps
from pipelines.defs.documents.assets import SNAPSHOT_RUN_TAG, source_snapshot
from pipelines.defs.documents.partitions import covering_range, range_tags
from pipelines.resources import TradeclaimsConfig
from warehouse import store
from warehouse.migrate import current_version, migrations


def snapshot_run_config(keys: list[str] | None = None) -> dict[str, Any]:
    """Run config of a ``source_snapshot`` run over ``keys`` (every registry source when None)."""
    return {"ops": {source_snapshot.op.name: {"config": {"keys": list(keys or [])}}}}


def snapshot_keys(settings: TradeclaimsConfig, run_config: Mapping[str, Any] | None) -> list[str]:
    """The registry ids a ``source_snapshot`` run with ``run_config`` checked."""
    config = ((run_config or {}).get("ops", {}).get(source_snapshot.op.name, {}).get("config") or {})
    keys = list(config.get("keys") or [])
    return keys or [source.id for source in settings.registry().sources]


def changed_documents(settings: TradeclaimsConfig, keys: list[str]) -> list[str]:
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


def ingest_tags(instance: dg.DagsterInstance, changed: list[str], snapshot_run_id: str | None) -> dict[str, str]:
    """Tags of the one ``ingest_documents`` run over ``changed``: the range of
    partitions holding them and, after a snapshot, the run whose fetches to reuse."""
    tags = range_tags(covering_range(instance, changed))
    if snapshot_run_id:
        tags[SNAPSHOT_RUN_TAG] = snapshot_run_id
    return tags
