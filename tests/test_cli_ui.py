"""`tradeclaims ui`: webserver and daemon on 127.0.0.1, the URL printed, Ctrl-C stops every child.

The CLI is started the hard way: in its own session and with SIGINT *ignored*, as a
shell starts a background job (`tradeclaims ui &`). Python then raises no
KeyboardInterrupt and `dg dev` ignores SIGTERM as well, unless the CLI
installs its own handlers: without them this test finds the processes still running.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from tests.dagster_server import BIN, descendants, free_port, process_table, project_home, wait_for_server

pytestmark = pytest.mark.slow


def _as_background_job() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_ui_serves_and_ctrl_c_stops_every_process(tmp_path):
    env = project_home(tmp_path / "home")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "ui.log"
    with open(log, "wb") as out:
        # Its own session, like a shell's foreground job: SIGINT goes to the CLI alone.
        cli = subprocess.Popen([str(BIN / "tradeclaims"), "ui", "--port", str(port)], env=env, cwd=tmp_path,
                               stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               start_new_session=True, preexec_fn=_as_background_job)
    try:
        started = time.monotonic()
        assert wait_for_server(url, cli, log)["dagster_version"]
        # The daemon runs too (dg dev starts it beside the webserver and a code server).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            children = descendants(cli.pid)
            if any("dagster._daemon" in cmd for _, _, cmd in children.values()):
                break
            time.sleep(0.5)
        commands = " | ".join(cmd for _, _, cmd in children.values())
        assert "dagster_webserver" in commands and "dagster._daemon" in commands, commands
        assert "/dg dev -m pipelines.definitions" in commands, commands  # dg dev, not the superseded dagster dev
        assert f"http://127.0.0.1:{port}" in log.read_text()
        print(f"tradeclaims ui: up in {time.monotonic() - started:.1f} s with {len(children)} child processes")

        stopping = time.monotonic()
        os.kill(cli.pid, signal.SIGINT)
        assert cli.wait(timeout=30) is not None
        groups = {pgid for _, pgid, _ in children.values()} | {cli.pid}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            left = {pid: info for pid, info in process_table().items() if pid in children or info[1] in groups}
            if not left:
                break
            time.sleep(0.2)
        assert not left, f"still running after Ctrl-C: {left}"
        print(f"tradeclaims ui: stopped in {time.monotonic() - stopping:.1f} s")
        assert "Stopping Dagster" in log.read_text()
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait()
