"""What the schedules and sensors of every source kind share."""
from __future__ import annotations

from datetime import datetime

import dagster as dg

from pipelines.defs.documents.ingest import snapshot_run_config
from pipelines.defs.documents.partitions import add_new_partitions
from pipelines.resources import TradeclaimsConfig

TRIGGER_TAG = "tradeclaims/trigger"


def scheduled_requests(context: dg.ScheduleEvaluationContext, settings: TradeclaimsConfig,
                       kind: str) -> dg.RunRequest | dg.SkipReason:
    """One snapshot run over the registry sources of ``kind``, keyed by kind and tick date.

    The changed ones then load in one run (ingest.py). The partitions are registered
    first: a schedule cannot return ``dynamic_partitions_requests`` the way a sensor can.
    """
    keys = [source.id for source in settings.registry().sources if source.kind == kind]
    if not keys:
        return dg.SkipReason(f"{settings.registry_path}: no {kind} sources")
    add_new_partitions(context.instance, keys)
    when: datetime = context.scheduled_execution_time
    stamp = when.strftime("%Y-%m-%d") if when else "manual"
    return dg.RunRequest(run_key=f"{kind}@{stamp}", run_config=snapshot_run_config(keys),
                         tags={TRIGGER_TAG: f"schedule:{kind}"})
