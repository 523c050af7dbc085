"""Fetcher against real HTTP servers on 127.0.0.1 (no internet needed).

Most cases use pytest-httpserver. Slow, truncated and read-until-close responses
need control over the raw bytes on the socket, so a tiny threaded socket server
(``raw_server``) serves those.
"""

from __future__ import annotations

import hashlib
import json
import socket
import socketserver
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Callable

import pytest
from werkzeug import Request, Response

from sources.addresses import AddressPolicy
from sources.fetch import Fetcher, FetchResult, parse_retry_after, sniff_media_type
from sources.rawstore import RawStore
from tests.conftest import LOCAL_TEST_HOSTS

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_ERROR = b"<!DOCTYPE html>\n<html><head><title>Error</title></head><body>Not here</body></html>"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def store(tmp_path: Path) -> RawStore:
    return RawStore(tmp_path / "raw")


@pytest.fixture
def make_fetcher(store: RawStore, tmp_path: Path):
    made: list[Fetcher] = []

    def make(**kw) -> Fetcher:
        opts = dict(timeout=0.5, backoff_initial=0.01, backoff_max=0.05, retries=2,
                    address_policy=AddressPolicy.allowing(hosts=LOCAL_TEST_HOSTS))
        opts.update(kw)
        f = Fetcher(store, tmp_path / "state" / "fetch_state.json", **opts)
        made.append(f)
        return f

    yield make
    for f in made:
        f.close()


# ----------------------------------------------------------------- raw socket server


class _RawHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(4096)
            if not chunk:
                return
            buf += chunk
        self.server.hits += 1  # type: ignore[attr-defined]
        try:
            self.server.respond(sock)  # type: ignore[attr-defined]
        except OSError:
            pass


class _RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True


@pytest.fixture
def raw_server():
    """start(respond) -> base URL; respond(sock) writes the raw HTTP response."""
    servers: list[_RawServer] = []
    release = threading.Event()

    def start(respond: Callable[[socket.socket], None]) -> tuple[str, _RawServer]:
        srv = _RawServer(("127.0.0.1", 0), _RawHandler)
        srv.respond = respond  # type: ignore[attr-defined]
        srv.hits = 0  # type: ignore[attr-defined]
        srv.release = release  # type: ignore[attr-defined]
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        servers.append(srv)
        host, port = srv.server_address[:2]
        return f"http://{host}:{port}", srv

    yield start
    release.set()
    for srv in servers:
        srv.shutdown()
        srv.server_close()


# ----------------------------------------------------------------------- the cases


def test_200_is_stored_with_right_sha(httpserver, make_fetcher, store):
    httpserver.expect_request("/report.pdf").respond_with_data(
        PDF, content_type="application/pdf", headers={"ETag": '"abc"'}
    )
    url = httpserver.url_for("/report.pdf")
    r = make_fetcher().fetch(url, expect="pdf")
    assert r.ok and r.error is None
    assert r.status == 200 and r.attempts == 1 and not r.not_modified
    assert r.sha256 == sha(PDF)
    assert r.path == store.path_for(sha(PDF)) and r.path.read_bytes() == PDF
    assert r.path.name == sha(PDF) and r.path.parent.name == sha(PDF)[:2]
    assert r.media_type == "pdf" and r.content_type == "application/pdf"
    assert r.bytes == len(PDF) and r.etag == '"abc"'
    assert r.final_url == url
    assert datetime.fromisoformat(r.fetched_at).tzinfo is not None
    row = r.to_row()
    assert row["path"] == str(r.path) and row["sha256"] == sha(PDF) and row["ok"] is True
    json.dumps(row)  # plain values only


def test_user_agent_is_sent(httpserver, make_fetcher):
    httpserver.expect_request("/ua", headers={"User-Agent": "tc-test/1"}).respond_with_data("hi")
    r = make_fetcher(user_agent="tc-test/1").fetch(httpserver.url_for("/ua"))
    assert r.ok, r.error


