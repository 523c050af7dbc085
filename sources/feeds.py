"""Read RSS/Atom feeds (already fetched bytes) into entries, and dedupe them.

feedparser handles the many dialects of RSS 0.9x/1.0/2.0 and Atom 0.3/1.0, broken
encodings, relative links (resolved against ``base_url``) and date formats. It is
always handed the bytes wrapped in a stream, never a string or raw bytes, because
``feedparser.parse`` treats a string as a URL to fetch or a file name to open.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urljoin, urlsplit, urlunsplit

import feedparser

from extractors.dates import as_date

__all__ = ["FeedEntry", "read_feed", "canonical_url", "dedupe_entries"]

_TAG_RE = re.compile(r"<[^>]*>")
_TRACKING_PARAMS = frozenset({"fbclid", "gclid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FeedEntry:
    url: str
    title: str
    published: str | None  # ISO date (YYYY-MM-DD, UTC) or None
    id: str


def _entry_link(entry: feedparser.FeedParserDict) -> str | None:
    link = entry.get("link")
    if link:
        return link
    for candidate in entry.get("links", []) or []:
        href = candidate.get("href")
        if href and candidate.get("rel", "alternate") == "alternate":
            return href
    guid = entry.get("id")
    if guid and guid.startswith(("http://", "https://")):
        return guid
    return None


def _plain_title(entry: feedparser.FeedParserDict) -> str:
    """The entry title as plain text, whitespace collapsed (markup removed)."""
    title = entry.get("title") or ""
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or ""):
        title = html.unescape(_TAG_RE.sub("", title))
    return " ".join(title.split())


def read_feed(data: bytes, base_url: str) -> list[FeedEntry]:
    """Parse an RSS or Atom document; return its entries in document order.

    Relative links are resolved against ``base_url``. Entries without any link
    are skipped (there is nothing to fetch). Raises ValueError if ``data`` is not
    recognisably a feed (e.g. an HTML page) and yields no entries.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_feed expects bytes, got {type(data).__name__}")
    parsed = feedparser.parse(
        io.BytesIO(bytes(data)),
        response_headers={"content-location": base_url},
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise ValueError(f"{base_url}: not an RSS or Atom feed" + (f" ({reason})" if reason else ""))

    entries: list[FeedEntry] = []
    for entry in parsed.entries:
        link = _entry_link(entry)
        if not link:
            continue
        url = urljoin(base_url, link.strip())
        day = as_date(entry.get("published_parsed")) or as_date(entry.get("updated_parsed"))
        published = day.isoformat() if day else None
        title = _plain_title(entry)
        entries.append(FeedEntry(url=url, title=title, published=published, id=entry.get("id") or url))
    return entries


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key.startswith("utm_") or key in _TRACKING_PARAMS


def canonical_url(url: str) -> str:
    """A normal form of ``url`` for deduplication.

    Lower-cases scheme and host, drops a default port, the fragment, tracking
    parameters (utm_*, fbclid, gclid) and a trailing slash. The rest of the
    query keeps its order and its exact encoding.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError:  # malformed port: keep the netloc, just lower-cased
        netloc = netloc.lower()
    else:
        if ":" in host:
            host = f"[{host}]"
        userinfo = netloc.rpartition("@")[0] + "@" if "@" in netloc else ""
        if port is not None and _DEFAULT_PORTS.get(scheme) != port:
            host = f"{host}:{port}"
        netloc = userinfo + host
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0])]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, "&".join(kept), ""))


def dedupe_entries(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """Keep the first entry for each canonical URL, in order."""
    seen: set[str] = set()
    out: list[FeedEntry] = []
    for entry in entries:
        key = canonical_url(entry.url)
        if key in seen:
            continue
        seen.add(key)
        out.append(entry)
    return out
