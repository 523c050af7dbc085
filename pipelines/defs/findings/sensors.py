"""offset_alerts_sensor: after each load of the warehouse, look for changed offset claims.

An asset sensor on ``warehouse_claims``: when a run (a schedule's, the news sensor's,
``tradeclaims run``) has loaded documents, it requests one run of the ``findings`` job,
whose ``alerts`` asset writes the new alerts through the single warehouse writer (pool
``warehouse_writer``) and logs one line per alert. The sensor itself never opens the
warehouse. It starts stopped, like the schedules: switch it on under *Automation*.
"""
from __future__ import annotations

import dagster as dg

from pipelines.defs.documents.assets import warehouse_claims
from pipelines.defs.documents.automation import TRIGGER_TAG
from pipelines.defs.findings.assets import findings_job


@dg.asset_sensor(asset_key=warehouse_claims.key, job=findings_job, name="offset_alerts_sensor",
                 minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED,
                 description="After warehouse_claims loads, runs the findings job: edition changes, news "
                             "checks, and an alert for each revised, added or removed offset claim.")
def offset_alerts_sensor(context: dg.SensorEvaluationContext, asset_event: dg.EventLogEntry):
    # One run per load: the newest materialization stands for all partitions of its run.
    run_id = asset_event.run_id
    return dg.RunRequest(run_key=f"findings@{run_id}", tags={TRIGGER_TAG: "sensor:offset_alerts"})