def test_304_with_etag_on_second_fetch(httpserver, make_fetcher, store, tmp_path):
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(PDF, status=200, content_type="application/pdf", headers={"ETag": '"v1"'})

    httpserver.expect_request("/etag.pdf").respond_with_handler(handler)
    url = httpserver.url_for("/etag.pdf")
    f = make_fetcher()
    first = f.fetch(url, expect="pdf")
    assert first.ok and not first.not_modified
    files_before = stored_files(store.root)
    mtime_before = first.path.stat().st_mtime_ns

    state = json.loads((tmp_path / "state" / "fetch_state.json").read_text())
    assert state[url]["etag"] == '"v1"' and state[url]["sha256"] == sha(PDF)

    second = f.fetch(url, expect="pdf")
    assert seen == [None, '"v1"']
    assert second.ok and second.not_modified and second.status == 304
    assert second.sha256 == first.sha256 and second.path == first.path
    assert second.media_type == "pdf" and second.bytes == 0
    assert stored_files(store.root) == files_before
    assert first.path.stat().st_mtime_ns == mtime_before


def test_304_with_last_modified(httpserver, make_fetcher):
    stamp = "Wed, 01 Oct 2025 10:00:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-Modified-Since") == stamp:
            return Response(status=304)
        return Response(b"plain text body", content_type="text/plain", headers={"Last-Modified": stamp})

    httpserver.expect_request("/lm.txt").respond_with_handler(handler)
    f = make_fetcher()
    first = f.fetch(httpserver.url_for("/lm.txt"))
    second = f.fetch(httpserver.url_for("/lm.txt"))
    assert first.ok and first.media_type == "text" and first.last_modified == stamp
    assert second.ok and second.not_modified and second.sha256 == first.sha256
    assert second.last_modified == stamp


def test_conditional_headers_not_sent_when_blob_missing(httpserver, make_fetcher, store):
    seen: list[str | None] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("If-None-Match"))
        return Response(PDF, content_type="application/pdf", headers={"ETag": '"v1"'})

    httpserver.expect_request("/gone.pdf").respond_with_handler(handler)
    f = make_fetcher()
    first = f.fetch(httpserver.url_for("/gone.pdf"))
    first.path.unlink()
    second = f.fetch(httpserver.url_for("/gone.pdf"))
    assert seen == [None, None]
    assert second.ok and not second.not_modified and second.path.read_bytes() == PDF


def test_301_then_200_reports_final_url(httpserver, make_fetcher):
    httpserver.expect_request("/old.pdf").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/new.pdf")}
    )
    httpserver.expect_request("/new.pdf").respond_with_data(PDF, content_type="application/pdf")
    r = make_fetcher().fetch(httpserver.url_for("/old.pdf"), expect="pdf")
    assert r.ok and r.status == 200
    assert r.url == httpserver.url_for("/old.pdf")
    assert r.final_url == httpserver.url_for("/new.pdf")
    assert r.sha256 == sha(PDF)


def test_too_many_redirects(httpserver, make_fetcher):
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/loop")}
    )
    r = make_fetcher(max_redirects=3).fetch(httpserver.url_for("/loop"))
    assert not r.ok
    assert httpserver.url_for("/loop") in r.error and "redirects" in r.error
    assert r.attempts == 1


def test_404_names_url_and_status_and_is_not_retried(httpserver, make_fetcher, store):
    httpserver.expect_request("/missing.pdf").respond_with_data("no", status=404)
    url = httpserver.url_for("/missing.pdf")
    r = make_fetcher(retries=3).fetch(url)
    assert not r.ok and r.status == 404 and r.attempts == 1
    assert r.error == f"{url}: HTTP 404 Not Found"
    assert len(httpserver.log) == 1
    assert r.sha256 is None and r.path is None
    assert stored_files(store.root) == []


def test_500_500_200_succeeds_after_three_attempts(httpserver, make_fetcher):
    httpserver.expect_ordered_request("/flaky.pdf").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/flaky.pdf").respond_with_data("boom", status=500)
    httpserver.expect_ordered_request("/flaky.pdf").respond_with_data(PDF, content_type="application/pdf")
    r = make_fetcher(retries=4).fetch(httpserver.url_for("/flaky.pdf"))
    assert r.ok, r.error
    assert r.attempts == 3 and r.status == 200 and r.sha256 == sha(PDF)


def test_persistent_500_gives_up_after_retries(httpserver, make_fetcher):
    httpserver.expect_request("/down").respond_with_data("boom", status=503)
    url = httpserver.url_for("/down")
    r = make_fetcher(retries=2).fetch(url)
    assert not r.ok and r.status == 503 and r.attempts == 3
    assert r.error.startswith(f"{url}: HTTP 503 Service Unavailable")
    assert "3 attempts" in r.error
    assert len(httpserver.log) == 3


