"""The Dagster code location: every definition of tradeclaims, assembled in one place."""
from __future__ import annotations

import dagster as dg

from pipelines.defs import news, ustr
from pipelines.defs.documents.assets import (
    document_claims,
    document_text,
    raw_documents,
    source_snapshot,
    warehouse_claims,
)
from pipelines.defs.documents.checks import ALL_CHECKS
from pipelines.defs.documents.jobs import ingest_job
from pipelines.resources import TradeclaimsConfig

# The per-document graph; source_snapshot (unpartitioned) checks the whole registry first.
ALL_ASSETS = [raw_documents, document_text, document_claims, warehouse_claims]
SCHEDULES = [*ustr.SCHEDULES, *news.SCHEDULES]
SENSORS = [*news.SENSORS]


def build_definitions(config: TradeclaimsConfig | None = None) -> dg.Definitions:
    """Return the Definitions, with ``config`` (default: from the environment)."""
    return dg.Definitions(
        assets=[source_snapshot, *ALL_ASSETS],
        asset_checks=ALL_CHECKS,
        jobs=[ingest_job],
        schedules=SCHEDULES,
        sensors=SENSORS,
        resources={"settings": config or TradeclaimsConfig.from_environment()},
    )


defs = build_definitions()
