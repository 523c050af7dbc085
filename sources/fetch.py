"""Fetch documents (USTR report PDFs, news pages, feeds) into the raw store.

One call, ``Fetcher.fetch(url, expect=None)``, returns a ``FetchResult`` whether
the fetch worked or not. Network and HTTP problems never raise: they come back as
``ok=False`` with an ``error`` that names the URL and the reason, so a pipeline
can log the row and carry on. Only a programming error -- a URL whose scheme is
not http, https or file -- raises ``ValueError``.

Why httpx and tenacity rather than urllib and a hand-written retry loop
-----------------------------------------------------------------------
* **httpx** is a well-maintained HTTP client with the things a careful fetcher
  needs already built in and tested: separate connect/read/write/pool timeouts
  (urllib has one socket timeout and no notion of a pool), streaming bodies so the
  size cap is enforced *while reading* instead of after a 2 GB download,
  redirect following with a hop limit (``max_redirects``) and the final URL on the
  response, transparent gzip/deflate decoding, connection pooling, and a clear
  exception hierarchy (``TimeoutException``, ``NetworkError``,
  ``RemoteProtocolError`` for a body shorter than its Content-Length, ...) that
  maps cleanly onto "retry" versus "give up".
* **tenacity** is the standard, well-kept retry library. Its
  ``wait_exponential_jitter`` gives exponential backoff with jitter (so many
  workers do not retry in lock-step), ``stop_after_attempt`` bounds the work, and
  the retry predicate and wait strategy are small, separately testable functions.
  Hand-written loops tend to get exactly these details wrong (off-by-one attempt
  counts, no jitter, no cap, sleeping after the last attempt, swallowing the
  final exception).

Behaviour
---------
* Retries (up to ``retries`` extra attempts, so ``retries + 1`` in all) on
  connection errors, connect/read timeouts, truncated bodies, HTTP 429 and 5xx
  (except 501 Not Implemented and 505 HTTP Version Not Supported, which will not
  change on retry). Other 4xx are final after one attempt. For 429 and 503 a
  ``Retry-After`` header (seconds or HTTP date) sets the wait, capped at
  ``backoff_max``.
* Conditional GET: a small JSON state file maps url -> {etag, last_modified,
  sha256, ...}; the next fetch sends If-None-Match / If-Modified-Since, and a 304
  returns ``ok=True, not_modified=True`` with the earlier sha256 and path
  (``bytes`` is then 0: nothing was downloaded).
* Size cap: a body over ``max_bytes`` is an error and nothing is stored.
* Deadline: a fetch takes at most ``deadline`` seconds in all, attempts, waits
  between them and a body dripped slowly included (``timeout`` bounds each
  connect or read, not the whole). A body still arriving at the deadline is cut
  off; the error says so, and that fetch is not retried. ``fetch(..., until=t)``
  ends it earlier, at a run's deadline (``sources/fetch_many.py``). The time a
  fetch took in all is its ``seconds``.
* Addresses: only public addresses are connected to, for the first URL and
  every redirect, unless ``address_policy`` allows a host or network (see
  ``sources/addresses.py``). A refused address is a final error (no retries).
* Content sniffing: ``%PDF-`` -> "pdf" whatever the Content-Type says; HTML and
  RSS/Atom are recognised from the first KB; the header is the fallback. With
  ``expect="pdf"`` an HTML page served with status 200 (a typical error or login
  page) is an error and is not stored. A zero-byte body is an error.
* ``file://`` URLs and plain paths go through the same result type (status None),
  so demo registries and tests of later stages use the same code path.
"""

from __future__ import annotations

import functools
import os
import socket
import ssl
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from inspect import signature
from pathlib import Path
from typing import Any, Callable
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import httpx
from tenacity import RetryCallState, Retrying, stop_after_attempt, wait_exponential_jitter

from extractors import media_type

from .addresses import AddressPolicy, AddressRefused, GuardedBackend
from .fetch_state import FetchState
from .local_files import MAX_DOCUMENT_BYTES, LocalFileError, read_document_file, too_large
from .rawstore import RawStore

