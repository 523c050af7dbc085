"""The job every schedule and sensor targets: the whole asset graph, for some partitions."""
import dagster as dg

from pipelines.defs.documents.assets import document_claims, document_text, raw_documents, warehouse_claims
from pipelines.defs.documents.evidence import evidence_snapshots

ingest_job = dg.define_asset_job(
    "ingest_documents",
    selection=dg.AssetSelection.assets(raw_documents, document_text, document_claims, warehouse_claims,
                                       evidence_snapshots),
    description="Fetch, parse, extract and load the selected documents (one partition per document), "
                "and snapshot their top claims.",
)
