"""Failure handling: retries with backoff on fetches, and re-executing a run from its failure."""
from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from pipelines.defs.documents.assets import FETCH_RETRY, raw_documents, warehouse_claims

ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTRY = ROOT / "registries" / "demo.toml"


def ingest_job() -> dg.JobDefinition:
    """The project's ingest job, with the settings from the TRADECLAIMS_* environment (reconstructable)."""
    from pipelines.definitions import build_definitions

    return build_definitions().resolve_job_def("ingest_documents")


def test_fetch_steps_retry_with_exponential_backoff():
    assert raw_documents.op.retry_policy is FETCH_RETRY
    assert FETCH_RETRY.max_retries >= 2 and FETCH_RETRY.backoff == dg.Backoff.EXPONENTIAL
    assert FETCH_RETRY.jitter == dg.Jitter.PLUS_MINUS
    assert warehouse_claims.op.retry_policy is None  # a failed load is re-executed, not retried blindly


def test_a_failed_run_is_reexecuted_from_its_failure(tmp_path, monkeypatch):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    monkeypatch.setenv("TRADECLAIMS_REGISTRY", str(DEMO_REGISTRY))
    monkeypatch.setenv("TRADECLAIMS_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TRADECLAIMS_WAREHOUSE", str(warehouse))
    warehouse.mkdir(parents=True)  # a folder where the DuckDB file should be: the load step fails
    job = dg.reconstructable(ingest_job)
    in_process = {"execution": {"config": {"in_process": {}}}}
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("documents", ["nte-2025-korea"])
        tags = {"dagster/partition": "nte-2025-korea"}
        with dg.execute_job(job, instance, run_config=in_process, tags=tags, raise_on_error=False) as failed:
            assert not failed.success
            assert {e.step_key for e in failed.get_step_failure_events()} == {"warehouse_claims"}
            assert {e.step_key for e in failed.get_step_success_events()} == {
                "raw_documents", "document_text", "document_claims"}
            failed_run_id = failed.run_id

        shutil.rmtree(warehouse)  # fixed: re-execute only what failed (and what depends on it)
        options = dg.ReexecutionOptions.from_failure(failed_run_id, instance)
        # The UI's "Re-execute from failure" copies the parent's tags; execute_job takes them explicitly.
        parent_tags = {k: v for k, v in instance.get_run_by_id(failed_run_id).tags.items() if k == "dagster/partition"}
        with dg.execute_job(job, instance, run_config=in_process, tags=parent_tags,
                            reexecution_options=options) as again:
            assert again.success
            executed = {e.step_key for e in again.get_step_success_events()}
            assert "warehouse_claims" in executed
            assert not executed & {"raw_documents", "document_text", "document_claims"}
            assert again.dagster_run.parent_run_id == failed_run_id
            assert again.dagster_run.tags["dagster/partition"] == "nte-2025-korea"
        assert instance.get_materialized_partitions(dg.AssetKey("warehouse_claims")) == {"nte-2025-korea"}
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT doc_key FROM documents").fetchall() == [("nte-2025-korea",)]
    finally:
        con.close()
