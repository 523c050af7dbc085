"""News articles discovered in feeds: the registry entries a feed sensor adds.

A registry lists its reports and news pages by hand, and its feeds. An article
found in a feed has no ``[[source]]`` entry, yet its Dagster partition key must
resolve to a URL when the assets run (possibly in another process). The feed
sensor therefore records each new article here, in ``<data_dir>/discovered_sources.json``
(a JSON list of source fields, written atomically), and
``TradeclaimsConfig.registry()`` merges these entries into the registry it loads.
Entries of the registry file win over discovered ones with the same id.

No Dagster here: the sensor in ``pipelines/defs/news/`` calls these functions.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, replace
from pathlib import Path
from urllib.parse import urlsplit

from sources.atomic_write import write_atomically
from sources.feeds import FeedEntry, canonical_url
from sources.registry import WEB_SCHEMES, Feed, Registry, Source

FILE_NAME = "discovered_sources.json"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def discovered_path(data_dir: str | Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _slug(text: str, limit: int) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")[:limit].strip("-")


def article_key(feed: Feed, entry: FeedEntry) -> str:
    """The partition key of a feed article: ``feed-<feed>-<last path words>-<hash>``.

    The hash is of the canonical URL, so the same article shared with tracking
    parameters or a trailing slash gets the same key; the key is a registry slug.
    """
    url = canonical_url(entry.url)
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
    words = _slug(urlsplit(url).path.rsplit("/", 1)[-1] or entry.title, 48)
    parts = ["feed", _slug(feed.id, 24), words, digest]
    return "-".join(part for part in parts if part)


def article_source(feed: Feed, entry: FeedEntry) -> Source:
    """The news source for a feed article."""
    year = int(entry.published[:4]) if entry.published else None
    return Source(article_key(feed, entry), "news", entry.url, entry.title or None, feed.publisher, year)


def load_discovered(data_dir: str | Path) -> list[Source]:
    """The discovered sources recorded under ``data_dir`` (none when there is no file)."""
    path = discovered_path(data_dir)
    if not path.exists():
        return []
    return [Source(**entry) for entry in json.loads(path.read_text("utf-8"))]


def add_discovered(data_dir: str | Path, sources: list[Source]) -> list[Source]:
    """Record ``sources`` (those not recorded yet); return the ones added."""
    known = load_discovered(data_dir)
    ids = {source.id for source in known}
    new = [source for source in sources if source.id not in ids]
    if not new:
        return []
    entries = [asdict(source) for source in known + new]
    write_atomically(discovered_path(data_dir), json.dumps(entries, ensure_ascii=False, indent=1))
    return new


def merge_discovered(registry: Registry, data_dir: str | Path) -> Registry:
    """Append the discovered sources whose id the registry does not use.

    A feed names web pages: an article link that is not http(s) (``file:///etc/passwd``
    in a hostile feed) is kept with that problem, recorded as its error, never read.
    """
    ids = {source.id for source in registry.sources}
    for source in load_discovered(data_dir):
        if source.id in ids:
            continue
        if urlsplit(source.url).scheme.lower() not in WEB_SCHEMES:
            source = replace(source, problem=f"feed article {source.id}: link {source.url!r} is not an http(s) URL")
        registry.sources.append(source)
    return registry
