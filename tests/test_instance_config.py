"""The repo's dagster.yaml is what the project's Dagster instance runs with.

(The webserver's GraphQL `instance { … }` shows the same for a running server:
tests/test_dagster_ui.py.)
"""
from __future__ import annotations

import dagster as dg
import pytest
from dagster._core.storage.local_compute_log_manager import LocalComputeLogManager

from tests.dagster_server import project_home


@pytest.mark.parametrize("cwd", ["home", "elsewhere"])
def test_an_instance_started_from_the_repos_dagster_yaml_uses_its_settings(tmp_path, monkeypatch, cwd):
    env = project_home(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", env["DAGSTER_HOME"])
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # The storage paths in dagster.yaml are relative to DAGSTER_HOME, not to the working directory.
    monkeypatch.chdir(tmp_path if cwd == "home" else elsewhere)
    with dg.DagsterInstance.get() as instance:
        config = instance.get_concurrency_config()
        assert config.pool_config.default_pool_limit == 1  # the warehouse writer pool: one run at a time
        assert config.run_queue_config.max_concurrent_runs == 4
        assert instance.telemetry_enabled is False
        assert instance.nux_enabled is False
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        assert instance.run_storage._conn_string == f"sqlite:///{tmp_path}/data/dagster/storage/history/runs.db"
        assert isinstance(instance.compute_log_manager, LocalComputeLogManager)
        assert instance.compute_log_manager._base_dir == str(tmp_path / "data" / "dagster" / "compute_logs")
        assert instance.root_directory == str(tmp_path / "data" / "dagster" / "artifacts")
    assert (tmp_path / "data" / "dagster" / "storage").is_dir()
    assert list(elsewhere.iterdir()) == []  # no second, empty instance where the process started


def test_the_cli_points_dagster_home_at_the_project(tmp_path, monkeypatch):
    from pipelines import project

    project_home(tmp_path)
    (tmp_path / "registries").mkdir()
    for name in ("DAGSTER_HOME", "TRADECLAIMS_HOME"):
        # setenv first, so that monkeypatch restores the variable (or its absence)
        # after use_project_dagster_home() has set it.
        monkeypatch.setenv(name, "unset")
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert project.use_project_dagster_home() == tmp_path
