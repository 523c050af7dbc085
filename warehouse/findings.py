"""Findings from the loaded claims: edition changes, news checks, and offset alerts.

``edition_changes`` and ``claim_checks`` are tables (migration 009; views in 007), kept
up to date by :func:`refresh`, which the loader calls in the transaction of every load:
a reader's query reads rows instead of pairing claims, and a load recomputes only the
chapters, subjects and news documents it can change (the SQL is the table macros
``edition_changes_of`` and ``claim_checks_of``). This module also reads summaries of them
for the Dagster assets and the CLI, and writes the ``alerts`` table. Only the warehouse
writer calls :func:`refresh` and :func:`record_alerts` (the ``alerts`` asset runs in the
``warehouse_writer`` pool): DuckDB allows one writing process per file.
"""
from __future__ import annotations

import duckdb

CHANGES = ("unchanged", "revised", "added", "removed")
VERDICTS = ("consistent", "contradicts", "unverified")
ALERT_CHANGES = ("revised", "added", "removed")
ALERT_TOPIC = "offset"

# What a load of some documents can change. Touched: every version of their sources and every
# document with the same bytes (which news copy counts depends on them all). Chapters: those
# the touched reports' claims are in now, or were in (their rows in edition_changes).
# Subjects: every subject of those chapters, and those whose checks read a touched report.
_SCOPE = """
CREATE OR REPLACE TEMP TABLE _touched AS
SELECT document_id, doc_type FROM documents
WHERE doc_key IN (SELECT doc_key FROM documents WHERE document_id IN (SELECT document_id FROM _loaded))
   OR sha256 IN (SELECT sha256 FROM documents WHERE document_id IN (SELECT document_id FROM _loaded));
CREATE OR REPLACE TEMP TABLE _chapters AS
SELECT DISTINCT chapter_subject FROM claims
WHERE document_id IN (SELECT document_id FROM _touched WHERE doc_type = 'report')
  AND chapter_subject IS NOT NULL AND claim_key IS NOT NULL
UNION SELECT chapter_subject FROM edition_changes
WHERE split_part(old_claim_id, ':', 1) IN (SELECT document_id FROM _touched)
   OR split_part(new_claim_id, ':', 1) IN (SELECT document_id FROM _touched);
CREATE OR REPLACE TEMP TABLE _subjects AS
SELECT DISTINCT subject FROM claims
WHERE chapter_subject IN (SELECT chapter_subject FROM _chapters) AND claim_key IS NOT NULL
UNION SELECT subject FROM claim_checks WHERE split_part(report_claim_id, ':', 1) IN (SELECT document_id FROM _touched);
"""
_EVERYTHING = """
CREATE OR REPLACE TEMP TABLE _chapters AS
SELECT DISTINCT chapter_subject FROM claims WHERE chapter_subject IS NOT NULL AND claim_key IS NOT NULL;
CREATE OR REPLACE TEMP TABLE _subjects AS
SELECT DISTINCT subject FROM claims WHERE kind IN ('money', 'percent') AND subject IS NOT NULL;
CREATE OR REPLACE TEMP TABLE _touched AS SELECT document_id, doc_type FROM documents WHERE false;
"""
_REFRESH_CHANGES = """
DELETE FROM edition_changes WHERE chapter_subject IN (SELECT chapter_subject FROM _chapters);
INSERT INTO edition_changes
SELECT * FROM edition_changes_of((SELECT coalesce(list(chapter_subject), []) FROM _chapters));
"""
_REFRESH_CHECKS = """
DELETE FROM claim_checks
WHERE subject IN (SELECT subject FROM _subjects) OR news_document_id IN (SELECT document_id FROM _touched);
INSERT INTO claim_checks
SELECT * FROM claim_checks_of((SELECT coalesce(list(subject), []) FROM _subjects),
                              (SELECT coalesce(list(document_id), []) FROM _touched));
"""


def refresh(con: duckdb.DuckDBPyConnection, document_ids: list[str] | None = None) -> dict[str, int]:
    """Bring the ``edition_changes`` and ``claim_checks`` tables up to date after a load.

    Args:
        con: a writable connection, inside the load's transaction (so readers see the
            claims and their findings change together).
        document_ids: the document versions just loaded (their rows are in place);
            None recomputes everything (after a migration).
    Returns:
        how many chapters and subjects were recomputed.
    """
    if document_ids is None:
        con.execute("DELETE FROM edition_changes; DELETE FROM claim_checks")
        con.execute(_EVERYTHING)
    else:
        con.execute("CREATE OR REPLACE TEMP TABLE _loaded AS SELECT unnest(?::VARCHAR[]) AS document_id",
                    [list(document_ids)])
        con.execute(_SCOPE)
    (chapters, subjects, touched), = con.execute(
        "SELECT (SELECT count(*) FROM _chapters), (SELECT count(*) FROM _subjects), (SELECT count(*) FROM _touched)"
    ).fetchall()
    # An empty scope costs nothing (the macros would still read the report measures).
    if chapters:
        con.execute(_REFRESH_CHANGES)
    if subjects or touched:
        con.execute(_REFRESH_CHECKS)
    con.execute("DROP TABLE IF EXISTS _loaded; DROP TABLE _touched; DROP TABLE _chapters; DROP TABLE _subjects")
    return {"chapters": int(chapters), "subjects": int(subjects)}


