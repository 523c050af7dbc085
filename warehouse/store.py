"""Load documents, claims, fetches and errors into the DuckDB warehouse.

One process writes at a time (DuckDB allows one read-write process per file):
the Dagster writer asset runs in a pool limited to 1 and loads through
:func:`warehouse.connection.writer`, on a copy that replaces the file when the
load is done, so readers are never locked out. Loading is idempotent and atomic
per document version: its rows are replaced in one transaction, so a failure
half-way leaves the previous version as it was.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from bisect import bisect_right
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extractors.claim import CONTRACT, Claim
from extractors.dates import as_date
from warehouse import findings, frames
from warehouse.claim_columns import CLAIM_COLUMNS, INTERVAL_COLUMNS, LOADED, arrow_type, loaded_schema, sql_type

# The warehouse is opened in one place; these names are re-exported for the loaders' callers.
from warehouse.connection import WarehouseBusy, connect, writer  # noqa: F401

# The claims columns (CLAIM_COLUMNS, INTERVAL_COLUMNS) come from the claim contract:
# warehouse/claim_columns.py. What the warehouse derives from each claim's own fields
# (migration 007): its interval (lo_num, hi_num, lo_open, hi_open: SQL macros inside the
# INSERT, column-wise) and the measure it states (claim_frame, condition_frame, claim_key,
# chapter_subject, key_occurrence: warehouse/frames.py, when claims become rows).
_INTERVALS_FROM = ("kind", "qualifier", "value_num", "low_num", "high_num")


def claims_with_intervals(con: duckdb.DuckDBPyConnection, source: str) -> str:
    """A SELECT of the claims in ``source`` (a table, view or table function) plus their intervals.

    Columns the intervals read but ``source`` lacks (a partial bulk load) count as NULL.
    """
    present = {d[0] for d in con.execute(f"SELECT * FROM {source} LIMIT 0").description}
    excluded = ", ".join(f"'{c}'" for c in INTERVAL_COLUMNS)
    missing = "".join(f", NULL::{sql_type(name)} AS {name}" for name in _INTERVALS_FROM if name not in present)
    return (
        "SELECT *, claim_lo(kind, qualifier, value_num, low_num, high_num) AS lo_num,"
        " claim_hi(kind, qualifier, value_num, low_num, high_num) AS hi_num,"
        " claim_lo_open(kind, qualifier) AS lo_open, claim_hi_open(kind, qualifier) AS hi_open"
        f" FROM (SELECT COLUMNS(lambda c: c NOT IN ({excluded})){missing} FROM {source})")


def with_measures(table: pa.Table) -> pa.Table:
    """``table`` (claims) with the measure columns of :func:`warehouse.frames.derive` (replaced if present)."""
    columns = {name: table.column(name).to_pylist() for name in frames.DERIVED_FROM if name in table.column_names}
    columns.setdefault("kind", [None] * table.num_rows)
    derived = frames.derive(columns)
    for name in frames.DERIVED:
        array = pa.array(derived[name], arrow_type(name))
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, array)
        else:
            table = table.append_column(name, array)
    return table


def fill_measures(con: duckdb.DuckDBPyConnection) -> int:
    """Derive the measure columns of money and percent claims that lack them; return how many.

    Claims loaded before migration 007, and every claim again after 009 (new frames);
    the findings tables are then recomputed. A warehouse migrated to an older schema
    only (no measure columns yet) is left alone.
    """
    if not _has_table(con, "claims", "claim_frame"):
        return 0
    missing = con.sql(
        "SELECT claim_id, " + ", ".join(frames.DERIVED_FROM) + " FROM claims"
        " WHERE kind IN ('money', 'percent') AND claim_frame IS NULL").to_arrow_table()
    if missing.num_rows == 0:
        return 0
    # Chapter subjects and occurrences count every money/percent claim of the document.
    docs = pa.array(sorted(set(missing.column("document_id").to_pylist())), pa.string())
    con.register("_fill_docs", pa.table({"document_id": docs}))
    try:
        whole = con.sql(
            "SELECT claim_id, " + ", ".join(frames.DERIVED_FROM) + " FROM claims WHERE kind IN ('money', 'percent')"
            " AND document_id IN (SELECT document_id FROM _fill_docs)").to_arrow_table()
    finally:
        _unregister(con, "_fill_docs")
    derived = with_measures(whole).select(["claim_id", *frames.DERIVED])
    con.register("_filled", derived)
    try:
        with transaction(con):
            con.execute("UPDATE claims SET " + ", ".join(f"{c} = f.{c}" for c in frames.DERIVED)
                        + " FROM _filled f WHERE claims.claim_id = f.claim_id")
            if _has_table(con, "claim_checks", "news_document_id"):
                findings.refresh(con)
    finally:
        _unregister(con, "_filled")
    return missing.num_rows


def _has_table(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether the warehouse's schema has ``table`` with ``column`` (a migration applied)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                            [table, column]).fetchall()[0][0])


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
    """Turn contract claim dicts into an Arrow table with the ``claims`` columns.

    A required field must be in each dict (``KeyError`` otherwise) unless the
    :class:`~extractors.claim.Claim` has a default for it (``qualifier``); an optional
    field may be missing (NULL).
    """
    return with_measures(_contract_rows(claims, doc_id, doc_key, extractor_version, run_id))


def _contract_rows(claims: list[dict], doc_id: str, doc_key: str, extractor_version: str,
                   run_id: str | None) -> pa.Table:
    """:func:`claim_rows` without the measure columns (:func:`with_measures` adds them)."""
    n = len(claims)
    columns: dict[str, list] = {
        "claim_id": [f"{doc_id}:{c['start']}:{c['end']}:{c['kind']}" for c in claims],
        "document_id": [doc_id] * n, "doc_key": [doc_key] * n,
        "extractor_version": [extractor_version] * n, "run_id": [run_id] * n,
    }
    for column in LOADED:
        if column.field is None:
            continue
        name = column.field
        if name in _MUST_HAVE:
            values = [c[name] for c in claims]
        else:
            default = _DEFAULTS.get(name)
            values = [c.get(name, default) for c in claims]
        if column.reading == "text":
            values = [_text(v) for v in values]
        elif column.reading == "number":
            values = [_num(v) for v in values]
        columns[column.name] = values
    return pa.table({name: columns[name] for name in CLAIM_COLUMNS}, schema=loaded_schema())


_REQUIRED = {f.name for f in CONTRACT if f.required}
# A required field that a claim dict may leave out gets the Claim's default (qualifier: "exact").
_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Claim)
             if f.name in _REQUIRED and f.default is not dataclasses.MISSING}
_MUST_HAVE = _REQUIRED - set(_DEFAULTS)


def page_rows(pages: list[dict], doc_id: str) -> pa.Table:
    """Turn page spans (``{"number", "start", "end"}``, as staged) into ``pages`` rows."""
    return pa.table({
        "document_id": pa.array([doc_id] * len(pages), pa.string()),
        "page": pa.array([p["number"] for p in pages], pa.int32()),
        "start_offset": pa.array([p["start"] for p in pages], pa.int32()),
        "end_offset": pa.array([p["end"] for p in pages], pa.int32()),
    })


def section_rows(sections: list[dict], pages: list[dict], doc_id: str) -> pa.Table:
    """Turn section spans (``{"start", "end", "chapter", "section"}``, as staged) into ``sections`` rows.

    The first and last page of each section come from the page spans.
    """
    starts = [p["start"] for p in pages]

    def page_at(offset: int) -> int | None:
        if not pages:
            return None
        return pages[max(bisect_right(starts, offset) - 1, 0)]["number"]

    return pa.table({
        "document_id": pa.array([doc_id] * len(sections), pa.string()),
        "section_no": pa.array(range(len(sections)), pa.int32()),
        "chapter": pa.array([s.get("chapter") for s in sections], pa.string()),
        "section": pa.array([s.get("section") for s in sections], pa.string()),
        "start_offset": pa.array([s["start"] for s in sections], pa.int32()),
        "end_offset": pa.array([s["end"] for s in sections], pa.int32()),
        "page": pa.array([page_at(s["start"]) for s in sections], pa.int32()),
        "end_page": pa.array([page_at(max(s["end"] - 1, s["start"])) for s in sections], pa.int32()),
    })


def is_loaded(con: duckdb.DuckDBPyConnection, doc_id: str, extractor_version: str) -> bool:
    """Whether this document version is loaded by this extractor version and is its newest version."""
    return doc_id in loaded_ids(con, [doc_id], extractor_version)


def loaded_ids(con: duckdb.DuckDBPyConnection, doc_ids: list[str], extractor_version: str) -> set[str]:
    """The ids of ``doc_ids`` that :func:`is_loaded` holds for, in one query (a run asks for hundreds)."""
    if not doc_ids:
        return set()
    rows = con.execute(
        "SELECT d.document_id FROM documents d WHERE d.document_id IN (SELECT unnest(?)) AND d.extractor_version = ?"
        " AND d.version = (SELECT max(version) FROM documents x WHERE x.doc_key = d.doc_key)",
        [list(doc_ids), extractor_version]).fetchall()
    return {doc_id for doc_id, in rows}


def next_version(con: duckdb.DuckDBPyConnection, doc_key: str, doc_id: str) -> int:
    """The version a load of ``doc_id`` gets: its own if it is the newest, else a new one.

    Content that comes back (A, then B, then A again) becomes the newest version again.
    """
    return next_versions(con, [(doc_key, doc_id)])[doc_id]


def next_versions(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> dict[str, int]:
    """:func:`next_version` of each ``(doc_key, doc_id)``, in one query."""
    if not keys:
        return {}
    rows = con.execute(
        "SELECT k.doc_id, (SELECT version FROM documents WHERE document_id = k.doc_id),"
        " (SELECT coalesce(max(version), 0) FROM documents WHERE doc_key = k.doc_key)"
        " FROM (SELECT unnest(?) AS doc_key, unnest(?) AS doc_id) k",
        [[key for key, _ in keys], [doc_id for _, doc_id in keys]]).fetchall()
    return {doc_id: own if own is not None and own == newest else newest + 1 for doc_id, own, newest in rows}


def write_document(con: duckdb.DuckDBPyConnection, doc: dict[str, Any], claims: list[dict],
                  extractor_version: str, run_id: str | None = None,
                  pages: list[dict] | None = None, sections: list[dict] | None = None) -> str:
    """Load one document version with its claims, pages and sections, replacing what that version had.

    Everything happens in one transaction: a failure half-way (or a killed
    process) leaves the rows of the previous load as they were.

    Args:
        con: a writable connection.
        doc: ``doc_key``, ``sha256`` and the optional ``documents`` columns
            (doc_type, source_url, canonical_url, title, publisher, published,
            report_year, media_type, pages, chars); it may also carry the page and
            section spans as ``page_spans`` and ``section_spans`` (what
            :func:`pipelines.steps.document_row` stages).
        claims: contract claim dicts (``Claim.to_dict()``).
        extractor_version: recorded on every claim.
        run_id: the Dagster run (or CLI run) that loaded it.
        pages: page spans ``{"number", "start", "end"}`` (default: ``doc["page_spans"]``).
        sections: section spans ``{"start", "end", "chapter", "section"}``
            (default: ``doc["section_spans"]``).
    Returns:
        the document id.
    """
    doc_key, sha = doc["doc_key"], doc["sha256"]
    doc_id = document_id(doc_key, sha)
    pages = list(pages if pages is not None else doc.get("page_spans") or [])
    sections = list(sections if sections is not None else doc.get("section_spans") or [])
    table = claim_rows(claims, doc_id, doc_key, extractor_version, run_id)
    page_table = page_rows(pages, doc_id)
    section_table = section_rows(sections, pages, doc_id)
    with transaction(con):
        version = next_version(con, doc_key, doc_id)
        con.execute("DELETE FROM claims WHERE document_id = ?", [doc_id])
        con.execute("DELETE FROM pages WHERE document_id = ?", [doc_id])
        con.execute("DELETE FROM sections WHERE document_id = ?", [doc_id])
        con.execute("DELETE FROM documents WHERE document_id = ?", [doc_id])
        con.execute(
            """INSERT INTO documents (document_id, doc_key, version, sha256, doc_type, source_url,
                   canonical_url, title, publisher, published, report_year, media_type, pages, chars,
                   loaded_at, run_id, extractor_version)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?, ?)""",
            [doc_id, doc_key, version, sha, doc.get("doc_type"), doc.get("source_url"),
             doc.get("canonical_url"), doc.get("title"), doc.get("publisher"), doc.get("published"),
             doc.get("report_year"), doc.get("media_type"), doc.get("pages"), doc.get("chars"), run_id,
             extractor_version],
        )
        _insert(con, "claims", table)
        _insert(con, "pages", page_table)
        _insert(con, "sections", section_table)
        findings.refresh(con, [doc_id])
    return doc_id


def _insert(con: duckdb.DuckDBPyConnection, target: str, table: pa.Table) -> None:
    """Append an Arrow table to ``target``, matching columns by name."""
    if table.num_rows == 0:
        return
    name = f"_incoming_{target}"
    con.register(name, table)
    try:
        select = claims_with_intervals(con, name) if target == "claims" else f"SELECT * FROM {name}"
        con.execute(f"INSERT INTO {target} BY NAME {select}")
    finally:
        _unregister(con, name)


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered Arrow view, also inside a transaction that failed.

    DuckDB refuses catalog changes in an aborted transaction; the view is then
    dropped when the transaction ends (a later ``register`` of the same name
    replaces it anyway), and the original error is the one raised.
    """
    try:
        con.unregister(name)
    except duckdb.TransactionException:
        pass


