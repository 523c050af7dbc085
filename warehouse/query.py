"""Read-only SQL against the warehouse, for analysts and the CLI.

What a statement may do is decided on DuckDB's own parse of it, never on keywords
in its text: ``duckdb.extract_statements`` gives each statement's type (``query``
runs SELECTs only), and ``json_serialize_sql`` gives the syntax tree of
``export --where`` (one boolean expression over the view's columns, nothing
else). DuckDB's parser rather than a second SQL parser (sqlglot): what is checked
is then exactly what DuckDB will run, with no dialect difference between the
check and the engine to slip through.
"""
from __future__ import annotations

import json
import os
import re
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from sources.atomic_write import replacing
from warehouse.connection import connect_sealed, loading_copy, writer_lock
from warehouse.migrate import current_version, migrations

T = TypeVar("T")
DEFAULT_TIMEOUT = 60.0
# Bytes 8-11 of every DuckDB database file.
_DUCKDB_MAGIC = b"DUCK"


class QueryRefused(ValueError):
    """A statement or condition the read-only commands do not run; the message says why."""


class QueryTimeout(RuntimeError):
    """A query interrupted after its time limit."""


def _with_timeout(con, timeout: float | None, work: Callable[[], T]) -> T:
    """Run ``work`` on ``con``; interrupt it (``connection.interrupt()``) after ``timeout`` seconds."""
    import duckdb

    if not timeout:
        return work()
    timer = threading.Timer(timeout, con.interrupt)
    timer.daemon = True
    timer.start()
    try:
        return work()
    except duckdb.InterruptException:
        raise QueryTimeout(f"the query was stopped after {timeout:g} s (--timeout); narrow it, or allow "
                           "more time with a larger --timeout") from None
    finally:
        timer.cancel()


def _statement_type(statement) -> str:
    """The type of a parsed statement; for EXPLAIN [ANALYZE], the type of the statement it explains."""
    import duckdb

    kind = statement.type.name
    if kind != "EXPLAIN":
        return kind
    # The tokenizer tells keywords from comments and strings; what follows EXPLAIN
    # [ANALYZE] is parsed again on its own.
    query = statement.query
    for start, token in duckdb.tokenize(query):
        if token == duckdb.token_type.comment:
            continue
        word = re.match(r"\w*", query[start:]).group(0).upper()
        if word not in ("EXPLAIN", "ANALYZE"):
            inner = duckdb.extract_statements(query[start:])
            return _statement_type(inner[0]) if len(inner) == 1 else "MULTIPLE"
    return kind


