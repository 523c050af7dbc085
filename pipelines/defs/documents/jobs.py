"""The two jobs of the one orchestration path (ingest.py): a snapshot, then the changed documents."""
import dagster as dg

from pipelines.defs.documents.assets import (
    document_claims,
    document_text,
    raw_documents,
    source_snapshot,
    warehouse_claims,
)
from pipelines.defs.documents.evidence import evidence_snapshots

# The findings views read what a load changed: they run after it, in the same run
# (by key: their module depends on this package).
FINDINGS_KEYS = [dg.AssetKey("edition_changes"), dg.AssetKey("claim_checks")]

snapshot_job = dg.define_asset_job(
    "snapshot_sources",
    selection=dg.AssetSelection.assets(source_snapshot),
    description="Fetch registry sources with conditional GETs (all of them, or the keys in the config); "
                "the ingest_after_snapshot sensor then starts one ingest_documents run over what changed.",
)

ingest_job = dg.define_asset_job(
    "ingest_documents",
    selection=dg.AssetSelection.assets(raw_documents, document_text, document_claims, warehouse_claims,
                                       evidence_snapshots, *FINDINGS_KEYS),
    description="Fetch, parse, extract and load a range of documents (one partition per document), "
                "with the asset checks, snapshot their top claims, then the findings views.",
)