DOCUMENT_COLUMNS = (
    "document_id", "doc_key", "version", "sha256", "doc_type", "source_url", "canonical_url", "title",
    "publisher", "published", "report_year", "media_type", "pages", "chars", "loaded_at", "run_id",
    "extractor_version",
)


def load_bulk(con: duckdb.DuckDBPyConnection, documents: pa.Table, claims: pa.Table | str,
              pages: pa.Table | None = None, sections: pa.Table | None = None,
              refresh_findings: bool = True) -> int:
    """Load many document versions at once from Arrow tables (or Parquet files), in one transaction.

    The fast path for back-fills and benchmarks: rows go in column-wise
    (DuckDB scans the Arrow buffers or the Parquet file), not one Python dict at
    a time. Like :func:`write_document` it is idempotent: every document id in
    ``documents`` has its previous rows replaced.

    Args:
        con: a writable connection.
        documents: ``documents`` columns by name; ``document_id``, ``doc_key`` and
            ``sha256`` are required. ``version`` defaults to the loaded version of
            the same id, else the next number for its ``doc_key``; ``loaded_at``
            to now.
        claims: ``claims`` columns by name (``claim_id``, ``document_id``, … as
            :data:`CLAIM_COLUMNS`), or the path of a Parquet file holding them.
        pages, sections: optional ``pages`` / ``sections`` rows by name.
        refresh_findings: bring ``edition_changes`` and ``claim_checks`` up to date in
            the same transaction (:func:`warehouse.findings.refresh`); a caller that
            passes False must call it before readers see the file.
    Returns:
        the number of claims loaded.
    """
    names = set(documents.column_names)
    missing = {"document_id", "doc_key", "sha256"} - names
    if missing:
        raise ValueError(f"load_bulk: documents lack the columns {sorted(missing)}")
    preserve = con.execute("SELECT current_setting('preserve_insertion_order')").fetchall()[0][0]
    # Rows may land in any order (claims are found by key, never by position): lets DuckDB
    # insert from all its threads at once.
    con.execute("SET preserve_insertion_order = false")
    con.register("_bulk_documents", documents)
    claims_source = "_bulk_claims"
    if isinstance(claims, (str, Path)) and "claim_frame" not in pq.read_schema(claims).names:
        claims = pq.read_table(claims)  # the measures are derived in Python: read the file here
    if isinstance(claims, pa.Table) and "claim_frame" not in claims.column_names:
        claims = with_measures(claims)
    try:
        if isinstance(claims, (str, Path)):
            claims_source = f"read_parquet('{str(claims).replace(chr(39), chr(39) * 2)}')"
        else:
            con.register("_bulk_claims", claims)
        with transaction(con):
            version = "b.version" if "version" in names else (
                "coalesce(old.version, (SELECT coalesce(max(x.version), 0) FROM documents x"
                " WHERE x.doc_key = b.doc_key) + row_number() OVER (PARTITION BY b.doc_key ORDER BY b.document_id))")
            loaded_at = "b.loaded_at" if "loaded_at" in names else "now()::TIMESTAMP"
            others = [c for c in DOCUMENT_COLUMNS if c in names and c not in ("version", "loaded_at")]
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _bulk_docs AS SELECT "
                + ", ".join(f"b.{c}" for c in others)
                + f", {version} AS version, {loaded_at} AS loaded_at "
                "FROM _bulk_documents b LEFT JOIN documents old USING (document_id)")
            for table in ("claims", "pages", "sections", "documents"):
                con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT document_id FROM _bulk_docs)")
            con.execute("INSERT INTO documents BY NAME SELECT * FROM _bulk_docs")
            strays = con.execute(
                f"SELECT count(*) FROM {claims_source} WHERE document_id NOT IN (SELECT document_id FROM _bulk_docs)"
            ).fetchall()[0][0]
            if strays:
                raise ValueError(f"load_bulk: {strays} claims belong to no document of this load")
            loaded = con.execute(f"INSERT INTO claims BY NAME {claims_with_intervals(con, claims_source)}").fetchall()[0][0]
            if pages is not None:
                _insert(con, "pages", pages)
            if sections is not None:
                _insert(con, "sections", sections)
            if refresh_findings:
                findings.refresh(con, [d for (d,) in con.execute("SELECT document_id FROM _bulk_docs").fetchall()])
            con.execute("DROP TABLE _bulk_docs")
    finally:
        _unregister(con, "_bulk_documents")
        if claims_source == "_bulk_claims":
            _unregister(con, "_bulk_claims")
        con.execute(f"SET preserve_insertion_order = {bool(preserve)}")
    return loaded


