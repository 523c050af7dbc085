"""Load documents, claims, fetches and errors into the DuckDB warehouse.

One process writes at a time (DuckDB allows one read-write process per file);
the Dagster writer asset runs in a pool limited to 1. Loading is idempotent and
atomic per document version: its rows are replaced in one transaction, so a
failure half-way leaves the previous version as it was.
"""
from __future__ import annotations

import datetime as dt
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa

from warehouse.migrate import migrate

CLAIM_COLUMNS = (
    "claim_id", "document_id", "doc_key", "source", "kind", "text", "start_offset", "end_offset",
    "page", "sentence", "value", "value_num", "low", "high", "low_num", "high_num", "unit",
    "qualifier", "qualifier_text", "topic", "subject", "condition", "period", "rule", "chapter",
    "section", "extractor_version", "run_id",
)
_CLAIM_TYPES = {
    "start_offset": pa.int32(), "end_offset": pa.int32(), "page": pa.int32(),
    "value_num": pa.float64(), "low_num": pa.float64(), "high_num": pa.float64(),
}


class WarehouseBusy(RuntimeError):
    """Another process holds the warehouse's write lock."""


def connect(path: str | Path, read_only: bool = False, wait_seconds: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection is migrated to the newest schema.

    Args:
        path: the DuckDB file (``:memory:`` for tests).
        read_only: open without taking the write lock.
        wait_seconds: how long to retry while another process holds the lock.
    Raises:
        WarehouseBusy: the lock is still held after ``wait_seconds``.
        FileNotFoundError: ``read_only`` and the file does not exist.
    """
    if str(path) != ":memory:":
        path = Path(path)
        if read_only and not path.exists():
            raise FileNotFoundError(f"{path}: no warehouse yet; run `tradeclaims run` first")
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{path}: the warehouse is busy (another process is writing to it); try again shortly") from None
            time.sleep(0.2)
    if not read_only:
        migrate(con)
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in one transaction: all of it lands, or none."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def document_id(doc_key: str, sha256: str) -> str:
    """The id of one version of a document."""
    return f"{doc_key}@{sha256[:16]}"


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def claim_rows(claims: list[dict], doc_id: str, doc_key: str, extractor_version: str,
               run_id: str | None) -> pa.Table:
    """Turn contract claim dicts into an Arrow table with the ``claims`` columns."""
    columns: dict[str, list] = {name: [] for name in CLAIM_COLUMNS}
    for c in claims:
        row = {
            "claim_id": f"{doc_id}:{c['start']}:{c['end']}:{c['kind']}",
            "document_id": doc_id, "doc_key": doc_key, "source": c.get("source"),
            "kind": c["kind"], "text": c["text"], "start_offset": c["start"], "end_offset": c["end"],
            "page": c.get("page"), "sentence": c.get("sentence"),
            "value": _text(c.get("value")), "value_num": _num(c.get("value")),
            "low": _text(c.get("low")), "high": _text(c.get("high")),
            "low_num": _num(c.get("low")), "high_num": _num(c.get("high")),
            "unit": c.get("unit"), "qualifier": c.get("qualifier", "exact"),
            "qualifier_text": c.get("qualifier_text"), "topic": c.get("topic"),
            "subject": c.get("subject"), "condition": c.get("condition"), "period": c.get("period"),
            "rule": c["rule"], "chapter": c.get("chapter"), "section": c.get("section"),
            "extractor_version": extractor_version, "run_id": run_id,
        }
        for name in CLAIM_COLUMNS:
            columns[name].append(row[name])
    schema = pa.schema([(name, _CLAIM_TYPES.get(name, pa.string())) for name in CLAIM_COLUMNS])
    return pa.table(columns, schema=schema)


def load_document(con: duckdb.DuckDBPyConnection, doc: dict[str, Any], claims: list[dict],
                  extractor_version: str, run_id: str | None = None) -> str:
    """Load one document version and its claims, replacing what that version had.

    Args:
        con: a writable connection.
        doc: ``doc_key``, ``sha256`` and the optional ``documents`` columns
            (doc_type, source_url, canonical_url, title, publisher, published,
            report_year, media_type, pages, chars).
        claims: contract claim dicts (``Claim.to_dict()``).
        extractor_version: recorded on every claim.
        run_id: the Dagster run (or CLI run) that loaded it.
    Returns:
        the document id.
    """
    doc_key, sha = doc["doc_key"], doc["sha256"]
    doc_id = document_id(doc_key, sha)
    table = claim_rows(claims, doc_id, doc_key, extractor_version, run_id)
    with transaction(con):
        existing = con.execute("SELECT version FROM documents WHERE document_id = ?", [doc_id]).fetchall()
        if existing:
            version = existing[0][0]
        else:
            version = con.execute(
                "SELECT coalesce(max(version), 0) + 1 FROM documents WHERE doc_key = ?", [doc_key]
            ).fetchall()[0][0]
        con.execute("DELETE FROM claims WHERE document_id = ?", [doc_id])
        con.execute("DELETE FROM documents WHERE document_id = ?", [doc_id])
        con.execute(
            """INSERT INTO documents (document_id, doc_key, version, sha256, doc_type, source_url,
                   canonical_url, title, publisher, published, report_year, media_type, pages, chars,
                   loaded_at, run_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?)""",
            [doc_id, doc_key, version, sha, doc.get("doc_type"), doc.get("source_url"),
             doc.get("canonical_url"), doc.get("title"), doc.get("publisher"), doc.get("published"),
             doc.get("report_year"), doc.get("media_type"), doc.get("pages"), doc.get("chars"), run_id],
        )
        con.register("_incoming_claims", table)
        try:
            con.execute(f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) SELECT * FROM _incoming_claims")
        finally:
            con.unregister("_incoming_claims")
    return doc_id


def record_error(con: duckdb.DuckDBPyConnection, stage: str, message: str, doc_key: str | None = None,
                 url: str | None = None, run_id: str | None = None) -> None:
    """Record a document error (the message names the input and the problem)."""
    con.execute("INSERT INTO errors VALUES (?, ?, ?, ?, now(), ?)", [doc_key, url, stage, message, run_id])


def clear_errors(con: duckdb.DuckDBPyConnection, doc_key: str) -> None:
    """Forget the errors of a document that has now loaded (kept in older runs' history otherwise)."""
    con.execute("DELETE FROM errors WHERE doc_key = ?", [doc_key])


def record_fetch(con: duckdb.DuckDBPyConnection, row: dict[str, Any], doc_key: str | None,
                 run_id: str | None = None) -> None:
    """Append one fetch log row (``FetchResult.to_row()``); the same fetch twice is kept once."""
    con.execute(
        """INSERT INTO fetches (url, doc_key, final_url, status, ok, not_modified, etag, last_modified,
               sha256, bytes, media_type, attempts, fetched_at, error, run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
        [row.get("url"), doc_key, row.get("final_url"), row.get("status"), row.get("ok"),
         row.get("not_modified"), row.get("etag"), row.get("last_modified"), row.get("sha256"),
         row.get("bytes"), row.get("media_type"), row.get("attempts"), row.get("fetched_at"),
         row.get("error"), run_id],
    )


def record_run(con: duckdb.DuckDBPyConnection, run_id: str, registry: str | None,
               started_at: dt.datetime | None = None) -> None:
    """Record (or refresh) a run with its current counts."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM latest_documents), (SELECT count(*) FROM latest_claims),"
        " (SELECT count(*) FROM errors WHERE run_id = ?)", [run_id]
    ).fetchall()[0]
    con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
    con.execute("INSERT INTO runs VALUES (?, ?, ?, now(), ?, ?, ?)",
                [run_id, registry, started_at or dt.datetime.now(), *counts])
