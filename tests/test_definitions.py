"""`dagster definitions validate` accepts the code location, with the project's dagster.yaml."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_dagster_definitions_validate_passes(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = dict(os.environ, DAGSTER_HOME=str(home), TRADECLAIMS_DATA=str(tmp_path / "data"))
    dagster = Path(sys.executable).parent / "dagster"
    done = subprocess.run([str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
                          cwd=home, env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Validation successful" in output


def test_definitions_hold_assets_checks_schedules_and_sensor():
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    keys = {key.to_user_string() for key in repo.asset_graph.get_all_asset_keys()}
    assert keys == {"source_snapshot", "raw_documents", "document_text", "document_claims", "warehouse_claims",
                    "evidence_snapshots", "edition_changes", "claim_checks", "alerts"}
    assert {s.name for s in repo.schedule_defs} == {"ustr_reports_schedule", "news_daily_schedule"}
    assert {s.name for s in repo.sensor_defs} == {"news_feed_sensor", "offset_alerts_sensor", "ingest_after_snapshot"}
    assert repo.has_job("snapshot_sources") and repo.has_job("ingest_documents") and repo.has_job("findings")


def test_dg_check_defs_passes(tmp_path):
    """`dg check defs`, Dagster's project command, loads the code location named in pyproject's [tool.dg]."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    # The venv the tests run in, as if activated: dg then checks it, not one it would make.
    env = dict(os.environ, DAGSTER_HOME=str(home), TRADECLAIMS_DATA=str(tmp_path / "data"), VIRTUAL_ENV=sys.prefix)
    dg_command = Path(sys.executable).parent / "dg"
    done = subprocess.run([str(dg_command), "check", "defs", "--use-active-venv"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "All definitions loaded successfully" in output
    assert "does not match" not in output