def write_documents(con: duckdb.DuckDBPyConnection, items: list[tuple[dict[str, Any], list[dict]]],
                   extractor_version: str, run_id: str | None = None) -> list[str]:
    """Load many staged documents in one bulk transaction (:func:`load_bulk`).

    Args:
        items: ``(doc, claims)`` pairs as :func:`write_document` takes them.
    Returns:
        the document ids, in the order given.
    """
    doc_ids, documents, claims, pages, sections = [], [], [], [], []
    versions = next_versions(con, [(doc["doc_key"], document_id(doc["doc_key"], doc["sha256"])) for doc, _ in items])
    for doc, doc_claims in items:
        doc_id = document_id(doc["doc_key"], doc["sha256"])
        doc_ids.append(doc_id)
        documents.append({"document_id": doc_id, "run_id": run_id, "extractor_version": extractor_version,
                          "version": versions[doc_id],
                          **{c: doc.get(c) for c in DOCUMENT_COLUMNS
                             if c not in ("document_id", "version", "loaded_at", "run_id", "extractor_version")}})
        spans = list(doc.get("page_spans") or [])
        # The measure columns are derived once for all the documents (load_bulk): per document
        # (chapter subjects, occurrences) as claim_rows would, without 200 passes for 200 articles.
        claims.append(_contract_rows(doc_claims, doc_id, doc["doc_key"], extractor_version, run_id))
        pages.append(page_rows(spans, doc_id))
        sections.append(section_rows(list(doc.get("section_spans") or []), spans, doc_id))
    if not items:
        return []
    documents_table = pa.Table.from_pylist(documents)
    if "published" in documents_table.column_names:
        documents_table = documents_table.set_column(
            documents_table.column_names.index("published"), "published",
            pa.array([as_date(d.get("published")) for d in documents], pa.date32()))
    load_bulk(con, documents_table, pa.concat_tables(claims), pa.concat_tables(pages),
              pa.concat_tables(sections))
    return doc_ids


