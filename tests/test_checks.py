"""Asset checks: they pass on the demo run and each one fails on a warehouse broken its way."""
from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs.documents import checks
from pipelines.resources import TradeclaimsConfig
from pipelines.runner import materialize_registry

ROOT = Path(__file__).resolve().parent.parent
ALL = [checks.check_claim_offsets, checks.check_duplicate_claims, checks.check_claim_values,
       checks.check_report_chapters, checks.check_failed_documents]


def test_every_check_ran_in_the_demo_run_and_passed(demo_run):
    evaluations = {e.check_name: e for e in demo_run["result"].get_asset_check_evaluations()
                   if e.asset_key == dg.AssetKey("warehouse_claims")}
    assert set(evaluations) == {next(iter(c.check_specs)).name for c in checks.ALL_CHECKS} == {
        "claim_text_matches_document", "no_duplicate_claims", "claim_values_plausible",
        "report_chapters_have_claims", "failed_documents"}
    for name, evaluation in evaluations.items():
        assert evaluation.passed, (name, evaluation.metadata)
        assert evaluation.asset_key == dg.AssetKey("warehouse_claims")
    assert evaluations["failed_documents"].severity == dg.AssetCheckSeverity.WARN
    assert evaluations["claim_text_matches_document"].metadata["checked"].value > 200
    assert evaluations["report_chapters_have_claims"].metadata["checked"].value >= 3


@pytest.fixture
def broken(demo_run, tmp_path):
    """A copy of the demo run's data folder and warehouse, to break."""
    shutil.copytree(demo_run["settings"].data_dir, tmp_path / "data")
    settings = TradeclaimsConfig(registry_path=demo_run["settings"].registry_path, data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    for check in ALL:
        assert check(settings).passed, check.__name__

    def sql(statement: str, *params):
        con = duckdb.connect(settings.warehouse_path)
        try:
            con.execute(statement, list(params))
        finally:
            con.close()
    return settings, sql


def details(result: dg.AssetCheckResult) -> str:
    return result.metadata["details"].value


def test_claim_text_check_fails_on_a_wrong_offset(broken):
    settings, sql = broken
    sql("UPDATE claims SET start_offset = start_offset + 1 WHERE doc_key = 'nte-2025-korea' AND text = '$800 million'")
    result = checks.check_claim_offsets(settings)
    assert not result.passed and result.metadata["problems"].value == 1
    assert "'$800 million' but the document has '800 million" in details(result)


def test_claim_text_check_fails_when_the_staged_text_is_gone(broken):
    settings, _ = broken
    for path in (Path(settings.data_dir) / "staging" / "text").glob("*.json"):
        path.unlink()
    result = checks.check_claim_offsets(settings)
    assert not result.passed and "staged text" in details(result)


def test_duplicate_check_fails_on_a_span_claimed_twice(broken):
    settings, sql = broken
    sql("INSERT INTO claims SELECT * REPLACE (claim_id || 'x' AS claim_id, 'date' AS kind) FROM claims "
        "WHERE doc_key = 'nte-2025-korea' AND text = '$800 million'")
    result = checks.check_duplicate_claims(settings)
    assert not result.passed and result.metadata["problems"].value == 1
    assert "claimed 2 times" in details(result) and "money $800 million" in details(result)


def test_value_check_fails_on_implausible_values(broken):
    settings, sql = broken
    sql("UPDATE claims SET value_num = 5000 WHERE claim_id = (SELECT min(claim_id) FROM claims WHERE kind = 'percent')")
    sql("UPDATE claims SET value_num = -1 WHERE claim_id = (SELECT min(claim_id) FROM claims WHERE kind = 'money')")
    sql("UPDATE claims SET value = '1850' WHERE claim_id = (SELECT min(claim_id) FROM claims WHERE kind = 'date')")
    result = checks.check_claim_values(settings)
    assert not result.passed and result.metadata["problems"].value == 3
    text = details(result)
    assert "percent" in text and "5000" in text and "money" in text and "-1" in text and "1850" in text


def test_chapter_check_fails_on_a_chapter_without_claims(broken):
    settings, sql = broken
    sql("DELETE FROM claims WHERE chapter = 'Republic of Korea'")
    result = checks.check_report_chapters(settings)
    assert not result.passed
    assert "nte-2025-korea: chapter 'Republic of Korea' yields no claim" in details(result)


def test_failed_documents_are_listed_with_their_errors_as_a_warning(tmp_path):
    registry = tmp_path / "registry.toml"
    good = ROOT / "corpus" / "demo" / "news" / "2025-11-03-seoul-korea-defence-offsets-ustr.html"
    registry.write_text(f'allowed_roots = ["{ROOT / "corpus"}"]\n'
                        f'[[source]]\nid = "good"\nkind = "news"\npath = "{good}"\n'
                        f'[[source]]\nid = "missing"\nkind = "news"\npath = "{tmp_path / "nowhere.html"}"\n')
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    result = materialize_registry(settings, dg.DagsterInstance.ephemeral(), log_level="WARNING")
    assert result.success  # one failing document does not fail the run or the other document
    evaluation, = [e for e in result.get_asset_check_evaluations() if e.check_name == "failed_documents"]
    assert not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.WARN
    listed = evaluation.metadata["details"].value
    assert "**missing** (fetch)" in listed and "nowhere.html" in listed
    others = [e for e in result.get_asset_check_evaluations() if e.check_name != "failed_documents"]
    assert others and all(e.passed for e in others)
