"""Distributed mode without Redis: its settings file, the batches, the pid records, the commands' errors.

The end-to-end tests (Redis, two workers, a killed worker) are tests/test_distributed.py,
run by ``make test-distributed``.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    path = tmp_path / "celery.yaml"
    monkeypatch.setenv("TRADECLAIMS_CELERY_CONFIG", str(path))
    return path


def test_the_shipped_settings_acknowledge_late_and_name_a_local_redis():
    from pipelines.distributed.config import executor_config, redis_address

    config = executor_config(ROOT / "dagster-distributed.yaml")
    assert redis_address(config) == ("127.0.0.1", 6379)
    source = config["config_source"]
    assert source["task_acks_late"] and source["task_reject_on_worker_lost"]
    assert source["broker_transport_options"]["visibility_timeout"] >= 300  # longer than a PDF may parse


def test_the_shipped_settings_are_valid_celery_executor_config():
    from dagster._config import validate_config
    from dagster_celery import celery_executor

    from pipelines.distributed.config import executor_config

    outcome = validate_config(celery_executor.config_schema.config_type,
                              executor_config(ROOT / "dagster-distributed.yaml"))
    assert outcome.success, outcome.errors


@pytest.mark.parametrize("text, problem", [
    ("execution: [1, 2", "not valid YAML"),
    ("execution:\n  config:\n    backend: redis://127.0.0.1:6379/1\n", "needs an execution.config block with a broker URL"),
    ("just a string", "needs an execution.config block"),
])
def test_a_bad_settings_file_is_named_with_its_problem(settings_file, text, problem):
    from pipelines.distributed.config import DistributedConfigError, executor_config

    settings_file.write_text(text, "utf-8")
    with pytest.raises(DistributedConfigError, match=problem) as caught:
        executor_config()
    assert str(settings_file) in str(caught.value)


def test_a_missing_settings_file_is_named(settings_file):
    from pipelines.distributed.config import DistributedConfigError, executor_config

    with pytest.raises(DistributedConfigError, match="cannot read"):
        executor_config()


def test_a_broker_that_is_not_redis_is_refused(settings_file):
    from pipelines.distributed.config import DistributedConfigError, executor_config, redis_address

    settings_file.write_text("execution:\n  config:\n    broker: pyamqp://guest@localhost//\n", "utf-8")
    with pytest.raises(DistributedConfigError, match="not a redis:// URL"):
        redis_address(executor_config())


def test_batches_put_the_largest_documents_first(tmp_path):
    from pipelines import steps
    from pipelines.distributed.job import batches

    staging = steps.Staging(tmp_path)
    for key, size in (("a", 10), ("b", 3000), ("c", 200), ("d", 5), ("e", 0)):
        sha = staging.raw.put(b"x" * size)[0] if size else None
        steps.write_json(staging.manifest(key), {"sha256": sha})
    assert batches(staging, ["a", "b", "c", "d", "e", "unknown"], 2) == [["b", "c"], ["a", "d"], ["e", "unknown"]]
    assert batches(staging, [], 3) == []
    with pytest.raises(ValueError, match="at least 1"):
        batches(staging, ["a"], 0)


def test_a_recorded_process_counts_as_alive_only_as_the_same_process(tmp_path, monkeypatch):
    from pipelines.distributed import workers

    monkeypatch.setenv("TRADECLAIMS_DATA", str(tmp_path))
    workers.state_dir().mkdir(parents=True)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        entry = workers._record("worker-1", child, tmp_path / "w.log")
        assert entry.alive() and [r.name for r in workers.recorded()] == ["worker-1"]
        reused = workers.Recorded(name="worker-2", pid=child.pid, started="1", log="")
        assert not reused.alive()  # the pid now names another process: never signalled
        assert workers.stop([reused]) == [f"worker-2 (pid {child.pid}) was not running"]
        assert child.poll() is None
        assert workers.stop() == [f"worker-1 (pid {child.pid}) stopped"]
        assert not entry.alive() and workers.recorded() == []
    finally:
        child.kill()
        child.wait()


def test_a_run_on_workers_without_a_broker_says_how_to_start_them(settings_file):
    from pipelines.distributed.job import require_workers

    # Nothing listens on port 9 (discard) of 127.0.0.1 here.
    settings_file.write_text("execution:\n  config:\n    broker: redis://127.0.0.1:9/0\n"
                             "    backend: redis://127.0.0.1:9/1\n"
                             "    config_source:\n      broker_connection_timeout: 1\n"
                             "      broker_connection_max_retries: 0\n", "utf-8")
    with pytest.raises(RuntimeError, match="tradeclaims workers start"):
        require_workers(timeout=1)


def test_workers_count_must_be_positive():
    from click.testing import CliRunner

    from pipelines.cli import main

    outcome = CliRunner().invoke(main, ["workers", "start", "--count", "0"])
    assert outcome.exit_code == 2 and "--count" in outcome.output


def test_the_readmes_postgres_instance_is_a_valid_dagster_yaml(tmp_path):
    from dagster._core.instance.config import dagster_instance_config

    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("**The Dagster instance on Postgres.**"):]
    start = section.index("```yaml\n") + len("```yaml\n")
    block = section[start:section.index("```\n", start)]
    assert block.startswith("storage:\n  postgres:")
    (tmp_path / "dagster.yaml").write_text(block, "utf-8")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["concurrency"]["pools"]["default_limit"] == 1  # one writer step, as in dagster.yaml


def test_the_workers_job_is_in_the_code_location_with_the_celery_executor():
    from pipelines.definitions import build_definitions

    job = build_definitions().get_job_def("documents_on_workers")
    assert job.executor_def.name == "celery"
    assert sorted(node.name for node in job.nodes) == ["document_batches", "process_documents", "workers_summary"]


def _ensure_redis(tmp_path, uid: int) -> subprocess.CompletedProcess:
    """scripts/ensure-redis.sh with a redis-server that is not there, and stubs for id and apt-get."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    for name, body in (("id", f"echo {uid}"), ("apt-get", 'echo "$@" >> "$LOG"')):
        (stubs / name).write_text(f"#!/bin/sh\n{body}\n")
        (stubs / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}", "REDIS_SERVER": str(tmp_path / "redis-server"),
           "LOG": str(tmp_path / "apt.log")}
    return subprocess.run(["sh", str(ROOT / "scripts" / "ensure-redis.sh")], env=env, capture_output=True,
                          text=True, timeout=60)


def test_redis_missing_and_not_root_is_one_line_saying_how(tmp_path):
    done = _ensure_redis(tmp_path, uid=1000)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "apt-get install redis-server" in done.stderr
    assert not (tmp_path / "apt.log").exists()


def test_redis_missing_as_root_is_installed_with_apt_get(tmp_path):
    done = _ensure_redis(tmp_path, uid=0)
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert any(call.endswith("update -qq") for call in calls)
    assert any("install -y -qq redis-server" in call for call in calls)
    # the stub installs nothing, so the script says the binary is still missing
    assert done.returncode == 1 and "still not on PATH" in done.stderr