def record_error(con: duckdb.DuckDBPyConnection, stage: str, message: str, doc_key: str | None = None,
                 url: str | None = None, run_id: str | None = None) -> None:
    """Record a document error (the message names the input and the problem).

    One row per document (migration 006): a document already failing keeps its
    ``first_seen`` and gets the new message, ``last_seen`` and ``run_id``; ``attempts``
    counts the runs that saw it fail (recording again in the same run adds none).
    """
    if doc_key is not None:
        updated = con.execute(
            """UPDATE errors SET url = ?, stage = ?, message = ?, occurred_at = now(), last_seen = now(),
                   attempts = attempts + CASE WHEN run_id IS NOT DISTINCT FROM ? THEN 0 ELSE 1 END, run_id = ?
               WHERE doc_key = ? RETURNING doc_key""",
            [url, stage, message, run_id, run_id, doc_key]).fetchall()
        if updated:
            return
    con.execute("INSERT INTO errors VALUES (?, ?, ?, ?, now(), ?, now(), now(), 1)",
                [doc_key, url, stage, message, run_id])


def clear_errors(con: duckdb.DuckDBPyConnection, *doc_keys: str) -> None:
    """Forget the errors of documents that have now loaded (kept in older runs' history otherwise)."""
    if doc_keys:
        con.execute("DELETE FROM errors WHERE doc_key IN (SELECT unnest(?))", [list(doc_keys)])


