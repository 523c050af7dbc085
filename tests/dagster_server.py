"""Helpers and a fixture for tests that run Dagster's own processes (webserver, `tradeclaims ui`).

Every process starts in its own session (process group), with ``DAGSTER_HOME`` and
the ``TRADECLAIMS_*`` folders in a temporary directory holding a copy of the
repo's ``dagster.yaml``, so that nothing lands in the checkout's ``data/``.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEMO_REGISTRY = ROOT / "registries" / "demo.toml"
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def project_home(folder: Path) -> dict[str, str]:
    """Make ``folder`` a tradeclaims home (a copy of dagster.yaml); return the environment for it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", folder / "dagster.yaml")
    env = dict(os.environ)
    env.update({
        "DAGSTER_HOME": str(folder),
        "TRADECLAIMS_HOME": str(folder),
        "TRADECLAIMS_REGISTRY": str(DEMO_REGISTRY),
        "TRADECLAIMS_DATA": str(folder / "data"),
        "TRADECLAIMS_WAREHOUSE": str(folder / "data" / "warehouse.duckdb"),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    """Start ``command`` in a new session, its output into ``log``."""
    with open(log, "wb") as out:
        return subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_for_server(url: str, process: subprocess.Popen, log: Path, timeout: float = 120.0) -> dict:
    """Poll ``<url>/server_info`` until it answers; fail with the log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            response = httpx.get(f"{url}/server_info", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{url} did not answer within {timeout} s:\n{log.read_text(errors='replace')[-4000:]}")


def stop_group(process: subprocess.Popen, grace: float = 15.0) -> None:
    """SIGTERM the process's group, SIGKILL what is left after ``grace`` seconds."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def graphql(url: str, query: str, variables: dict | None = None) -> dict:
    response = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=120)
    response.raise_for_status()
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]


def process_table() -> dict[int, tuple[int, int, str]]:
    """pid → (ppid, pgid, command line) of every live (not zombie) process, from /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] == "Z":
            continue
        table[int(entry.name)] = (int(fields[1]), int(fields[2]), cmdline)
    return table


def descendants(pid: int) -> dict[int, tuple[int, int, str]]:
    """The live processes below ``pid`` (children, grandchildren, …)."""
    table = process_table()
    found: dict[int, tuple[int, int, str]] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, info in table.items():
            if info[0] == parent and child not in found:
                found[child] = info
                frontier.append(child)
    return found


@dataclass
class Webserver:
    url: str
    home: Path
    env: dict[str, str]
    log: Path
    materialize_seconds: float
    start_seconds: float


@pytest.fixture(scope="module")
def dagster_webserver(tmp_path_factory):
    """The demo registry materialized by ``tradeclaims run`` into a temporary Dagster home,
    then ``dagster-webserver`` serving this project from that home on a free port."""
    home = tmp_path_factory.mktemp("dagster-home")
    env = project_home(home)
    started = time.monotonic()
    run = subprocess.run([str(BIN / "tradeclaims"), "run"], env=env, cwd=home, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    materialize_seconds = time.monotonic() - started
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = home / "webserver.log"
    started = time.monotonic()
    process = start([str(BIN / "dagster-webserver"), "-m", "pipelines.definitions", "-h", "127.0.0.1",
                     "-p", str(port)], env, home, log)
    try:
        wait_for_server(url, process, log)
        yield Webserver(url, home, env, log, materialize_seconds, time.monotonic() - started)
    finally:
        stop_group(process)