__all__ = [
    "FetchResult",
    "Fetcher",
    "RunDeadline",
    "sniff_media_type",
    "parse_retry_after",
    "MEDIA_TYPES",
]

MEDIA_TYPES = ("pdf", "html", "text", "feed")
_SCHEMES_HTTP = ("http", "https")
_RETRY_AFTER_STATUSES = (429, 503)
_NO_RETRY_5XX = (501, 505)
_RETRYABLE_EXCEPTIONS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

_JITTER_PARAMS = frozenset(signature(wait_exponential_jitter).parameters)

_MEDIA_LABEL = {
    "pdf": "a PDF",
    "html": "HTML",
    "feed": "an RSS/Atom feed",
    "text": "text",
    None: "unrecognised binary data",
}


# --------------------------------------------------------------------------- result


@dataclass
class FetchResult:
    """Outcome of one ``Fetcher.fetch`` call; one row of the fetch log."""

    url: str
    final_url: str
    status: int | None = None
    ok: bool = False
    not_modified: bool = False
    sha256: str | None = None
    path: Path | None = None
    content_type: str | None = None
    media_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0
    fetched_at: str = field(default_factory=lambda: _utc_now())
    error: str | None = None
    attempts: int = 0
    # Wall-clock seconds the fetch took in all: attempts, waits between them, the body.
    seconds: float = 0.0

    def to_row(self) -> dict[str, Any]:
        """A flat dict of plain values (path as str) for the warehouse fetch log."""
        row = asdict(self)
        row["path"] = str(self.path) if self.path is not None else None
        return row


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# ------------------------------------------------------------------------- helpers


def sniff_media_type(data: bytes, content_type: str | None = None) -> str | None:
    """Classify a body as "pdf", "html", "feed", "text" or None (unknown binary).

    The bytes decide first; the Content-Type header is only a fallback, because
    servers routinely send PDFs as application/octet-stream and error pages as
    whatever the URL suggested (rules: :mod:`extractors.media_type`, shared with the
    parser). Only bytes that start like a PDF make a PDF: a header saying
    application/pdf does not.
    """
    kind = media_type.from_bytes(data)
    if kind is not None:
        return kind
    kind = media_type.from_content_type(content_type)
    if kind is not None and kind != "pdf":
        return kind
    if _looks_like_text(data[:4096]):
        return "text"
    return None


def _looks_like_text(sample: bytes) -> bool:
    if not sample or b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(sample) - 3:
            return False
    return True


def _expect_satisfied(expect: str, media_type: str | None) -> bool:
    if expect == "text":
        return media_type in ("text", "html", "feed")
    return media_type == expect


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


class _BodyTooLarge(Exception):
    pass


class _DeadlineExceeded(Exception):
    pass


@dataclass(frozen=True)
class RunDeadline:
    """When a run's fetching must end: ``at`` on ``time.monotonic()``'s clock, ``seconds`` after its start."""

    at: float
    seconds: float

    @classmethod
    def starting_now(cls, seconds: float) -> "RunDeadline":
        return cls(time.monotonic() + seconds, seconds)

    def passed(self) -> bool:
        return time.monotonic() >= self.at


@dataclass(frozen=True)
class _Deadline:
    """The end of one fetch (its own deadline or the run's, whichever comes first) and how errors name it."""

    at: float
    wording: str


_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class _Attempt:
    """What one HTTP round trip produced (the retry loop's result value)."""

    status: int
    reason: str
    headers: httpx.Headers
    final_url: str
    body: bytes | None = None
    retry_after: float | None = None


