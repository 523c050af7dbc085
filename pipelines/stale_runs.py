"""Runs whose process died (``kill -9``, a crash, the machine stopped) are ended, and their pool slots freed.

``tradeclaims run`` executes its Dagster runs in its own process. Killed while
``warehouse_claims`` holds the ``warehouse_writer`` pool slot (one at a time, see
dagster.yaml), it leaves that run STARTED and the slot claimed in Dagster's storage,
with nothing left to report its end, and every later run waits for the slot forever.
Dagster's own run monitoring needs the daemon (``tradeclaims ui``) and only frees
slots of runs already marked finished. So each run we start is tagged with the host,
process id and process start time that execute it; before starting, a new
``tradeclaims run`` marks failed every unfinished run of this host whose process is
gone (a pid reused by another process has another start time), then frees the slots
of every finished run that still holds one.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import NOT_FINISHED_STATUSES

HOST_TAG, PID_TAG, STARTED_TAG = "tradeclaims/host", "tradeclaims/pid", "tradeclaims/process_started"


def _process_started(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot, /proc), or None without /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]


def process_tags() -> dict[str, str]:
    """Tags naming the process that executes a run (see :func:`process_alive`)."""
    pid = os.getpid()
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(pid), STARTED_TAG: _process_started(pid) or ""}


def process_alive(tags: dict[str, str]) -> bool | None:
    """Whether the process a run's tags name still runs; None when that cannot be told here
    (a run without our tags, such as one the daemon launched, or one of another host)."""
    if HOST_TAG not in tags or tags[HOST_TAG] != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return None
    pid = int(tags[PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    started = _process_started(pid)
    if started is not None and tags.get(STARTED_TAG) and started != tags[STARTED_TAG]:
        return False  # the pid now belongs to another process
    return True


def end_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every unfinished run whose process is gone and free the pool slots of finished runs.

    Returns:
        the ids of the runs marked failed.
    """
    dead = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=NOT_FINISHED_STATUSES)):
        if process_alive(run.tags) is False:
            instance.report_run_failed(run, message=f"run {run.run_id}: its process (pid {run.tags[PID_TAG]} on "
                                                    f"{run.tags[HOST_TAG]}) is no longer running; marked failed "
                                                    "by a later tradeclaims run, which freed its pool slots")
            dead.append(run.run_id)
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return dead
    holders = set(storage.get_concurrency_run_ids())
    for pool in storage.get_concurrency_keys():
        holders |= {slot.run_id for slot in storage.get_concurrency_info(pool).claimed_slots if slot.run_id}
    for run_id in holders:
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
    return dead
