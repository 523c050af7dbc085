"""The report schedule: weekly (Mondays) in March and April, on the 1st of every other month.

One schedule with two cron strings (Dagster runs it at the union of their times).
Each tick requests a snapshot of the ``kind = "report"`` sources; the changed ones then
load in one run (pipelines/defs/documents/ingest.py).
"""
import dagster as dg

from pipelines.defs.documents.automation import scheduled_requests
from pipelines.defs.documents.jobs import snapshot_job
from pipelines.resources import TradeclaimsConfig

# 07:00 New York time, when USTR's publications of the day are usually up.
REPORT_CRONS = ["0 7 * 3,4 1", "0 7 1 1,2,5-12 *"]


@dg.schedule(cron_schedule=REPORT_CRONS, job=snapshot_job, execution_timezone="America/New_York",
             name="ustr_reports_schedule", default_status=dg.DefaultScheduleStatus.STOPPED,
             description="USTR reports: weekly on Mondays in March–April (the NTE report appears "
                         "around March 31), monthly on the 1st otherwise.")
def ustr_reports_schedule(context: dg.ScheduleEvaluationContext, settings: TradeclaimsConfig):
    return scheduled_requests(context, settings, "report")