def _status_phrase(status: int, reason: str | None = None) -> str:
    """``HTTP 503 Service Unavailable``: the standard phrase, whatever case or wording the server used."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = reason
    return f"HTTP {status} {phrase}" if phrase else f"HTTP {status}"


_TIMEOUT_KINDS = {"ConnectTimeout": "connect", "ReadTimeout": "read", "WriteTimeout": "write", "PoolTimeout": "pool"}


def _timeout_kind(exc: httpx.TimeoutException) -> str:
    return _TIMEOUT_KINDS.get(type(exc).__name__, "request") + " timeout"


def _failure(outcome) -> str:
    """What one attempt ran into, in a few words (for an error that the deadline ended)."""
    if not outcome.failed:
        attempt: _Attempt = outcome.result()
        return _status_phrase(attempt.status, attempt.reason)
    exc = outcome.exception()
    if isinstance(exc, httpx.TimeoutException):
        return _timeout_kind(exc)
    if isinstance(exc, httpx.RemoteProtocolError):
        return "connection closed before the full response arrived"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return type(exc).__name__


# ------------------------------------------------------------------------- fetcher


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CAs, or ``SSL_CERT_FILE`` / ``SSL_CERT_DIR``), made once
    per process and those settings, not per fetcher: loading the CA bundle costs tens of
    milliseconds, and ``tradeclaims run`` makes a fetcher in each of two steps. The context is
    not changed once made, and is shared safely across threads."""
    return httpx.create_ssl_context()


