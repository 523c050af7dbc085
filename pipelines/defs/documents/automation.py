"""What the schedules and sensors of every source kind share."""
from __future__ import annotations

from datetime import datetime

import dagster as dg

from pipelines.defs.documents.partitions import add_new_partitions
from pipelines.resources import TradeclaimsConfig

TRIGGER_TAG = "tradeclaims/trigger"
URL_TAG = "tradeclaims/url"


def scheduled_requests(context: dg.ScheduleEvaluationContext, settings: TradeclaimsConfig,
                       kind: str) -> list[dg.RunRequest] | dg.SkipReason:
    """One run per registry source of ``kind``, keyed by source and tick date.

    The partitions are registered first: a schedule cannot return
    ``dynamic_partitions_requests`` the way a sensor can.
    """
    keys = [source.id for source in settings.registry().sources if source.kind == kind]
    if not keys:
        return dg.SkipReason(f"{settings.registry_path}: no {kind} sources")
    add_new_partitions(context.instance, keys)
    when: datetime = context.scheduled_execution_time
    stamp = when.strftime("%Y-%m-%d") if when else "manual"
    return [dg.RunRequest(run_key=f"{key}@{stamp}", partition_key=key, tags={TRIGGER_TAG: f"schedule:{kind}"})
            for key in keys]
