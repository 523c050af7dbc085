"""Versioned SQL migrations for the DuckDB warehouse.

``warehouse/migrations/NNN_name.sql`` files are applied in order, each in its own
transaction, and recorded in ``schema_version``. A warehouse file made by an
older release is upgraded in place when a newer release opens it.
"""
from __future__ import annotations

import re
from importlib import resources

import duckdb

_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations() -> list[tuple[int, str, str]]:
    """Return ``(version, file name, sql)`` for every packaged migration, in order."""
    found = []
    for entry in resources.files("warehouse").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text("utf-8")))
    return sorted(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the schema version of an open warehouse (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every migration newer than the warehouse's version; return the new version."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)"
    )
    # Apply each migration not recorded yet, not only those above the highest: numbers are
    # reserved per change and may land out of order (a file at 006 still gets a later 005).
    applied = {number for (number,) in con.execute("SELECT version FROM schema_version").fetchall()}
    version = current_version(con)
    for number, name, sql in migrations():
        if number in applied:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        version = max(version, number)
    return version
