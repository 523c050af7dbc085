"""Fetch many URLs at once: a limit in all and per host, and a deadline for the whole run.

``fetch_many(fetcher, jobs, limits)`` yields ``(job, FetchResult)`` as each fetch ends
(not in the order given). At most ``limits.concurrency`` fetches run at once and at most
``limits.per_host`` against one host (scheme, host and port of the URL; every local file
counts as one host), so a slow or silent host holds only its own slots: the other hosts'
URLs go on in the remaining ones. Hosts take turns, so a registry that lists 200 URLs of
one site before those of another does not make the second one wait for the first.

With ``limits.run_deadline`` (seconds) the fetching ends then: a fetch under way is cut
off at that moment (``Fetcher.fetch(until=...)``), and a URL whose turn has not come is
not requested at all; its result is an error saying so (``attempts`` 0), and the next run
fetches it.

Why threads
-----------
A fetch spends its time waiting on sockets and sleeping between retries, so threads
overlap that waiting as well as anything would, and they keep everything the
``Fetcher`` already has and tests: the same ``httpx.Client`` (thread-safe, one
connection pool shared by all threads), tenacity's retry loop (one ``Retrying`` per call,
no shared state), the address checks of ``sources/addresses.py`` (a blocking
``httpcore`` backend), the deadline timer that shuts a dripping socket down, and the
state file's lock. asyncio would mean a second client (``httpx.AsyncClient``), an async
network backend for the address check and an async retry loop, for no gain at tens of
connections; processes would copy the client and need a shared state file for nothing,
since fetching uses little CPU. Scheduling is ``concurrent.futures`` from the standard
library: this module only decides which URL starts next.
"""
from __future__ import annotations

import time
from collections import Counter, OrderedDict, deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Hashable, Iterable, Iterator
from urllib.parse import urlsplit

from .fetch import Fetcher, FetchResult, RunDeadline

__all__ = ["FetchJob", "FetchLimits", "fetch_many", "host_of"]

# httpx's default pool holds 100 connections; more fetches at once would wait for one.
MAX_CONCURRENCY = 100


@dataclass(frozen=True)
class FetchJob:
    """One URL to fetch; ``key`` is the caller's name for it (a source id)."""

    key: Hashable
    url: str
    expect: str | None = None


@dataclass(frozen=True)
class FetchLimits:
    """How many fetches run at once, in all and per host, and how long a run's fetching may take.

    Attributes:
        concurrency: fetches at once (1 fetches one URL after the other).
        per_host: fetches at once against one host.
        run_deadline: seconds for all the fetches of one call, or None for no limit.
    """

    concurrency: int = 8
    per_host: int = 2
    run_deadline: float | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be between 1 and {MAX_CONCURRENCY}, not {self.concurrency!r}")
        if self.per_host < 1:
            raise ValueError(f"per_host must be at least 1, not {self.per_host!r}")
        if self.run_deadline is not None and self.run_deadline <= 0:
            raise ValueError(f"run_deadline must be > 0 seconds, not {self.run_deadline!r}")


def host_of(url: str) -> str:
    """The host a URL's fetch counts against: ``scheme://host:port``, or ``file`` for local paths."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return "file"
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:  # a malformed port: the fetch itself reports it
        port = None
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def fetch_many(fetcher: Fetcher, jobs: Iterable[FetchJob], limits: FetchLimits | None = None
               ) -> Iterator[tuple[FetchJob, FetchResult]]:
    """Fetch ``jobs`` concurrently within ``limits``; yield each ``(job, result)`` as it ends.

    Every job is yielded exactly once. A ``ValueError`` from the fetch (an unsupported
    URL scheme, an unknown ``expect``) becomes that job's error; any other exception is
    a bug and propagates once the fetches under way have ended.
    """
    limits = limits or FetchLimits()
    waiting: OrderedDict[str, deque[FetchJob]] = OrderedDict()
    for job in jobs:
        waiting.setdefault(host_of(job.url), deque()).append(job)
    if not waiting:
        return
    until = RunDeadline.starting_now(limits.run_deadline) if limits.run_deadline else None
    running: dict[Future, tuple[FetchJob, str]] = {}
    busy: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=limits.concurrency, thread_name_prefix="fetch") as pool:
        while waiting or running:
            if until is not None and until.passed():
                for queue in waiting.values():
                    for job in queue:
                        yield job, _not_started(job, until)
                waiting.clear()
            for job, host in _next_jobs(waiting, busy, limits, len(running)):
                running[pool.submit(_fetch_one, fetcher, job, until)] = (job, host)
            if not running:
                continue
            # Wake up at the run's deadline too, to give up on the jobs not started.
            timeout = max(0.0, until.at - time.monotonic()) if until is not None and waiting else None
            done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                job, host = running.pop(future)
                busy[host] -= 1
                yield job, future.result()


def _next_jobs(waiting: OrderedDict[str, deque[FetchJob]], busy: Counter[str], limits: FetchLimits,
               running: int) -> list[tuple[FetchJob, str]]:
    """The jobs to start now: one per host in turn, while slots are free in all and on that host.

    Takes them off ``waiting`` and counts them in ``busy``.
    """
    started: list[tuple[FetchJob, str]] = []
    progress = True
    while progress and running + len(started) < limits.concurrency:
        progress = False
        for host in list(waiting):
            if running + len(started) >= limits.concurrency:
                break
            if busy[host] >= limits.per_host:
                continue
            queue = waiting[host]
            started.append((queue.popleft(), host))
            busy[host] += 1
            progress = True
            if queue:
                waiting.move_to_end(host)  # the next host's turn
            else:
                del waiting[host]
    return started


def _fetch_one(fetcher: Fetcher, job: FetchJob, until: RunDeadline | None) -> FetchResult:
    try:
        return fetcher.fetch(job.url, expect=job.expect, until=until)
    except ValueError as exc:
        return FetchResult(url=job.url, final_url=job.url, error=str(exc))


def _not_started(job: FetchJob, until: RunDeadline) -> FetchResult:
    return FetchResult(url=job.url, final_url=job.url, error=(
        f"{job.url}: not fetched: the run's {until.seconds:g} s fetch deadline passed before its turn "
        "(the next run fetches it)"))
