"""The asset check on ``claim_checks``: WARN when a news figure contradicts the report."""
from __future__ import annotations

import dagster as dg

from pipelines.defs.documents.checks import _problems_md
from pipelines.defs.findings.assets import claim_checks
from pipelines.resources import TradeclaimsConfig
from warehouse import store


def check_news_contradictions(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """No news figure contradicts the report edition it is checked against (WARN: news can be wrong)."""
    con = store.connect(settings.warehouse_path, read_only=True, wait_seconds=60)
    try:
        (checked,), = con.execute("SELECT count(*) FROM claim_checks").fetchall()
        rows = con.execute(
            "SELECT subject, news_text, news_document, reason FROM claim_checks WHERE verdict = 'contradicts' "
            "ORDER BY subject, news_claim_id").fetchall()
    finally:
        con.close()
    problems = [f"**{subject}** {text!r} in *{document}*: {reason}" for subject, text, document, reason in rows]
    return dg.AssetCheckResult(
        passed=not problems, severity=dg.AssetCheckSeverity.WARN,
        description=f"{len(problems)} of {checked} news figures contradict the report",
        metadata={"checked": int(checked), "contradictions": len(problems),
                  "details": _problems_md(problems)})


@dg.asset_check(asset=claim_checks, description=check_news_contradictions.__doc__)
def news_agrees_with_report(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_news_contradictions(settings)
