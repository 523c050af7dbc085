"""`tradeclaims export`: claims to Parquet or CSV, filtered by --where, never a write."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

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


WHERE_CASES = [json.loads(line) for line in (Path(__file__).parent / "data" / "export_where.jsonl")
               .read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def warehouse_copy(demo_run, tmp_path_factory):
    """A copy of the demo warehouse that the refused cases must leave as it was."""
    path = tmp_path_factory.mktemp("export-copy") / "warehouse.duckdb"
    shutil.copy(demo_run["warehouse"], path)
    return path


def fingerprint(warehouse) -> int:
    return count(warehouse, "SELECT (SELECT count(*) FROM claims) * 1000 + (SELECT count(*) FROM runs)")


@pytest.mark.parametrize("case", [c for c in WHERE_CASES if c["ok"]], ids=lambda c: c["where"])
def test_where_accepts_a_condition_on_the_view(warehouse_copy, tmp_path, case):
    out = tmp_path / "out.parquet"
    result = export(warehouse_copy, "--where", case["where"], "--output", out)
    assert result.exit_code == 0, result.output
    expected = count(warehouse_copy, f"SELECT count(*) FROM claims_with_documents WHERE ({case['where']})")
    assert pq.read_table(out).num_rows == expected


@pytest.mark.parametrize("case", [c for c in WHERE_CASES if not c["ok"]], ids=lambda c: c["where"])
def test_where_refuses_anything_but_one_condition(warehouse_copy, tmp_path, case):
    before = fingerprint(warehouse_copy)
    out = tmp_path / "out.parquet"
    result = export(warehouse_copy, "--where", case["where"], "--output", out)
    assert result.exit_code == 1, result.output
    assert "Error:" in result.output and case["says"] in result.output, result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []  # no partial file either
    assert fingerprint(warehouse_copy) == before
    assert not Path("/tmp/tradeclaims-smuggled.csv").exists()


def test_export_never_overwrites_the_warehouse(warehouse_copy):
    before = fingerprint(warehouse_copy)
    for output in (warehouse_copy, warehouse_copy.parent / "." / warehouse_copy.name,
                   warehouse_copy.with_name(warehouse_copy.name + ".wal"),
                   warehouse_copy.with_name(warehouse_copy.name + ".loading"),
                   warehouse_copy.with_name(warehouse_copy.name + ".writer.lock")):
        result = export(warehouse_copy, "--format", "csv", "--output", output)
        assert result.exit_code == 1 and "is the warehouse itself" in result.output, result.output
    assert fingerprint(warehouse_copy) == before


def test_export_never_overwrites_another_duckdb_file(warehouse_copy, tmp_path):
    other = tmp_path / "notes.db"  # a DuckDB file whatever its name
    shutil.copy(warehouse_copy, other)
    link = tmp_path / "link.parquet"
    link.symlink_to(warehouse_copy)
    for output in (other, link):
        result = export(warehouse_copy, "--output", output)
        assert result.exit_code == 1 and ("DuckDB database" in result.output
                                          or "warehouse itself" in result.output), result.output
    assert fingerprint(other) == fingerprint(warehouse_copy)


def test_export_replaces_an_ordinary_file_in_one_rename(warehouse_copy, tmp_path, monkeypatch):
    out = tmp_path / "claims.csv"
    out.write_text("old export\n")
    renames = []
    real_replace = Path.replace

    def spy(self, target):
        renames.append((self.parent, self.name, Path(target)))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", spy)
    result = export(warehouse_copy, "--format", "csv", "--output", out)
    assert result.exit_code == 0, result.output
    assert [(parent, Path(target)) for parent, _, target in renames] == [(tmp_path, out)]
    assert renames[0][1].startswith(".claims.csv.") and renames[0][1].endswith(".tmp")
    assert out.read_text().startswith('"claim_id"') and list(tmp_path.iterdir()) == [out]


def test_export_of_a_missing_warehouse_says_so(tmp_path):
    result = export(tmp_path / "none.duckdb", "-o", tmp_path / "x.csv", "--format", "csv")
    assert result.exit_code == 1 and "no warehouse yet" in result.output


def test_export_needs_an_output(demo_run):
    result = export(demo_run["warehouse"])
    assert result.exit_code == 2 and "--output" in result.output
