"""Read-only SQL against the warehouse, for analysts and the CLI."""
from __future__ import annotations

import re
from pathlib import Path

from warehouse.store import connect

_WRITES = re.compile(
    r"^\s*(insert|update|delete|create|drop|alter|copy|attach|detach|install|load|truncate|replace|"
    r"merge|vacuum|checkpoint|pragma|set|call|import|export|begin|commit|rollback)\b",
    re.IGNORECASE,
)


class QueryRefused(ValueError):
    """A statement that would write; ``tradeclaims query`` only reads."""


def run_query(path: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` on a read-only connection and return (column names, rows).

    Statements that write are refused before they reach DuckDB; the read-only
    connection refuses any that slip through.
    """
    for statement in filter(str.strip, sql.split(";")):
        if _WRITES.match(statement):
            verb = statement.split()[0].upper()
            raise QueryRefused(f"`tradeclaims query` is read-only: {verb} statements are refused")
    con = connect(path, read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall()
    finally:
        con.close()
    return columns, rows