# The newer edition's document of each change: a removed claim has no new claim, so the
# document comes from the edition (chapter subject and year) the change is read against.
_NEW_ALERTS = """
WITH changes AS (
    SELECT e.subject, e.claim_key, e.change, e.old_text, e.new_text, e.new_report_year,
           coalesce(rn.chapter_subject, ro.chapter_subject) AS chapter_subject
    FROM edition_changes e
    LEFT JOIN report_measures rn ON rn.claim_id = e.new_claim_id
    LEFT JOIN report_measures ro ON ro.claim_id = e.old_claim_id
    WHERE e.topic = ? AND e.change IN ('revised', 'added', 'removed')
),
editions AS (
    SELECT DISTINCT chapter_subject, report_year, coalesce(document, doc_key) AS document FROM report_measures
)
SELECT DISTINCT c.subject, c.claim_key, c.change, c.old_text AS old, c.new_text AS new, ed.document
FROM changes c
JOIN editions ed ON ed.chapter_subject = c.chapter_subject AND ed.report_year = c.new_report_year
WHERE NOT EXISTS (
    SELECT 1 FROM alerts a
    WHERE a.claim_key = c.claim_key AND a.change = c.change AND a.old IS NOT DISTINCT FROM c.old_text
      AND a.new IS NOT DISTINCT FROM c.new_text AND a.document IS NOT DISTINCT FROM ed.document)
ORDER BY c.subject, c.claim_key, c.change
"""


def record_alerts(con: duckdb.DuckDBPyConnection, topic: str = ALERT_TOPIC) -> list[dict]:
    """Add one ``alerts`` row per revised, added or removed claim of ``topic`` not alerted yet.

    A change is alerted once: the same warehouse evaluated again adds nothing, and a
    new edition adds the changes it brings. The first evaluation of a warehouse alerts
    every change already loaded.

    Returns:
        the new alerts (``subject, claim_key, change, old, new, document``).
    """
    # One statement: the check for earlier alerts and the insert are atomic together.
    cursor = con.execute(
        f"INSERT INTO alerts (created_at, subject, claim_key, change, old, new, document) "
        f"SELECT now(), * FROM ({_NEW_ALERTS}) RETURNING subject, claim_key, change, old, new, document",
        [topic])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def alert_line(alert: dict) -> str:
    """One log line for an alert: ``KOR offset rule revised in <document>: 50 percent -> 40 percent``."""
    old, new = alert.get("old"), alert.get("new")
    what = {"revised": f"{old} -> {new}", "added": f"new: {new}", "removed": f"dropped: {old}"}[alert["change"]]
    return f"{alert['subject']} offset claim {alert['change']} in {alert['document']}: {what} [{alert['claim_key']}]"


def counts(con: duckdb.DuckDBPyConnection, view: str) -> dict[str, int]:
    """Rows of ``edition_changes`` by change, or of ``claim_checks`` by verdict (every value, 0 when none)."""
    column, values = {"edition_changes": ("change", CHANGES), "claim_checks": ("verdict", VERDICTS)}[view]
    found = dict(con.execute(f"SELECT {column}, count(*) FROM {view} GROUP BY 1").fetchall())
    return {value: int(found.get(value, 0)) for value in values}


PREVIEW_SQL = {
    "edition_changes": (
        "SELECT subject, topic, change, old_report_year AS old_year, new_report_year AS new_year, old_text, new_text "
        "FROM edition_changes ORDER BY change = 'unchanged', subject, topic, coalesce(new_claim_id, old_claim_id)"),
    "claim_checks": (
        "SELECT subject, news_text, verdict, reason, news_document FROM claim_checks "
        "ORDER BY verdict = 'unverified', verdict, subject, news_claim_id"),
}


def preview(con: duckdb.DuckDBPyConnection, view: str, limit: int = 10) -> tuple[list[str], list[tuple]]:
    """The first rows of a findings view, the interesting ones first (changes, contradictions)."""
    cursor = con.execute(f"{PREVIEW_SQL[view]} LIMIT {int(limit)}")
    return [d[0] for d in cursor.description], cursor.fetchall()


def markdown_table(columns: list[str], rows: list[tuple]) -> str:
    """A markdown table (Dagster metadata), cells escaped."""
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
