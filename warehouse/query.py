"""Read-only SQL against the warehouse, for analysts and the CLI."""
from __future__ import annotations

from pathlib import Path

from warehouse.migrate import current_version, migrations
from warehouse.store import connect

# Statement types a read-only query may use; everything else (INSERT, COPY, ATTACH,
# SET, PRAGMA, EXPORT, …) is refused before it reaches DuckDB.
_READ_TYPES = {"SELECT", "EXPLAIN"}


class QueryRefused(ValueError):
    """A statement that would write; ``tradeclaims query`` only reads."""


def run_query(path: str | Path, sql: str, wait_seconds: float = 0.0) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` on a read-only connection and return (column names, rows).

    Only SELECT (and EXPLAIN) statements are run, on a read-only connection with
    DuckDB's file access switched off: nothing can write, and nothing outside the
    warehouse can be read.

    Raises:
        QueryRefused: a statement that writes.
        warehouse.store.WarehouseBusy: a writer still holds the warehouse after
            ``wait_seconds`` (DuckDB lets no other process open a file being written).
    """
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"not valid SQL: {exc}") from None
    for statement in statements:
        kind = statement.type.name
        if kind not in _READ_TYPES or "COPY" in statement.query.upper().split():
            verb = "COPY" if kind in _READ_TYPES else kind
            raise QueryRefused(f"`tradeclaims query` is read-only: {verb} statements are refused")
    con = connect(path, read_only=True, wait_seconds=wait_seconds)
    try:
        # Only the warehouse may be read: no read_csv('/etc/…'), no COPY … TO a file.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall()
    finally:
        con.close()
    return columns, rows


EXPORT_VIEW = "claims_with_documents"
EXPORT_FORMATS = ("parquet", "csv")


def export_claims(path: str | Path, output: str | Path, fmt: str = "parquet", where: str | None = None,
                  wait_seconds: float = 0.0) -> int:
    """Write the claims of the newest document versions (view ``claims_with_documents``) to a file.

    ``where`` is a SQL condition on that view's columns (``subject = 'KOR' AND
    unit = 'USD'``). It can only filter: the query must parse as one SELECT, runs
    on a read-only connection with file access switched off, and the file is
    written by pyarrow from the query's Arrow stream, never by DuckDB.

    Args:
        path: the warehouse file.
        output: the file to write (replaced when it exists).
        fmt: ``parquet`` or ``csv``.
        where: optional filter.
        wait_seconds: how long to wait while a writer holds the warehouse.
    Returns:
        the number of claims written.
    Raises:
        QueryRefused: ``where`` is not a plain condition.
        warehouse.store.WarehouseBusy: a writer holds the warehouse.
    """
    import duckdb
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    sql = f"SELECT * FROM {EXPORT_VIEW}"
    if where and where.strip():
        sql += f" WHERE ({where})"
        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as exc:
            raise QueryRefused(f"--where is not a valid SQL condition: {exc}") from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise QueryRefused("--where must be a single SQL condition; other statements are refused")
    sql += " ORDER BY document_id, start_offset, claim_id"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    con = connect(path, read_only=True, wait_seconds=wait_seconds)
    tmp = output.with_name(f".{output.name}.partial")
    written = 0
    try:
        # The filter may only read the warehouse: no read_csv('/etc/…'), no COPY … TO.
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        reader = con.sql(sql).to_arrow_reader(100_000)
        if fmt == "parquet":
            with pq.ParquetWriter(tmp, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    written += batch.num_rows
        else:
            with pa_csv.CSVWriter(tmp, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    written += batch.num_rows
    except duckdb.Error as exc:
        tmp.unlink(missing_ok=True)
        version, newest = current_version(con), migrations()[-1][0]
        if version < newest:
            raise QueryRefused(f"{path}: the warehouse has schema version {version} and export needs {newest};"
                               " open it once for writing (`tradeclaims run`) to upgrade it") from None
        raise QueryRefused(f"export failed: {exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    tmp.replace(output)
    return written