class Fetcher:
    """Fetch URLs into a ``RawStore`` with retries, conditional GET and a size cap.

    Use as a context manager (or call ``close()``) to release the connection pool.
    Thread-safe: the conditional-GET state is kept by ``sources/fetch_state.FetchState``.
    """

    def __init__(
        self,
        raw_store: RawStore,
        state_path: Path,
        *,
        timeout: float = 30.0,
        max_bytes: int = MAX_DOCUMENT_BYTES,
        max_redirects: int = 5,
        retries: int = 4,
        backoff_initial: float = 0.5,
        backoff_max: float = 30.0,
        user_agent: str = "tradeclaims/0.1 (+research)",
        deadline: float = 120.0,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        if retries < 0:
            raise ValueError("retries must be >= 0")
        if max_bytes <= 0:
            raise ValueError("max_bytes must be > 0")
        if deadline <= 0:
            raise ValueError("deadline must be > 0")
        self.raw_store = raw_store
        self.state_path = Path(state_path)
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.max_redirects = int(max_redirects)
        self.retries = int(retries)
        self.backoff_initial = float(backoff_initial)
        self.backoff_max = float(backoff_max)
        self.user_agent = user_agent
        self.deadline = float(deadline)
        self.address_policy = address_policy or AddressPolicy()
        self._sleep: Callable[[float], None] = time.sleep
        self._state = FetchState(self.state_path)
        self._client = httpx.Client(
            verify=_tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")),
            follow_redirects=True,
            max_redirects=self.max_redirects,
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": self.user_agent},
            # Every request, the redirects' included, is checked before it is sent.
            event_hooks={"request": [self._check_request]},
        )
        self.connections_guarded = self._guard_connections()
        # tenacity >= 9.2 renamed ``initial`` to ``multiplier``; accept either release.
        first_wait = "multiplier" if "multiplier" in _JITTER_PARAMS else "initial"
        self._backoff = wait_exponential_jitter(
            **{first_wait: self.backoff_initial},
            max=self.backoff_max,
            jitter=self.backoff_initial,
        )

    def _check_request(self, request: httpx.Request) -> None:
        url = request.url
        self.address_policy.check_url_host(url.host, url.port or _DEFAULT_PORTS.get(url.scheme, 80))

    def _guard_connections(self) -> bool:
        """Make direct connections go through the address check too (see sources/addresses.py).

        httpx has no public setting for httpcore's network backend, so it is set on the
        pool; if a future httpx hides it, the request check still applies and
        ``connections_guarded`` (which a test asserts) says so.
        """
        pool = getattr(getattr(self._client, "_transport", None), "_pool", None)
        if pool is None or not hasattr(pool, "_network_backend"):
            return False
        pool._network_backend = GuardedBackend(self.address_policy)
        return True

    # -- lifecycle

    def close(self) -> None:
        try:
            self._state.flush()
        finally:
            self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- state file (sources/fetch_state.py: read once, written in batches, merged across processes)

    def _state_for(self, url: str) -> dict[str, Any] | None:
        return self._state.get(url)

    def _save_state_entry(self, url: str, entry: dict[str, Any]) -> None:
        self._state.put(url, entry)

    # -- public API

    def fetch(self, url: str, expect: str | None = None, *, until: RunDeadline | None = None) -> FetchResult:
        """Fetch ``url`` (http, https, file, or a plain path) into the raw store.

        ``expect`` ("pdf", "html", "text", "feed" or None) makes a body of another
        kind an error (nothing stored). ``until`` (a run's deadline) ends the fetch
        then if that comes before its own ``deadline``. Never raises for
        network/HTTP problems; raises ValueError for an unsupported URL scheme or
        an unknown ``expect``.
        """
        if expect is not None and expect not in MEDIA_TYPES:
            raise ValueError(f"expect must be one of {MEDIA_TYPES} or None, not {expect!r}")
        if not isinstance(url, str):
            url = os.fspath(url)
        scheme = urlsplit(url).scheme.lower()
        began = time.monotonic()
        if scheme in _SCHEMES_HTTP:
            self._state.begin()
            try:
                result = self._fetch_http(url, expect, self._deadline_for(began, until))
            finally:
                self._state.end()
        elif scheme == "file" or scheme == "":
            result = self._fetch_file(url, expect)
        else:
            raise ValueError(f"{url}: unsupported URL scheme {scheme!r} (use http, https or file)")
        result.seconds = round(time.monotonic() - began, 3)
        return result

    def _deadline_for(self, began: float, until: RunDeadline | None) -> _Deadline:
        own = _Deadline(began + self.deadline, f"within the {self.deadline:g} s deadline")
        if until is not None and until.at < own.at:
            return _Deadline(until.at, f"before the run's {until.seconds:g} s fetch deadline")
        return own

    # -- local files

    def _fetch_file(self, url: str, expect: str | None) -> FetchResult:
        parts = urlsplit(url)
        if parts.scheme.lower() == "file":
            if parts.netloc not in ("", "localhost"):
                return FetchResult(url=url, final_url=url, attempts=1,
                                   error=f"{url}: file URL names a remote host {parts.netloc!r}")
            path = Path(url2pathname(unquote(parts.path)))
        else:
            path = Path(url)
        result = FetchResult(url=url, final_url=url, attempts=1)
        try:
            path = path.resolve()
        except OSError as exc:  # a symlink loop, on some Pythons
            result.error = f"{url}: cannot resolve the path ({exc.strerror or exc})"
            return result
        result.final_url = path.as_uri()
        try:
            data = read_document_file(path, self.max_bytes)
        except LocalFileError as exc:
            result.error = f"{url}: {exc.problem}"
            return result
        return self._accept_body(result, data, expect, source="the file contains")

    # -- HTTP

    def _accept_body(self, result: FetchResult, data: bytes, expect: str | None, *, source: str) -> FetchResult:
        """Sniff, check and store a complete body; fill in the result."""
        result.bytes = len(data)
        if not data:
            result.error = f"{result.url}: empty response"
            return result
        result.media_type = sniff_media_type(data, result.content_type)
        if expect is not None and not _expect_satisfied(expect, result.media_type):
            result.error = (f"{result.url}: expected {_MEDIA_LABEL[expect]} "
                            f"but {source} {_MEDIA_LABEL[result.media_type]}")
            return result
        result.sha256, result.path = self.raw_store.put(data)
        result.ok = True
        return result

    def _wait(self, rs: RetryCallState, deadline_at: float, last: list[str]) -> float:
        outcome = rs.outcome
        if outcome is not None:  # a retry follows: should the deadline stop it, the error says what failed
            last[:] = [_failure(outcome)]
        wait = self._backoff(rs)
        if outcome is not None and not outcome.failed:
            attempt: _Attempt = outcome.result()
            if attempt.retry_after is not None:
                wait = min(attempt.retry_after, self.backoff_max)
        # Never sleep past the deadline: the next attempt then reports it at once.
        return max(0.0, min(wait, deadline_at - time.monotonic()))

    @staticmethod
    def _should_retry(rs: RetryCallState) -> bool:
        outcome = rs.outcome
        if outcome is None:
            return False
        if outcome.failed:
            return isinstance(outcome.exception(), _RETRYABLE_EXCEPTIONS)
        status = outcome.result().status
        return status == 429 or (500 <= status <= 599 and status not in _NO_RETRY_5XX)

    def _one_attempt(self, url: str, headers: dict[str, str], counter: list[int], deadline_at: float) -> _Attempt:
        remaining = deadline_at - time.monotonic()
        if remaining <= 0:
            raise _DeadlineExceeded()
        counter[0] += 1
        # Each connect and read waits at most until the deadline.
        timeout = httpx.Timeout(min(self.timeout, remaining))
        with self._client.stream("GET", url, headers=headers, timeout=timeout) as resp:
            attempt = _Attempt(
                status=resp.status_code,
                reason=resp.reason_phrase,
                headers=resp.headers,
                final_url=str(resp.url),
            )
            if 200 <= resp.status_code < 300:
                attempt.body = self._read_before(resp, deadline_at)
            elif resp.status_code in _RETRY_AFTER_STATUSES:
                attempt.retry_after = parse_retry_after(resp.headers.get("retry-after"))
            return attempt

    def _read_before(self, resp: httpx.Response, deadline_at: float) -> bytes:
        """The capped body, cut off at the deadline however slowly it drips.

        A read timeout bounds each read, not the body: a server sending a byte every
        few seconds never trips it. A timer shuts the socket down at the deadline,
        which ends the blocked read at once.
        """
        cut = threading.Event()
        sock = None
        stream = resp.extensions.get("network_stream")
        if stream is not None:
            sock = stream.get_extra_info("socket")

        def cut_off() -> None:
            cut.set()
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        timer = threading.Timer(max(0.0, deadline_at - time.monotonic()), cut_off)
        timer.daemon = True
        timer.start()
        try:
            body = self._read_capped(resp, cut)
        except (httpx.TransportError, httpx.StreamError):
            if cut.is_set():
                raise _DeadlineExceeded() from None
            raise
        finally:
            timer.cancel()
        if cut.is_set():
            raise _DeadlineExceeded()
        return body

    def _read_capped(self, resp: httpx.Response, cut: threading.Event) -> bytes:
        declared = resp.headers.get("content-length")
        if declared and not resp.headers.get("content-encoding"):
            try:
                if int(declared) > self.max_bytes:
                    raise _BodyTooLarge()
            except ValueError:
                pass
        chunks: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():
            if cut.is_set():
                raise _DeadlineExceeded()
            total += len(chunk)
            if total > self.max_bytes:
                raise _BodyTooLarge()
            chunks.append(chunk)
        return b"".join(chunks)

    def _fetch_http(self, url: str, expect: str | None, deadline: _Deadline) -> FetchResult:
        result = FetchResult(url=url, final_url=url)
        previous = self._state_for(url)
        if previous and not (previous.get("sha256") and self.raw_store.has(previous["sha256"])):
            previous = None  # the blob is gone: a 304 could not be honoured

        headers: dict[str, str] = {}
        if previous:
            if previous.get("etag"):
                headers["If-None-Match"] = previous["etag"]
            if previous.get("last_modified"):
                headers["If-Modified-Since"] = previous["last_modified"]
        if expect == "pdf":
            headers["Accept"] = "application/pdf,*/*;q=0.8"

        counter = [0]
        last: list[str] = []  # what the last attempt that was retried ran into
        deadline_at = deadline.at
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=lambda rs: self._wait(rs, deadline_at, last),
            retry=self._should_retry,
            sleep=self._sleep,
            # When attempts run out, hand back the last response, or re-raise the
            # last exception (outcome.result() raises it).
            retry_error_callback=lambda rs: rs.outcome.result(),
        )
        try:
            attempt: _Attempt = retrying(self._one_attempt, url, headers, counter, deadline_at)
        except AddressRefused as exc:
            result.attempts = counter[0]
            result.error = f"{url}: {exc}"
            return result
        except _DeadlineExceeded:
            result.attempts = counter[0]
            result.error = self._missed_deadline(url, counter[0], deadline, last)
            return result
        except _BodyTooLarge:
            result.attempts = counter[0]
            result.error = f"{url}: body {too_large(None, self.max_bytes)}"
            return result
        except httpx.TimeoutException as exc:
            result.attempts = counter[0]
            if time.monotonic() >= deadline_at - 0.05:  # the last wait was cut short by the deadline
                result.error = self._missed_deadline(url, counter[0], deadline, last)
                return result
            result.error = f"{url}: timed out after {self.timeout} s ({_timeout_kind(exc)}{self._after(counter[0])})"
            return result
        except httpx.RemoteProtocolError as exc:
            result.attempts = counter[0]
            result.error = (f"{url}: connection closed before the full response arrived "
                            f"({exc}{self._after(counter[0])})")
            return result
        except httpx.ConnectError as exc:
            result.attempts = counter[0]
            result.error = f"{url}: could not connect ({exc}{self._after(counter[0])})"
            return result
        except httpx.TooManyRedirects:
            result.attempts = counter[0]
            result.error = f"{url}: more than {self.max_redirects} redirects"
            return result
        except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError) as exc:
            result.attempts = counter[0]
            result.error = f"{url}: {type(exc).__name__}: {exc}{self._after(counter[0])}"
            return result

        result.attempts = counter[0]
        result.status = attempt.status
        result.final_url = attempt.final_url
        result.content_type = attempt.headers.get("content-type")
        result.etag = attempt.headers.get("etag")
        result.last_modified = attempt.headers.get("last-modified")

        if attempt.status == 304:
            if not previous:
                result.error = f"{url}: HTTP 304 Not Modified but no earlier copy is stored"
                return result
            result.not_modified = True
            result.ok = True
            result.sha256 = previous["sha256"]
            result.path = self.raw_store.path_for(previous["sha256"])
            result.etag = result.etag or previous.get("etag")
            result.last_modified = result.last_modified or previous.get("last_modified")
            result.content_type = result.content_type or previous.get("content_type")
            result.media_type = previous.get("media_type")
            if expect is not None and not _expect_satisfied(expect, result.media_type):
                result.ok = False
                result.error = (f"{url}: expected {_MEDIA_LABEL[expect]} but the stored copy is "
                                f"{_MEDIA_LABEL[result.media_type]}")
                return result
            if result.etag != previous.get("etag") or result.last_modified != previous.get("last_modified"):
                self._save_state_entry(url, {**previous, "etag": result.etag,
                                             "last_modified": result.last_modified,
                                             "fetched_at": result.fetched_at})
            return result

        if not (200 <= attempt.status < 300):
            result.error = f"{url}: {_status_phrase(attempt.status, attempt.reason)}{self._after(counter[0])}"
            return result

        self._accept_body(result, attempt.body or b"", expect, source="the server sent")
        if result.ok:
            self._save_state_entry(url, {
                "etag": result.etag,
                "last_modified": result.last_modified,
                "sha256": result.sha256,
                "content_type": result.content_type,
                "media_type": result.media_type,
                "final_url": result.final_url,
                "fetched_at": result.fetched_at,
            })
        return result

    def _missed_deadline(self, url: str, attempts: int, deadline: _Deadline, last: list[str]) -> str:
        before = f" (the last attempt before: {last[0]})" if attempts > 1 and last else ""
        return f"{url}: not fetched {deadline.wording}{self._after(attempts)}{before}"

    @staticmethod
    def _after(attempts: int) -> str:
        return f", after {attempts} attempts" if attempts > 1 else ""
