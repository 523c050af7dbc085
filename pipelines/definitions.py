"""The Dagster code location: every definition of tradeclaims, assembled in one place."""
from __future__ import annotations

import dagster as dg

from pipelines.defs.documents.assets import document_claims, document_text, raw_documents, warehouse_claims
from pipelines.resources import TradeclaimsConfig

ALL_ASSETS = [raw_documents, document_text, document_claims, warehouse_claims]

ingest_job = dg.define_asset_job("ingest_documents", selection=ALL_ASSETS)


def build_definitions(config: TradeclaimsConfig | None = None) -> dg.Definitions:
    """Return the Definitions, with ``config`` (default: from the environment)."""
    return dg.Definitions(
        assets=ALL_ASSETS,
        jobs=[ingest_job],
        resources={"settings": config or TradeclaimsConfig.from_environment()},
    )


defs = build_definitions()
