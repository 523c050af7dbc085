"""The claim schema has one definition (extractors.claim.CONTRACT); everything else agrees with it.

The warehouse's column lists and Arrow types are derived from it; the migrations (history,
never edited), docs/claims-contract.md and the README are checked here.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import duckdb

from extractors.claim import CONTRACT, CONTRACT_FIELDS, FIELD_TYPES, Claim
from warehouse import claim_columns, migrate, store

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"`([a-z_]+)`")


def first_cells(table: str) -> list[str]:
    """The names in the first cell of each row of a Markdown table, in order."""
    names = []
    for line in table.splitlines()[2:]:
        names += NAME.findall(line.split("|")[1])
    return names


def table_after(text: str, marker: str) -> str:
    """The first Markdown table that starts after ``marker``."""
    rest = text[text.index(marker):]
    start = rest.index("\n|") + 1
    end = rest.find("\n\n", start)
    return rest[start:end if end != -1 else None]


def test_the_claim_record_has_exactly_the_contract_fields():
    record = {f.name: f for f in dataclasses.fields(Claim) if f.repr}
    assert sorted(record) == sorted(CONTRACT_FIELDS)
    assert {f.type for f in CONTRACT} <= set(FIELD_TYPES)
    # A field without a default must be given: it is required (never null).
    required = {f.name for f in CONTRACT if f.required}
    assert {n for n, f in record.items() if f.default is dataclasses.MISSING} <= required


def test_the_migrated_claims_table_has_exactly_the_derived_columns():
    con = duckdb.connect()
    migrate.migrate(con)
    live = {name: (kind, nullable == "NO") for name, kind, nullable in con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'claims'"
    ).fetchall()}
    assert live == {c.name: (c.sql_type, c.not_null) for c in claim_columns.ALL}


def test_a_claim_loads_into_every_column_with_its_type():
    con = duckdb.connect()
    migrate.migrate(con)
    claim = Claim(kind="money", text="$8 billion", start=3, end=13, rule="money.test", value=8e9, page=2,
                  low=None, high=None, unit="USD", subject="KOR", topic="offset", sentence="It $8 billion.")
    store.write_document(con, {"doc_key": "d", "sha256": "a" * 64}, [claim.to_dict()], "v1", "run")
    row = con.sql("SELECT * FROM claims").to_arrow_table()
    assert set(row.column_names) == {c.name for c in claim_columns.ALL}
    for column in claim_columns.LOADED:
        assert row.schema.field(column.name).type == claim_columns.ARROW_TYPE[column.sql_type], column.name
    loaded = row.to_pylist()[0]
    assert (loaded["value"], loaded["value_num"], loaded["start_offset"], loaded["qualifier"]) == (
        "8000000000", 8e9, 3, "exact")


def test_the_contract_doc_lists_exactly_the_contract_fields_in_order():
    text = (ROOT / "docs" / "claims-contract.md").read_text("utf-8")
    assert first_cells(table_after(text, "# The claim contract")) == list(CONTRACT_FIELDS)


def test_the_readme_lists_the_contract_fields_and_the_claims_columns():
    text = (ROOT / "README.md").read_text("utf-8")
    marker = "[docs/claims-contract.md](docs/claims-contract.md) ("
    listed = text[text.index(marker) + len(marker):]
    assert NAME.findall(listed[:listed.index(")")]) == list(CONTRACT_FIELDS)
    columns = first_cells(table_after(text, "**`claims`**"))
    assert sorted(columns) == sorted(c.name for c in claim_columns.ALL)
    assert len(columns) == len(set(columns))
