"""ingest_after_snapshot: when a snapshot run succeeds, one run over the documents that changed.

Step 2 of the one orchestration path (ingest.py) under the daemon: whoever started
the ``snapshot_sources`` run (a schedule, the feed sensor, someone in the UI), the
documents it fetched that the warehouse does not hold as the current rules made them
load in one ``ingest_documents`` run, which reuses the snapshot's fetches, exactly
as the second run of ``tradeclaims run``. It starts running: without it a schedule's
tick would fetch and stop there. A snapshot that ``tradeclaims run`` executed (its runs
carry the process tags of pipelines/stale_runs.py) is left alone: that command starts
its own run over what changed, and a second one from here would do it twice.
"""
from __future__ import annotations

import dagster as dg

from pipelines.defs.documents.automation import TRIGGER_TAG
from pipelines.defs.documents.ingest import changed_documents, ingest_tags, snapshot_keys
from pipelines.defs.documents.jobs import ingest_job, snapshot_job
from pipelines.resources import TradeclaimsConfig
from pipelines.stale_runs import PID_TAG


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[snapshot_job],
                      request_job=ingest_job, name="ingest_after_snapshot",
                      default_status=dg.DefaultSensorStatus.RUNNING,
                      description="After a snapshot_sources run succeeds: one ingest_documents run over the "
                                  "new or changed documents it fetched (none when nothing changed).")
def ingest_after_snapshot(context: dg.RunStatusSensorContext, settings: TradeclaimsConfig):
    snapshot = context.dagster_run
    if PID_TAG in snapshot.tags:
        return dg.SkipReason(f"snapshot run {snapshot.run_id} is tradeclaims run's, which loads what changed itself")
    changed = changed_documents(settings, snapshot_keys(settings, snapshot.run_config))
    if not changed:
        return dg.SkipReason(f"snapshot run {snapshot.run_id}: nothing new or changed")
    trigger = snapshot.tags.get(TRIGGER_TAG, "snapshot")
    return dg.RunRequest(run_key=f"ingest@{snapshot.run_id}",
                         tags={**ingest_tags(context.instance, changed, snapshot.run_id), TRIGGER_TAG: trigger})
