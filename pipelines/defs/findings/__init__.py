"""Findings: edition changes, news checks and offset alerts, downstream of the warehouse load."""
from pipelines.defs.findings.assets import alerts, claim_checks, edition_changes, findings_job
from pipelines.defs.findings.checks import news_agrees_with_report
from pipelines.defs.findings.sensors import offset_alerts_sensor

ASSETS = [edition_changes, claim_checks]
ALERT_ASSETS = [alerts]
CHECKS = [news_agrees_with_report]
JOBS = [findings_job]
SENSORS = [offset_alerts_sensor]