_FETCH_COLUMNS = ("url", "final_url", "status", "ok", "not_modified", "etag", "last_modified", "sha256",
                  "bytes", "media_type", "attempts", "fetched_at", "error", "seconds")


def record_fetch(con: duckdb.DuckDBPyConnection, row: dict[str, Any], doc_key: str | None,
                 run_id: str | None = None) -> None:
    """Append one fetch log row (``FetchResult.to_row()``); the same fetch twice is kept once."""
    record_fetches(con, [(row, doc_key)], run_id)


def record_fetches(con: duckdb.DuckDBPyConnection, rows: list[tuple[dict[str, Any], str | None]],
                   run_id: str | None = None) -> None:
    """:func:`record_fetch` for many ``(row, doc_key)`` pairs in one Arrow insert (one statement, not one each)."""
    unique: dict[tuple, dict[str, Any]] = {}
    for row, doc_key in rows:
        record = {"url": row.get("url"), "doc_key": doc_key, **{c: row.get(c) for c in _FETCH_COLUMNS[1:]},
                  "run_id": run_id}
        unique.setdefault((record["url"], record["fetched_at"]), record)
    if not unique:
        return
    name = "_incoming_fetches"
    con.register(name, pa.Table.from_pylist(list(unique.values())))
    try:
        con.execute(f"INSERT OR IGNORE INTO fetches BY NAME SELECT * FROM {name}")
    finally:
        _unregister(con, name)


