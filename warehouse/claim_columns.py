"""The columns of the ``claims`` table, derived from the claim contract.

:data:`extractors.claim.CONTRACT` defines the claim's fields; here each becomes a
column: ``start``/``end`` are named ``start_offset``/``end_offset`` (``END`` is an
SQL keyword), and a ``number_or_string`` field (``value``, ``low``, ``high``) is
kept twice, as text and, for money and percent, as a number (``value_num``). The
table adds where a claim comes from (ids, extractor version, run) and the columns
derived from the claim when it is loaded (migration 007: its interval and the
measure it states).

The migrations are history and are not generated from this: ``tests/test_claim_schema.py``
checks that the table they build has exactly these columns, types and NOT NULLs.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from extractors.claim import CONTRACT
from warehouse import frames


@dataclass(frozen=True)
class Column:
    """One column of the ``claims`` table."""

    name: str
    sql_type: str
    not_null: bool = False
    field: str | None = None  # the contract field it holds
    reading: str = "as_is"  # of a number_or_string field: "text" or "number"


_SQL_TYPE = {"string": "VARCHAR", "integer": "INTEGER"}
_RENAMED = {"start": "start_offset", "end": "end_offset"}
ARROW_TYPE = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
              "BOOLEAN": pa.bool_()}


def _loaded() -> tuple[Column, ...]:
    columns = [Column("claim_id", "VARCHAR", True), Column("document_id", "VARCHAR", True),
               Column("doc_key", "VARCHAR", True)]
    for f in CONTRACT:
        name = _RENAMED.get(f.name, f.name)
        if f.type == "number_or_string":
            columns += [Column(name, "VARCHAR", f.required, f.name, "text"),
                        Column(f"{name}_num", "DOUBLE", False, f.name, "number")]
        else:
            columns.append(Column(name, _SQL_TYPE[f.type], f.required, f.name))
    return (*columns, Column("extractor_version", "VARCHAR", True), Column("run_id", "VARCHAR"))


# What a load writes for each claim (warehouse.store.claim_rows).
LOADED = _loaded()
CLAIM_COLUMNS = tuple(c.name for c in LOADED)
# Derived inside the INSERT by SQL macros (warehouse.store.claims_with_intervals).
INTERVALS = (Column("lo_num", "DOUBLE"), Column("hi_num", "DOUBLE"), Column("lo_open", "BOOLEAN"),
             Column("hi_open", "BOOLEAN"))
INTERVAL_COLUMNS = tuple(c.name for c in INTERVALS)
# Derived in Python when claims become rows (warehouse.frames.derive): text, but the count
# and the packed measure terms (migration 009).
_MEASURE_TYPES = {"key_occurrence": "INTEGER", "measure_bits": "BIGINT"}
MEASURES = tuple(Column(name, _MEASURE_TYPES.get(name, "VARCHAR")) for name in frames.DERIVED)
# Every column of the table, as the migrations build it.
ALL = LOADED + INTERVALS + MEASURES


def sql_type(name: str) -> str:
    """The DuckDB type of column ``name``."""
    return _BY_NAME[name].sql_type


def arrow_type(name: str) -> pa.DataType:
    """The Arrow type of column ``name``."""
    return ARROW_TYPE[_BY_NAME[name].sql_type]


def loaded_schema() -> pa.Schema:
    """The Arrow schema of the rows a load writes (:data:`CLAIM_COLUMNS`)."""
    return pa.schema([(c.name, ARROW_TYPE[c.sql_type]) for c in LOADED])


_BY_NAME = {c.name: c for c in ALL}