def test_429_with_retry_after_then_200(httpserver, make_fetcher):
    httpserver.expect_ordered_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/limited").respond_with_data("fine", content_type="text/plain")
    f = make_fetcher(retries=2, backoff_max=5)
    t0 = time.monotonic()
    r = f.fetch(httpserver.url_for("/limited"))
    elapsed = time.monotonic() - t0
    assert r.ok, r.error
    assert r.attempts == 2 and r.status == 200
    assert elapsed >= 0.9  # the Retry-After wait was honoured (a lower bound only)


def test_retry_after_is_capped_by_backoff_max(httpserver, make_fetcher):
    httpserver.expect_ordered_request("/capped").respond_with_data(
        "", status=503, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request("/capped").respond_with_data("ok now")
    waits: list[float] = []
    f = make_fetcher(backoff_max=0.05)
    f._sleep = waits.append  # record instead of sleeping
    r = f.fetch(httpserver.url_for("/capped"))
    assert r.ok and r.attempts == 2
    assert waits == [0.05]


def test_parse_retry_after_seconds_and_http_date():
    now = datetime(2025, 11, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_slower_than_timeout(raw_server, make_fetcher):
    def respond(sock: socket.socket) -> None:
        srv.release.wait(3)  # hold the response well past the client's timeout
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")

    base, srv = raw_server(respond)
    url = base + "/slow.pdf"
    t0 = time.monotonic()
    r = make_fetcher(timeout=0.3, retries=1).fetch(url)
    assert time.monotonic() - t0 < 3
    assert not r.ok and r.status is None
    assert r.error.startswith(f"{url}: timed out after 0.3 s")
    assert r.attempts == 2 and srv.hits == 2


def test_truncated_body_is_retried_then_error(raw_server, make_fetcher, store):
    def respond(sock: socket.socket) -> None:
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 1000\r\n"
            b"Connection: close\r\n\r\n" + PDF
        )
        sock.shutdown(socket.SHUT_WR)

    base, srv = raw_server(respond)
    url = base + "/cut.pdf"
    r = make_fetcher(retries=2).fetch(url)
    assert not r.ok
    assert r.error.startswith(f"{url}: connection closed before the full response arrived")
    assert r.attempts == 3 and srv.hits == 3
    assert stored_files(store.root) == []


def test_body_over_size_cap_with_content_length(httpserver, make_fetcher, store):
    httpserver.expect_request("/big.pdf").respond_with_data(b"%PDF-" + b"x" * 5000, content_type="application/pdf")
    url = httpserver.url_for("/big.pdf")
    r = make_fetcher(max_bytes=1000).fetch(url)
    assert not r.ok and r.error == f"{url}: body larger than the 1,000-byte limit"
    assert r.attempts == 1
    assert stored_files(store.root) == []


def test_body_over_size_cap_while_streaming(raw_server, make_fetcher, store):
    """No Content-Length (read until close): the cap is enforced while reading."""

    def respond(sock: socket.socket) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nConnection: close\r\n\r\n")
        for _ in range(50):
            sock.sendall(b"y" * 1000)
        sock.shutdown(socket.SHUT_WR)

    base, _ = raw_server(respond)
    r = make_fetcher(max_bytes=10_000).fetch(base + "/stream.pdf")
    assert not r.ok and r.error.endswith("body larger than the 10,000-byte limit")
    assert stored_files(store.root) == []


def test_html_error_page_for_pdf_url(httpserver, make_fetcher, store):
    httpserver.expect_request("/report.pdf").respond_with_data(HTML_ERROR, content_type="application/pdf")
    url = httpserver.url_for("/report.pdf")
    r = make_fetcher().fetch(url, expect="pdf")
    assert not r.ok and r.status == 200 and r.media_type == "html"
    assert r.error == f"{url}: expected a PDF but the server sent HTML"
    assert r.sha256 is None and r.path is None
    assert stored_files(store.root) == []


def test_html_without_expect_is_fine(httpserver, make_fetcher):
    httpserver.expect_request("/page").respond_with_data(HTML_ERROR, content_type="text/html")
    r = make_fetcher().fetch(httpserver.url_for("/page"))
    assert r.ok and r.media_type == "html"


def test_zero_byte_response(httpserver, make_fetcher, store):
    httpserver.expect_request("/empty.pdf").respond_with_data(b"", content_type="application/pdf")
    url = httpserver.url_for("/empty.pdf")
    r = make_fetcher().fetch(url)
    assert not r.ok and r.status == 200 and r.error == f"{url}: empty response"
    assert stored_files(store.root) == []


def test_pdf_served_as_octet_stream_is_sniffed(httpserver, make_fetcher):
    httpserver.expect_request("/download").respond_with_data(PDF, content_type="application/octet-stream")
    r = make_fetcher().fetch(httpserver.url_for("/download"), expect="pdf")
    assert r.ok and r.media_type == "pdf" and r.content_type == "application/octet-stream"


def test_same_content_at_two_urls_same_sha(httpserver, make_fetcher, store):
    httpserver.expect_request("/a.pdf").respond_with_data(PDF, content_type="application/pdf")
    httpserver.expect_request("/mirror/b.pdf").respond_with_data(PDF, content_type="application/octet-stream")
    f = make_fetcher()
    a = f.fetch(httpserver.url_for("/a.pdf"))
    b = f.fetch(httpserver.url_for("/mirror/b.pdf"))
    assert a.sha256 == b.sha256 == sha(PDF) and a.path == b.path
    assert len(stored_files(store.root)) == 1


def test_connection_refused_is_an_error_not_an_exception(make_fetcher):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    url = f"http://127.0.0.1:{port}/x.pdf"
    r = make_fetcher(retries=1).fetch(url)
    assert not r.ok and r.attempts == 2
    assert r.error.startswith(f"{url}: could not connect")


@pytest.mark.parametrize("url", ["ftp://example.org/x.pdf", "mailto:someone@example.org", "data:,hello"])
def test_unsupported_scheme_raises(make_fetcher, url):
    with pytest.raises(ValueError, match="unsupported URL scheme"):
        make_fetcher().fetch(url)


def test_bad_expect_raises(make_fetcher):
    with pytest.raises(ValueError):
        make_fetcher().fetch("file:///nowhere", expect="docx")


def test_file_url(tmp_path, make_fetcher, store):
    src = tmp_path / "demo dir" / "report.pdf"
    src.parent.mkdir()
    src.write_bytes(PDF)
    url = src.as_uri()  # file:///.../demo%20dir/report.pdf
    r = make_fetcher().fetch(url, expect="pdf")
    assert isinstance(r, FetchResult)
    assert r.ok and r.status is None and r.attempts == 1
    assert r.sha256 == sha(PDF) and r.path == store.path_for(sha(PDF))
    assert r.path.read_bytes() == PDF and r.media_type == "pdf" and r.bytes == len(PDF)
    assert r.final_url == url


def test_plain_path_and_missing_file(tmp_path, make_fetcher):
    src = tmp_path / "note.txt"
    src.write_bytes(b"hello claims")
    f = make_fetcher()
    r = f.fetch(str(src))
    assert r.ok and r.media_type == "text" and r.sha256 == sha(b"hello claims")

    missing = (tmp_path / "nope.pdf").as_uri()
    r2 = f.fetch(missing)
    assert not r2.ok and r2.error == f"{missing}: no such file"


def test_file_checks_match_http_checks(tmp_path, make_fetcher, store):
    html = tmp_path / "fake.pdf"
    html.write_bytes(HTML_ERROR)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-" + b"z" * 2000)
    f = make_fetcher(max_bytes=1000)
    r = f.fetch(html.as_uri(), expect="pdf")
    assert not r.ok and "expected a PDF but the file contains HTML" in r.error
    assert f.fetch(empty.as_uri()).error.endswith("empty response")
    assert f.fetch(big.as_uri()).error.endswith("larger than the 1,000-byte limit (2,005 bytes)")
    assert stored_files(store.root) == []


@pytest.mark.parametrize(
    "data, ctype, expected",
    [
        (PDF, None, "pdf"),
        (b"\n\n" + PDF, "text/html", "pdf"),
        (HTML_ERROR, "application/pdf", "html"),
        (b"  <html><body>x</body></html>", None, "html"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>', "text/xml", "feed"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>', None, "feed"),
        (b"just words", None, "text"),
        (b"<p>fragment", "text/html", "html"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", None),
    ],
)
def test_sniff_media_type(data, ctype, expected):
    assert sniff_media_type(data, ctype) == expected
