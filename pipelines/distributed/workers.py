"""Start and stop redis-server and the Celery workers of distributed mode, by pid.

``tradeclaims workers start [--count N]`` starts redis-server on the host and port of
the broker URL in ``dagster-distributed.yaml`` (127.0.0.1:6379; installed from Debian
by ``scripts/ensure-redis.sh`` when missing) unless one answers there already, then N
Celery workers. Each process is recorded in ``<data>/workers/<name>.json`` with its pid
and its start time (a pid the system reused for another process is never signalled),
and logs to ``<data>/workers/<name>.log``. ``tradeclaims workers stop`` stops the
workers (warm shutdown: the current task finishes; SIGKILL after the grace period, the
task is then redelivered), then the redis-server it started.

Workers use Celery's ``solo`` pool: one process per worker, so the recorded pid is the
process that runs the tasks (what the tests kill), and it loads spaCy once.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines import project
from pipelines.distributed.config import celery_app, config_path, executor_config, redis_address

WORKER_QUEUE = "dagster"  # dagster-celery's queue (dagster_celery.make_app)


class WorkersError(RuntimeError):
    """A worker or redis-server could not be started (the message says why and how)."""


@dataclass
class Recorded:
    """A process recorded under ``<data>/workers/``."""

    name: str
    pid: int
    started: str | None
    log: str

    def alive(self) -> bool:
        return _started(self.pid) is not None and _started(self.pid) == self.started


def state_dir() -> Path:
    return project.data_dir() / "workers"


def _started(pid: int) -> str | None:
    """Start time of a live, non-zombie process ``pid`` (clock ticks since boot), else None."""
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it if it is our own child that died
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def recorded() -> list[Recorded]:
    """The processes recorded by ``start``, workers first, redis last."""
    folder = state_dir()
    found = [Recorded(**json.loads(path.read_text("utf-8"))) for path in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda r: r.name == "redis")


def _record(name: str, process: subprocess.Popen, log: Path) -> Recorded:
    entry = Recorded(name=name, pid=process.pid, started=_started(process.pid), log=str(log))
    (state_dir() / f"{name}.json").write_text(json.dumps(entry.__dict__), "utf-8")
    return entry


def _redis_answers(host: str, port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host=host, port=port, socket_timeout=1, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis_installed() -> str:
    """The redis-server binary; installed from Debian as root when missing, else one line how."""
    found = shutil.which("redis-server")
    if found:
        return found
    script = project.project_root() / "scripts" / "ensure-redis.sh"
    if script.is_file():
        done = subprocess.run(["sh", str(script)], capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            raise WorkersError(done.stderr.strip() or f"{script} failed")
    found = shutil.which("redis-server")
    if not found:
        raise WorkersError("redis-server is missing; install Debian's redis-server (sudo apt-get install redis-server)")
    return found


def start_redis(timeout: float = 20.0) -> Recorded | None:
    """Start redis-server at the broker's address, unless one answers there; None then."""
    host, port = redis_address(executor_config())
    if _redis_answers(host, port):
        return None
    if host not in ("127.0.0.1", "localhost"):
        raise WorkersError(f"no Redis answers at {host}:{port} ({config_path()}); "
                           "start it on that machine: only a local one is started here")
    binary = ensure_redis_installed()
    folder = state_dir()
    log = folder / "redis.log"
    # No snapshots, no append-only file: queued tasks are the runs' to resend, not data to keep.
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                "--appendonly", "no", "--dir", str(folder), "--logfile", str(log)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True)
    entry = _record("redis", process, log)
    deadline = time.monotonic() + timeout
    while not _redis_answers(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop([entry])
            raise WorkersError(f"redis-server did not start on {host}:{port}; see {log}")
        time.sleep(0.1)
    return entry


def worker_command(name: str, log: Path) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "pipelines.distributed.app", "worker", "--pool", "solo",
            "--queues", WORKER_QUEUE, "--hostname", f"{name}@%h", "--loglevel", "INFO", "--logfile", str(log),
            "--without-gossip", "--without-mingle"]


def start(count: int = 2, timeout: float = 120.0) -> list[Recorded]:
    """Start redis-server (when none answers) and ``count`` workers; wait until every worker answers.

    The workers inherit this process's environment: ``DAGSTER_HOME`` (the instance they
    record step events in), ``TRADECLAIMS_DATA``, ``TRADECLAIMS_CELERY_CONFIG``.
    """
    if count < 1:
        raise WorkersError(f"--count {count}: at least one worker")
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    running = [r for r in recorded() if r.alive()]
    if any(r.name != "redis" for r in running):
        raise WorkersError(f"workers are running already ({', '.join(f'{r.name} pid {r.pid}' for r in running)}); "
                           "stop them first: tradeclaims workers stop")
    started = [entry] if (entry := start_redis()) else []
    env = {**os.environ, "DAGSTER_HOME": os.environ.get("DAGSTER_HOME", str(project.project_root()))}
    for number in range(1, count + 1):
        name = f"worker-{number}"
        log = folder / f"{name}.log"
        with open(log, "ab") as errors:  # what Celery prints before its log file is open
            process = subprocess.Popen(worker_command(name, log), env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        started.append(_record(name, process, log))
    try:
        wait_ready([r for r in started if r.name != "redis"], timeout)
    except WorkersError:
        stop(started)
        raise
    return started


def wait_ready(workers: list[Recorded], timeout: float) -> None:
    """Wait until every worker answers Celery's ping (each has imported Dagster and connected)."""
    app = celery_app()
    expected = {w.name for w in workers}
    deadline = time.monotonic() + timeout
    while True:
        dead = [w for w in workers if not w.alive()]
        if dead:
            raise WorkersError(f"{dead[0].name} exited while starting; see {dead[0].log}")
        try:
            replies = app.control.ping(timeout=1.0) or []
        except Exception:  # noqa: BLE001 (a broker that just started may drop the first connections)
            replies = []
        answered = {name.split("@")[0] for reply in replies for name in reply}
        if expected <= answered:
            return
        if time.monotonic() > deadline:
            missing = sorted(expected - answered)
            raise WorkersError(f"{', '.join(missing)} did not answer within {timeout:.0f} s; "
                               f"see {state_dir() / (missing[0] + '.log')}")
        time.sleep(0.5)


def stop(entries: list[Recorded] | None = None, grace: float = 20.0) -> list[str]:
    """Stop the recorded processes (workers first, then redis): SIGTERM, SIGKILL after ``grace`` s.

    Returns:
        one line per process, what was done.
    """
    entries = recorded() if entries is None else entries
    said = []
    for entry in entries:
        if entry.alive():
            os.kill(entry.pid, signal.SIGTERM)
            deadline = time.monotonic() + grace
            while entry.alive() and time.monotonic() < deadline:
                time.sleep(0.1)
            if entry.alive():
                os.kill(entry.pid, signal.SIGKILL)
                while entry.alive() and time.monotonic() < deadline + 5:
                    time.sleep(0.1)
                said.append(f"{entry.name} (pid {entry.pid}) killed after {grace:.0f} s")
            else:
                said.append(f"{entry.name} (pid {entry.pid}) stopped")
        else:
            said.append(f"{entry.name} (pid {entry.pid}) was not running")
        (state_dir() / f"{entry.name}.json").unlink(missing_ok=True)
    return said
