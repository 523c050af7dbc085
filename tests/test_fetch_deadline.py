"""A fetch has a total deadline: drip-fed bodies, silent servers and endless retries end (issue 16.2).

The servers are raw sockets on 127.0.0.1 (allowed by name, see tests/conftest.py). No
test asserts on seconds: each checks the error and how far the server got, and runs
the fetch in a thread joined with a generous bound, so a regression fails instead
of hanging.
"""
from __future__ import annotations

import socket
import threading

from tests.test_fetch import make_fetcher, raw_server, store, stored_files  # noqa: F401  (fixtures)

HANG_GUARD = 30  # seconds; far above every deadline below


def fetch_in_thread(fetcher, url):
    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("result", fetcher.fetch(url)), daemon=True)
    worker.start()
    worker.join(HANG_GUARD)
    assert not worker.is_alive(), "the fetch did not end at its deadline"
    return box["result"]


def test_a_drip_fed_body_is_cut_off_at_the_deadline(raw_server, make_fetcher, store):  # noqa: F811 (the imported fixture)
    sent = []

    def respond(sock: socket.socket) -> None:
        # 7.5 KB announced, one byte every 50 ms: 6 minutes for the whole body, and
        # never a pause long enough for the read timeout.
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 7500\r\n\r\n")
        try:
            for _ in range(7500):
                if srv.release.wait(0.05):
                    return
                sock.sendall(b"x")
                sent.append(1)
        except OSError:
            pass  # the client hung up: the body was cut off

    base, srv = raw_server(respond)
    url = base + "/drip.html"
    result = fetch_in_thread(make_fetcher(timeout=5, deadline=1.0, retries=3), url)
    assert not result.ok and result.error == f"{url}: not fetched within the 1 s deadline"
    assert result.attempts == 1 and srv.hits == 1  # a missed deadline is not retried
    assert 0 < len(sent) < 7500
    assert stored_files(store.root) == []


def test_a_silent_server_costs_the_deadline_not_attempts_times_timeout(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    def respond(sock: socket.socket) -> None:
        srv.release.wait(HANG_GUARD)  # read the request, never answer

    base, srv = raw_server(respond)
    url = base + "/silent.pdf"
    # Without the deadline: 5 attempts x 20 s read timeout.
    result = fetch_in_thread(make_fetcher(timeout=20, deadline=1.0, retries=4), url)
    assert not result.ok and result.error == f"{url}: not fetched within the 1 s deadline"
    assert srv.hits == 1


def test_retries_stop_at_the_deadline(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    def respond(sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    base, srv = raw_server(respond)
    url = base + "/busy.pdf"
    result = fetch_in_thread(make_fetcher(deadline=0.5, retries=1000, backoff_initial=0.05, backoff_max=0.1), url)
    assert not result.ok
    assert 1 < result.attempts == srv.hits < 1001
    assert result.error == (f"{url}: not fetched within the 0.5 s deadline, after {result.attempts} attempts "
                            "(the last attempt before: HTTP 503 Service Unavailable)")


def test_a_fast_fetch_is_untouched_by_the_deadline(raw_server, make_fetcher):  # noqa: F811 (the imported fixture)
    def respond(sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n"
                     b"Connection: close\r\n\r\nhello there")

    base, _ = raw_server(respond)
    result = fetch_in_thread(make_fetcher(deadline=5.0), base + "/ok.txt")
    assert result.ok and result.bytes == 11
