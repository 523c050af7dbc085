"""Concurrent fetching (issue 13): limits in all and per host, hosts in turn, a deadline per run.

Each local server is one host (its port is part of the host). No test asserts on seconds:
servers that never answer are released by the test (or by the fixture at its end), and
every fetcher has a deadline far above what a passing test needs, so a regression fails
instead of hanging.
"""
from __future__ import annotations

import socket
import threading

import pytest

from sources.fetch_many import FetchJob, FetchLimits, fetch_many, host_of
from tests.test_fetch import make_fetcher, raw_server, store  # noqa: F401  (fixtures)

OK = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"


class InFlight:
    """Counts the requests a server is answering at once, and the most it ever answered."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.most = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


def by_key(results):
    return {job.key: result for job, result in results}


def slow_ok(flight: InFlight, release: threading.Event, wait: float = 0.2):
    """A server that holds each answer a little, so that requests overlap if they can."""
    def respond(sock: socket.socket) -> None:
        with flight:
            release.wait(wait)
            sock.sendall(OK)
    return respond


def test_no_host_gets_more_fetches_at_once_than_per_host(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    flights = [InFlight(), InFlight()]
    bases = []
    for flight in flights:
        base, srv = raw_server(slow_ok(flight, threading.Event()))
        bases.append(base)
    jobs = [FetchJob((h, i), f"{base}/{i}.txt") for h, base in enumerate(bases) for i in range(6)]
    results = list(fetch_many(make_fetcher(deadline=20), jobs, FetchLimits(concurrency=8, per_host=2)))
    assert sorted(job.key for job, _ in results) == sorted(job.key for job in jobs)  # each once
    assert all(result.ok for _, result in results)
    assert [flight.most for flight in flights] == [2, 2]  # overlapping, never above the limit


def test_the_limit_in_all_holds_across_hosts(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    flight = InFlight()  # shared by the three servers: fetches at once in all
    bases = [raw_server(slow_ok(flight, threading.Event()))[0] for _ in range(3)]
    jobs = [FetchJob((h, i), f"{base}/{i}.txt") for h, base in enumerate(bases) for i in range(4)]
    results = list(fetch_many(make_fetcher(deadline=20), jobs, FetchLimits(concurrency=3, per_host=3)))
    assert len(results) == 12 and all(result.ok for _, result in results)
    assert flight.most <= 3


def test_a_silent_host_does_not_stall_the_others(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    silent_release = threading.Event()

    def silent(sock: socket.socket) -> None:
        silent_release.wait(20)  # answers only when the test says so
        sock.sendall(OK)

    slow_base, _ = raw_server(silent)
    fast_base, _ = raw_server(lambda sock: sock.sendall(OK))
    # The silent host's URLs come first in the registry.
    jobs = [FetchJob(("silent", i), f"{slow_base}/{i}") for i in range(4)]
    jobs += [FetchJob(("fast", i), f"{fast_base}/{i}") for i in range(10)]
    order = []
    for job, result in fetch_many(make_fetcher(deadline=25, timeout=25), jobs,
                                  FetchLimits(concurrency=3, per_host=2)):
        order.append(job.key[0])
        assert result.ok, result.error
        if order.count("fast") == 10:
            silent_release.set()
    assert order == ["fast"] * 10 + ["silent"] * 4


def test_hosts_take_turns(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    a, _ = raw_server(lambda sock: sock.sendall(OK))
    b, _ = raw_server(lambda sock: sock.sendall(OK))
    jobs = [FetchJob(f"a{i}", f"{a}/{i}") for i in range(3)] + [FetchJob(f"b{i}", f"{b}/{i}") for i in range(2)]
    # One at a time, the order of the results is the order of the starts.
    order = [job.key for job, _ in fetch_many(make_fetcher(), jobs, FetchLimits(concurrency=1, per_host=1))]
    assert order == ["a0", "b0", "a1", "b1", "a2"]


def test_the_run_deadline_cuts_the_fetch_under_way_and_skips_the_rest(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    def silent(sock: socket.socket) -> None:
        srv.release.wait(20)

    base, srv = raw_server(silent)
    jobs = [FetchJob(i, f"{base}/{i}.html") for i in range(3)]
    results = by_key(fetch_many(make_fetcher(timeout=20, deadline=20), jobs,
                                FetchLimits(concurrency=1, run_deadline=0.5)))
    first, *rest = (results[i] for i in range(3))
    assert first.error == f"{base}/0.html: not fetched before the run's 0.5 s fetch deadline"
    assert first.attempts == 1 and first.seconds < 20
    for i, result in enumerate(rest, 1):
        assert not result.ok and result.attempts == 0
        assert result.error == (f"{base}/{i}.html: not fetched: the run's 0.5 s fetch deadline passed "
                                "before its turn (the next run fetches it)")
    assert srv.hits == 1


def test_a_fetch_that_ends_first_keeps_its_own_deadline(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    def silent(sock: socket.socket) -> None:
        srv.release.wait(20)

    base, srv = raw_server(silent)
    [(_, result)] = fetch_many(make_fetcher(timeout=20, deadline=0.5), [FetchJob(0, base + "/x")],
                               FetchLimits(run_deadline=30))
    assert result.error == f"{base}/x: not fetched within the 0.5 s deadline"


def test_a_url_the_fetcher_cannot_take_is_its_own_error(make_fetcher, tmp_path):  # noqa: F811 (the imported fixture)
    (tmp_path / "a.txt").write_text("some text")
    jobs = [FetchJob("bad", "gopher://example.org/x"), FetchJob("good", str(tmp_path / "a.txt"))]
    results = by_key(fetch_many(make_fetcher(), jobs))
    assert results["good"].ok and results["good"].seconds >= 0
    assert not results["bad"].ok and "unsupported URL scheme 'gopher'" in results["bad"].error


def test_no_jobs_no_results(make_fetcher):  # noqa: F811 (the imported fixture)
    assert list(fetch_many(make_fetcher(), [])) == []


@pytest.mark.parametrize("url, host", [
    ("http://Example.org/a", "http://example.org:80"),
    ("https://example.org/a", "https://example.org:443"),
    ("http://example.org:8080/a", "http://example.org:8080"),
    ("http://127.0.0.1:5/a", "http://127.0.0.1:5"),
    ("http://[::1]:5/a", "http://::1:5"),
    ("file:///tmp/a.pdf", "file"),
    ("corpus/a.pdf", "file"),
])
def test_the_host_a_fetch_counts_against(url, host):
    assert host_of(url) == host


@pytest.mark.parametrize("limits, problem", [
    (dict(concurrency=0), "concurrency must be between 1 and 100, not 0"),
    (dict(concurrency=101), "concurrency must be between 1 and 100, not 101"),
    (dict(per_host=0), "per_host must be at least 1, not 0"),
    (dict(run_deadline=0), "run_deadline must be > 0 seconds, not 0"),
])
def test_bad_limits_are_refused_by_name(limits, problem):
    with pytest.raises(ValueError) as caught:
        FetchLimits(**limits)
    assert str(caught.value) == problem
