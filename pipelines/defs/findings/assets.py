"""edition_changes and claim_checks (read the findings tables), and alerts (writes).

``edition_changes`` and ``claim_checks`` are tables the loader keeps up to date in each
load's transaction (migration 009, ``warehouse.findings.refresh``): these assets compute
nothing the warehouse does not already answer; they put the findings in the lineage graph, after
``warehouse_claims``, with their counts and first rows as metadata. ``alerts`` writes
the ``alerts`` table, so it writes like the loader: in the ``warehouse_writer`` pool,
through ``store.writer`` (copy, write, swap; readers are never held up). The ``offset_alerts_sensor`` requests it (see sensors.py).
"""
import dagster as dg

from pipelines.defs.documents.assets import WAREHOUSE_POOL, warehouse_claims
from pipelines.resources import TradeclaimsConfig
from warehouse import findings, store

PREVIEW_ROWS = 10


def _view_result(settings: TradeclaimsConfig, view: str) -> dg.MaterializeResult:
    con = store.connect(settings.warehouse_path, read_only=True, wait_seconds=60)
    try:
        counts = findings.counts(con, view)
        columns, rows = findings.preview(con, view, PREVIEW_ROWS)
    finally:
        con.close()
    return dg.MaterializeResult(metadata={
        **counts,
        "rows": sum(counts.values()),
        "preview": dg.MetadataValue.md(findings.markdown_table(columns, rows) if rows else "none"),
    })


@dg.asset(group_name="findings", deps=[warehouse_claims], kinds={"duckdb"})
def edition_changes(settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """What changed between consecutive editions of each report chapter (table ``edition_changes``)."""
    return _view_result(settings, "edition_changes")


@dg.asset(group_name="findings", deps=[warehouse_claims], kinds={"duckdb"})
def claim_checks(settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """What the report says about each figure in the news (table ``claim_checks``)."""
    return _view_result(settings, "claim_checks")


@dg.asset(group_name="findings", deps=[edition_changes], pool=WAREHOUSE_POOL, kinds={"duckdb"})
def alerts(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Alert on offset claims a newly loaded edition revised, added or removed (table ``alerts``)."""
    # The same single-writer path as warehouse_claims: a copy of the file, swapped in when done.
    with store.writer(settings.warehouse_path) as con:
        new = findings.record_alerts(con)
        (total,), = con.execute("SELECT count(*) FROM alerts").fetchall()
    for alert in new:
        context.log.warning(f"ALERT {findings.alert_line(alert)}")
    columns = ["subject", "change", "old", "new", "document"]
    return dg.MaterializeResult(metadata={
        "new_alerts": len(new),
        "alerts": int(total),
        "new": dg.MetadataValue.md(
            findings.markdown_table(columns, [tuple(a[c] for c in columns) for a in new]) if new else "none"),
    })


findings_job = dg.define_asset_job(
    "findings",
    selection=dg.AssetSelection.assets(edition_changes, claim_checks, alerts),
    description="Read the edition changes and news checks, and alert on changed offset claims.",
)