def record_run(con: duckdb.DuckDBPyConnection, run_id: str, registry: str | None,
               started_at: dt.datetime | None = None) -> None:
    """Record (or refresh) a run with its current counts; ``started_at`` is when the run
    started (the loading step runs last, so it is not now), ``finished_at`` is now."""
    counts = con.execute(
        "SELECT (SELECT count(*) FROM latest_documents), (SELECT count(*) FROM latest_claims),"
        " (SELECT count(*) FROM errors WHERE run_id = ?)", [run_id]
    ).fetchall()[0]
    con.execute("DELETE FROM runs WHERE run_id = ?", [run_id])
    con.execute("INSERT INTO runs VALUES (?, ?, ?, now(), ?, ?, ?)",
                [run_id, registry, started_at or dt.datetime.now(), *counts])


EVIDENCE_COLUMNS = ("claim_id", "path", "sha256", "page", "x0", "y0", "x1", "y1", "units", "width", "height",
                    "renderer", "created_at")


def record_evidence(con: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Add or replace the ``evidence`` rows of claim snapshots (migration 008; one per claim)."""
    if not rows:
        return
    table = pa.Table.from_pylist([{name: row[name] for name in EVIDENCE_COLUMNS} for row in rows])
    with transaction(con):
        con.register("_new_evidence", table)
        try:
            con.execute("DELETE FROM evidence WHERE claim_id IN (SELECT claim_id FROM _new_evidence)")
            con.execute(f"INSERT INTO evidence ({', '.join(EVIDENCE_COLUMNS)}) "
                        f"SELECT {', '.join(EVIDENCE_COLUMNS)} FROM _new_evidence")
        finally:
            _unregister(con, "_new_evidence")
