"""The Dagster code location: every definition of tradeclaims, assembled in one place."""
from __future__ import annotations

import dagster as dg

from pipelines.defs import findings, news, ustr
from pipelines.defs.documents.assets import (
    document_claims,
    document_text,
    raw_documents,
    source_snapshot,
    warehouse_claims,
)
from pipelines.defs.documents.checks import ALL_CHECKS
from pipelines.defs.documents.evidence import evidence_snapshots
from pipelines.defs.documents.jobs import ingest_job, snapshot_job
from pipelines.defs.documents.sensors import ingest_after_snapshot
from pipelines.distributed.job import documents_on_workers
from pipelines.resources import TradeclaimsConfig

# The per-document graph; source_snapshot (unpartitioned) checks the whole registry first.
ALL_ASSETS = [raw_documents, document_text, document_claims, warehouse_claims, evidence_snapshots]
# What `tradeclaims run` reads after a load: the findings views (unpartitioned). The
# alerts asset is the offset_alerts_sensor's, never part of a plain run.
FINDINGS_ASSETS = [*findings.ASSETS]
FINDINGS_CHECKS = [*findings.CHECKS]
SCHEDULES = [*ustr.SCHEDULES, *news.SCHEDULES]
SENSORS = [ingest_after_snapshot, *news.SENSORS, *findings.SENSORS]


def build_definitions(config: TradeclaimsConfig | None = None) -> dg.Definitions:
    """Return the Definitions, with ``config`` (default: from the environment)."""
    return dg.Definitions(
        assets=[source_snapshot, *ALL_ASSETS, *FINDINGS_ASSETS, *findings.ALERT_ASSETS],
        asset_checks=[*ALL_CHECKS, *FINDINGS_CHECKS],
        # documents_on_workers: tradeclaims run --workers; here so that the UI can re-execute its runs.
        jobs=[snapshot_job, ingest_job, *findings.JOBS, documents_on_workers],
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources={"settings": config or TradeclaimsConfig.from_environment()},
    )


defs = build_definitions()
