"""The news schedule: every day, a snapshot of the registry's ``kind = "news"`` sources, then one run over the changed ones."""
import dagster as dg

from pipelines.defs.documents.automation import scheduled_requests
from pipelines.defs.documents.jobs import snapshot_job
from pipelines.resources import TradeclaimsConfig


@dg.schedule(cron_schedule="0 6 * * *", job=snapshot_job, execution_timezone="America/New_York",
             name="news_daily_schedule", default_status=dg.DefaultScheduleStatus.STOPPED,
             description="News pages of the registry, daily at 06:00 New York time.")
def news_daily_schedule(context: dg.ScheduleEvaluationContext, settings: TradeclaimsConfig):
    return scheduled_requests(context, settings, "news")