def run_query(path: str | Path, sql: str, wait_seconds: float = 0.0,
              timeout: float | None = DEFAULT_TIMEOUT) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` on a read-only connection and return (column names, rows).

    Only statements that parse as SELECT (and EXPLAIN of one) are run, on a
    read-only connection with DuckDB's file access switched off: nothing can
    write, and nothing outside the warehouse can be read.

    Raises:
        QueryRefused: a statement of another type, or SQL that does not parse.
        QueryTimeout: still running after ``timeout`` seconds (None: no limit).
        warehouse.store.WarehouseBusy: a writer still holds the warehouse after
            ``wait_seconds`` (DuckDB lets no other process open a file being written).
    """
    import duckdb

    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"not valid SQL: {exc}") from None
    for statement in statements:
        kind = _statement_type(statement)
        if kind != "SELECT":
            raise QueryRefused(f"`tradeclaims query` is read-only: {kind} statements are refused")
    con = connect_sealed(path, wait_seconds=wait_seconds)
    try:
        def work() -> tuple[list[str], list[tuple]]:
            cursor = con.execute(sql)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            return columns, cursor.fetchall()

        return _with_timeout(con, timeout, work)
    finally:
        con.close()


EXPORT_VIEW = "claims_with_documents"
EXPORT_FORMATS = ("parquet", "csv")
# Expression nodes a --where condition may hold (classes of DuckDB's syntax tree).
# Not SUBQUERY (it could read other tables), STAR/COLUMNS(*), WINDOW, PARAMETER or LAMBDA.
_CONDITION_NODES = {"COLUMN_REF", "CONSTANT", "COMPARISON", "CONJUNCTION", "OPERATOR", "FUNCTION", "CASE",
                    "CAST", "TYPE", "BETWEEN", "COLLATE"}


def _syntax_tree(con, sql: str) -> dict:
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    if tree.get("error"):
        raise QueryRefused(f"--where is not a valid SQL condition: {tree.get('error_message')}")
    return tree


def _without_locations(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _without_locations(v) for k, v in node.items() if not k.startswith("query_location")}
    if isinstance(node, list):
        return [_without_locations(v) for v in node]
    return node


def _expression_nodes(node: Any):
    """Every expression node (a dict with a ``class``) in a syntax tree."""
    if isinstance(node, dict):
        if "class" in node:
            yield node
        for value in node.values():
            yield from _expression_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _expression_nodes(value)


def check_condition(con, where: str) -> str:
    """Check that ``where`` is one boolean expression over the columns of the export view.

    The condition is parsed as ``SELECT * FROM claims_with_documents WHERE (…)``.
    That tree must be the plain ``SELECT *`` of the view with a WHERE and nothing
    more (no UNION, ORDER BY, LIMIT, GROUP BY, QUALIFY, sample, second statement),
    and the condition may hold only column references, constants, operators and
    function calls, no subquery.

    Returns:
        the SELECT to run.
    Raises:
        QueryRefused: naming what is not allowed.
    """
    import duckdb

    sql = f"SELECT * FROM {EXPORT_VIEW} WHERE ({where})"
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"--where is not a valid SQL condition: {exc}") from None
    if len(statements) != 1:
        raise QueryRefused("--where must be one SQL condition; a second statement is refused")
    tree = _syntax_tree(con, sql)
    if len(tree["statements"]) != 1:
        raise QueryRefused("--where must be one SQL condition; a second statement is refused")
    node = _without_locations(tree["statements"][0]["node"])
    condition = node.pop("where_clause", None)
    plain = _without_locations(_syntax_tree(con, f"SELECT * FROM {EXPORT_VIEW} WHERE (true)")["statements"][0]["node"])
    plain.pop("where_clause", None)
    if node != plain or condition is None:
        raise QueryRefused("--where must be one condition on the rows of the export; it may not add a UNION, "
                           "ORDER BY, LIMIT, GROUP BY, sample or another query")
    columns = {name for (name,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [EXPORT_VIEW]).fetchall()}
    for part in _expression_nodes(condition):
        if part["class"] not in _CONDITION_NODES:
            raise QueryRefused(f"--where may only compare columns and values: a {part['class'].lower()} "
                               "expression is refused")
        if part["class"] == "COLUMN_REF":
            names = part["column_names"]
            if names[:-1] not in ([], [EXPORT_VIEW]) or names[-1] not in columns:
                raise QueryRefused(f"--where: {'.'.join(names)!r} is not a column of {EXPORT_VIEW} "
                                   f"(its columns: {', '.join(sorted(columns))})")
    try:
        types = con.sql(f"SELECT ({where}) AS condition FROM {EXPORT_VIEW}").types
    except duckdb.Error as exc:
        raise QueryRefused(f"--where is not a valid SQL condition: {exc}") from None
    if str(types[0]) != "BOOLEAN":
        raise QueryRefused(f"--where must be a true/false condition, not a {types[0]} value")
    return sql


def _is_duckdb_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False


def check_output(warehouse: str | Path, output: str | Path) -> Path:
    """Refuse an output (of ``export``, ``evidence``, ``brief``) that is the warehouse (or one of
    its side files) or any other DuckDB file."""
    output, warehouse = Path(output), Path(warehouse)
    target, own = output.resolve(), warehouse.resolve()
    # The file, its log, the writer's copy and its lock (warehouse/connection.py).
    own_files = (own, own.with_name(own.name + ".wal"), loading_copy(own), writer_lock(own))
    if target in own_files or (output.exists() and warehouse.exists() and os.path.samefile(output, warehouse)):
        raise QueryRefused(f"{output}: is the warehouse itself; the output is a new file, choose another --output")
    if _is_duckdb_file(output):
        raise QueryRefused(f"{output}: is a DuckDB database; it is never overwritten, choose another --output")
    return output


def export_claims(path: str | Path, output: str | Path, fmt: str = "parquet", where: str | None = None,
                  wait_seconds: float = 0.0) -> int:
    """Write the claims of the newest document versions (view ``claims_with_documents``) to a file.

    ``where`` is a SQL condition on that view's columns (``subject = 'KOR' AND
    unit = 'USD'``), checked by :func:`check_condition`. It runs on a read-only
    connection with file access switched off, and the file is written by pyarrow
    from the query's Arrow stream, never by DuckDB: first to a temporary file
    beside ``output``, renamed into place when complete.

    Args:
        path: the warehouse file.
        output: the file to write (replaced when it exists, unless it is a DuckDB file).
        fmt: ``parquet`` or ``csv``.
        where: optional filter.
        wait_seconds: how long to wait while a writer holds the warehouse.
    Returns:
        the number of claims written.
    Raises:
        QueryRefused: ``where`` is not a plain condition, or ``output`` is a DuckDB file.
        warehouse.store.WarehouseBusy: a writer holds the warehouse.
    """
    import duckdb
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
    output = check_output(path, output)
    con = connect_sealed(path, wait_seconds=wait_seconds)
    written = 0
    try:
        sql = check_condition(con, where) if where and where.strip() else f"SELECT * FROM {EXPORT_VIEW}"
        sql += " ORDER BY document_id, start_offset, claim_id"
        with replacing(output) as tmp:
            reader = con.sql(sql).to_arrow_reader(100_000)
            writer_type = pq.ParquetWriter if fmt == "parquet" else pa_csv.CSVWriter
            with writer_type(str(tmp), reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
                    written += batch.num_rows
    except duckdb.Error as exc:
        version, newest = current_version(con), migrations()[-1][0]
        if version < newest:
            raise QueryRefused(f"{path}: the warehouse has schema version {version} and export needs {newest};"
                               " open it once for writing (`tradeclaims run`) to upgrade it") from None
        raise QueryRefused(f"export failed: {exc}") from None
    finally:
        con.close()
    return written
