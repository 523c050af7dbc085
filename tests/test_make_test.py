"""`make test` sets up everything the tests need by itself; .ci/run needs nothing beyond it."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ensure-chromium.sh"


def stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


def ensure(tmp_path: Path, uid: int, apt: str = 'echo "$@" >> "$LOG"') -> subprocess.CompletedProcess:
    """Run the script with a browser path that does not exist yet, and stubs for id and apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    stub(bin_dir, "id", f"echo {uid}")
    stub(bin_dir, "apt-get", apt)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CHROMIUM": str(tmp_path / "chromium"),
           "LOG": str(tmp_path / "apt.log")}
    return subprocess.run(["sh", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def test_make_test_sets_up_the_browser_before_the_suite():
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "scripts/ensure-chromium.sh" in plan and "pytest" in plan
    assert plan.index("ensure-chromium") < plan.index("pytest")


def test_make_test_lints_before_the_suite():
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    assert "ruff check" in plan and plan.index("ruff check") < plan.index("pytest")


def test_setup_compiles_our_modules_whatever_pythondontwritebytecode_says(tmp_path):
    # The editable install leaves extractors/, pipelines/, ... uncompiled; with
    # PYTHONDONTWRITEBYTECODE set, every process would compile them again.
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60).stdout
    compile_line = next(line for line in plan.splitlines() if "compileall" in line)
    assert plan.index("compileall") < plan.index("pytest")
    package = tmp_path / "extractors"
    package.mkdir()
    (package / "sample.py").write_text("VALUE = 1\n")
    python, *arguments = compile_line.split()  # `make -n` prints it as run: .venv/bin/python -m compileall ...
    command = [str(ROOT / python), *arguments]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(command, cwd=tmp_path, env=env, check=True, timeout=60)
    assert list((package / "__pycache__").glob("sample.*.pyc"))


def test_ci_runs_the_readme_test_commands_and_nothing_else():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    # make test, then the distributed tests (Redis and Celery workers, README "Running on several machines")
    assert commands[-2:] == ["make test", "make test-distributed"]
    assert not any("apt-get" in line or "chromium" in line or "redis" in line for line in commands)


def test_as_root_a_missing_browser_is_installed_from_debian(tmp_path):
    done = ensure(tmp_path, 0, apt='echo "$@" >> "$LOG"; case "$*" in *install*) touch "$CHROMIUM"; '
                                   'chmod +x "$CHROMIUM";; esac')
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert len(calls) == 2 and calls[0].endswith("update -qq") and calls[1].endswith("install -y -qq chromium")


def test_not_as_root_a_missing_browser_is_one_clear_line(tmp_path):
    done = ensure(tmp_path, 1000)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "apt-get install chromium" in done.stderr
    assert str(tmp_path / "chromium") in done.stderr
    assert not (tmp_path / "apt.log").exists()


def test_a_failed_install_says_so(tmp_path):
    done = ensure(tmp_path, 0, apt="exit 0")  # "succeeds" but installs nothing
    assert done.returncode == 1 and "still missing" in done.stderr


def test_a_browser_already_there_needs_nothing(tmp_path):
    (tmp_path / "chromium").write_text("")
    (tmp_path / "chromium").chmod(0o755)
    done = ensure(tmp_path, 1000, apt="exit 99")
    assert done.returncode == 0 and done.stderr == ""


def test_the_suite_reads_nothing_outside_the_repository():
    from tests.conftest import SEED

    assert SEED.resolve().is_relative_to(ROOT) and SEED.is_file()
    outside = ("ROOT.parent", "shared/seeds", '"shared"')
    for module in (ROOT / "tests").rglob("*.py"):
        if module == Path(__file__).resolve():
            continue
        text = module.read_text("utf-8")
        assert not any(word in text for word in outside), module


def test_make_test_distributed_sets_up_redis_and_runs_only_the_distributed_tests():
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    plan = subprocess.run(["make", "-n", "test-distributed"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60).stdout
    assert "scripts/ensure-redis.sh" in plan and plan.index("ensure-redis") < plan.index("pytest")
    assert "-m distributed" in plan and "timeout" in plan
