"""`tradeclaims export`: claims to Parquet or CSV, filtered by --where, never a write."""
from __future__ import annotations

import csv
import shutil

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipelines.cli import main
from warehouse import store


def count(warehouse, sql: str) -> int:
    con = store.connect(warehouse, read_only=True)
    try:
        return con.execute(sql).fetchall()[0][0]
    finally:
        con.close()


def export(warehouse, *args):
    return CliRunner().invoke(main, ["export", "--warehouse", str(warehouse), *map(str, args)])


def test_export_parquet_writes_every_latest_claim_with_its_document(demo_run, tmp_path):
    out = tmp_path / "claims.parquet"
    result = export(demo_run["warehouse"], "--format", "parquet", "--output", out)
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    total = count(demo_run["warehouse"], "SELECT count(*) FROM latest_claims")
    assert table.num_rows == total > 100
    assert f"{total} claim(s) written" in result.output
    for column in ("claim_id", "document_id", "kind", "text", "start_offset", "value_num", "unit", "qualifier",
                   "topic", "subject", "chapter", "section", "extractor_version", "run_id", "doc_type",
                   "document", "url"):
        assert column in table.column_names
    rows = table.to_pylist()
    korea = [r for r in rows if r["text"] == "$800 million" and r["doc_type"] == "report"]
    assert korea and korea[0]["value_num"] == 8e8 and korea[0]["period"] == "2016/2020"


def test_export_csv_with_where(demo_run, tmp_path):
    out = tmp_path / "korea.csv"
    result = export(demo_run["warehouse"], "--format", "csv", "--where", "subject = 'KOR' AND unit = 'USD'",
                    "-o", out)
    assert result.exit_code == 0, result.output
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = count(demo_run["warehouse"], "SELECT count(*) FROM latest_claims WHERE subject = 'KOR' AND unit = 'USD'")
    assert len(rows) == expected > 0
    assert {r["subject"] for r in rows} == {"KOR"} and {r["unit"] for r in rows} == {"USD"}
    assert "$8 billion" in {r["text"] for r in rows}


@pytest.mark.parametrize("where", [
    "1=1); DROP TABLE claims; SELECT (1",
    "1=1) TO '/tmp/tradeclaims-smuggled.csv' (FORMAT csv); --",
    "true; INSERT INTO runs VALUES ('x', NULL, NULL, NULL, 0, 0, 0)",
    "kind = 'money'); COPY claims TO 'x.csv'; SELECT (1",
    "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0",
    "EXISTS (SELECT * FROM glob('/etc/*'))",
])
def test_where_cannot_smuggle_a_write_or_a_file_access(demo_run, tmp_path, where):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_run["warehouse"], warehouse)
    before = count(warehouse, "SELECT (SELECT count(*) FROM claims) * 1000 + (SELECT count(*) FROM runs)")
    out = tmp_path / "out.parquet"
    result = export(warehouse, "--where", where, "--output", out)
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert not out.exists() and not (tmp_path / ".out.parquet.partial").exists()
    assert count(warehouse, "SELECT (SELECT count(*) FROM claims) * 1000 + (SELECT count(*) FROM runs)") == before
    assert not __import__("pathlib").Path("/tmp/tradeclaims-smuggled.csv").exists()


def test_export_of_a_missing_warehouse_says_so(tmp_path):
    result = export(tmp_path / "none.duckdb", "-o", tmp_path / "x.csv", "--format", "csv")
    assert result.exit_code == 1 and "no warehouse yet" in result.output


def test_export_needs_an_output(demo_run):
    result = export(demo_run["warehouse"])
    assert result.exit_code == 2 and "--output" in result.output
