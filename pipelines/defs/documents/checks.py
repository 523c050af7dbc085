"""Asset checks on the loaded warehouse (and the staged text it was loaded from).

They run after ``warehouse_claims`` in every run of the asset graph (the ingest
job, ``tradeclaims run``) and can be re-run from the UI. Each check reads the
newest version of every document (``latest_documents``/``latest_claims``), lists
what is wrong in its metadata (the first ``SHOWN`` problems) and counts it all.

* ``claim_text_matches_document``: every claim's ``text`` is the document text at
  ``start:end`` (the staged text of that document version).
* ``no_duplicate_claims``: no span of a document version is claimed twice.
* ``claim_values_plausible``: percent 0–1000, money > 0, dates and periods 1900–2100.
* ``report_chapters_have_claims``: every chapter of every report yields a claim.
* ``failed_documents`` (WARN): the documents whose fetch, parse or extraction failed.

Each ``check_*`` function is plain Python over the settings, so tests run it on a
broken warehouse too; the ``@asset_check`` functions only call it.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs.documents.assets import warehouse_claims
from pipelines.resources import TradeclaimsConfig
from pipelines.steps import Staging, document_from_json, read_json
from warehouse import store

SHOWN = 20
PERCENT_RANGE = (0.0, 1000.0)
YEAR_RANGE = (1900, 2100)
_YEAR = re.compile(r"^(?:FY)?(\d{4})")


def _connect(settings: TradeclaimsConfig) -> duckdb.DuckDBPyConnection:
    # Read-only: the file a writer last swapped in (writers load a copy, never this file).
    return store.connect(settings.warehouse_path, read_only=True, wait_seconds=60)


def _problems_md(problems: list[str]) -> dg.MetadataValue:
    lines = [f"- {p}" for p in problems[:SHOWN]] or ["none"]
    if len(problems) > SHOWN:
        lines.append(f"- … and {len(problems) - SHOWN} more")
    return dg.MetadataValue.md("\n".join(lines))


def _result(problems: list[str], checked: int, what: str,
            severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        passed=not problems, severity=severity,
        description=f"{len(problems)} problem(s) in {checked} {what}",
        metadata={"checked": checked, "problems": len(problems), "details": _problems_md(problems)},
    )


def _texts(staging: Staging, shas: set[str]) -> dict[str, str | None]:
    texts = {}
    for sha in shas:
        path: Path = staging.text(sha)
        texts[sha] = document_from_json(read_json(path)).text if path.exists() else None
    return texts


def check_claim_offsets(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """Every claim's text equals its document's text at ``start:end``."""
    con = _connect(settings)
    try:
        rows = con.execute(
            "SELECT c.claim_id, d.sha256, c.text, c.start_offset, c.end_offset "
            "FROM latest_claims c JOIN latest_documents d USING (document_id)").fetchall()
    finally:
        con.close()
    texts = _texts(settings.staging(), {sha for _, sha, *_ in rows})
    problems = []
    for claim_id, sha, text, start, end in rows:
        doc_text = texts[sha]
        if doc_text is None:
            problems.append(f"`{claim_id}`: the staged text of {sha[:12]} is missing")
        elif doc_text[start:end] != text:
            problems.append(f"`{claim_id}`: text {text!r} but the document has {doc_text[start:end]!r}")
    return _result(problems, len(rows), "claims")


def check_duplicate_claims(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """No span (start, end) of a document version is claimed more than once."""
    con = _connect(settings)
    try:
        (checked,), = con.execute("SELECT count(*) FROM latest_claims").fetchall()
        dupes = con.execute(
            "SELECT document_id, start_offset, end_offset, string_agg(kind || ' ' || text, '; '), count(*) "
            "FROM latest_claims GROUP BY 1, 2, 3 HAVING count(*) > 1 ORDER BY 1, 2").fetchall()
    finally:
        con.close()
    problems = [f"`{doc}` {start}:{end} claimed {n} times ({what})" for doc, start, end, what, n in dupes]
    return _result(problems, checked, "claims")


def _year(value: str | None) -> int | None:
    match = _YEAR.match(value or "")
    return int(match.group(1)) if match else None


def check_claim_values(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """Percentages 0–1000, money > 0, dates and period ends 1900–2100."""
    con = _connect(settings)
    try:
        rows = con.execute("SELECT claim_id, kind, text, value, value_num, low, high, low_num, high_num "
                           "FROM latest_claims").fetchall()
    finally:
        con.close()
    problems = []
    for claim_id, kind, text, value, value_num, low, high, low_num, high_num in rows:
        numbers = [n for n in (value_num, low_num, high_num) if n is not None]
        if kind == "percent":
            bad = [n for n in numbers if not PERCENT_RANGE[0] <= n <= PERCENT_RANGE[1]]
        elif kind == "money":
            bad = [n for n in numbers if n <= 0] or ([] if numbers else ["no amount"])
        elif kind in ("date", "period"):
            years = [_year(v) for v in (value, low, high) if v]
            bad = [v for v in (value, low, high) if v and _year(v) is not None
                   and not YEAR_RANGE[0] <= _year(v) <= YEAR_RANGE[1]]
            if not any(y is not None for y in years):
                bad = bad or [f"no year in {value!r}"]
        else:
            bad = [f"unknown kind {kind!r}"]
        if bad:
            problems.append(f"`{claim_id}` {kind} {text!r}: {', '.join(map(str, bad))}")
    return _result(problems, len(rows), "claims")


def check_report_chapters(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """Every chapter (country) of every report yields at least one claim."""
    con = _connect(settings)
    try:
        reports = con.execute("SELECT document_id, doc_key, sha256 FROM latest_documents "
                              "WHERE doc_type = 'report' ORDER BY doc_key").fetchall()
        claimed = defaultdict(set)
        for document_id, chapter in con.execute(
                "SELECT DISTINCT document_id, chapter FROM latest_claims WHERE chapter IS NOT NULL").fetchall():
            claimed[document_id].add(chapter)
    finally:
        con.close()
    staging = settings.staging()
    problems = []
    chapters_checked = 0
    for document_id, doc_key, sha in reports:
        path = staging.text(sha)
        if not path.exists():
            problems.append(f"{doc_key}: the staged text of {sha[:12]} is missing")
            continue
        chapters = {s.chapter for s in document_from_json(read_json(path)).sections if s.chapter}
        if not chapters:
            problems.append(f"{doc_key}: no chapter found in the report")
        chapters_checked += len(chapters)
        problems += [f"{doc_key}: chapter {chapter!r} yields no claim"
                     for chapter in sorted(chapters - claimed[document_id])]
    result = _result(problems, chapters_checked, f"chapters of {len(reports)} reports")
    return result


def check_failed_documents(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    """The documents that failed (fetch, parse, extract), each with its error; WARN only."""
    con = _connect(settings)
    try:
        errors = con.execute("SELECT doc_key, stage, message FROM errors ORDER BY doc_key, occurred_at").fetchall()
        (documents,), = con.execute("SELECT count(DISTINCT doc_key) FROM documents").fetchall()
    finally:
        con.close()
    problems = [f"**{key}** ({stage}): {message}" for key, stage, message in errors]
    result = _result(problems, documents + len({key for key, *_ in errors}), "documents",
                     severity=dg.AssetCheckSeverity.WARN)
    return result


@dg.asset_check(asset=warehouse_claims, description=check_claim_offsets.__doc__)
def claim_text_matches_document(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_claim_offsets(settings)


@dg.asset_check(asset=warehouse_claims, description=check_duplicate_claims.__doc__)
def no_duplicate_claims(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_duplicate_claims(settings)


@dg.asset_check(asset=warehouse_claims, description=check_claim_values.__doc__)
def claim_values_plausible(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_claim_values(settings)


@dg.asset_check(asset=warehouse_claims, description=check_report_chapters.__doc__)
def report_chapters_have_claims(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_report_chapters(settings)


@dg.asset_check(asset=warehouse_claims, description=check_failed_documents.__doc__)
def failed_documents(settings: TradeclaimsConfig) -> dg.AssetCheckResult:
    return check_failed_documents(settings)


ALL_CHECKS = [claim_text_matches_document, no_duplicate_claims, claim_values_plausible,
              report_chapters_have_claims, failed_documents]
