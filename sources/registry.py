"""Source registries: TOML files that list the documents and feeds to ingest.

``registries/demo.toml`` lists the bundled demo corpus (local paths, relative to
the registry file); ``registries/ustr.toml`` the real USTR reports and news feeds.
Each ``[[source]]`` has an ``id`` (a slug that is also the Dagster partition key),
``kind`` (``report`` or ``news``) and either ``url`` or ``path``; each ``[[feed]]``
has ``id`` and ``url``. An optional ``[fetch]`` table sets how its sources are
fetched (:class:`FetchSettings`). TOML is read with the standard library's ``tomllib``.

Local files (``path``, a ``file://`` URL, or a ``url`` that is a plain path) must
lie under the registry file's folder, or under one of the folders the registry
lists in a top-level ``allowed_roots = ["../corpus"]`` (relative to the registry
file), after symlinks are resolved: a registry cannot read ``/etc/passwd`` into the
warehouse by naming it. A source that breaks this, or has a URL scheme other than
http, https or file, or a path that cannot be resolved (a symlink loop), is kept
with its ``problem``: the pipeline records that as the source's fetch error and
every other source still loads. A bad ``id``, ``kind`` or a malformed file stops
the whole registry (RegistryError), since the entry cannot even be named.
"""
from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from .addresses import parse_networks
from .fetch_many import MAX_CONCURRENCY

# Matched with fullmatch: "$" alone would also match before a trailing newline.
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")
KINDS = ("report", "news")
WEB_SCHEMES = ("http", "https")


class RegistryError(ValueError):
    """A registry file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Source:
    """One document to fetch."""

    id: str
    kind: str
    url: str
    title: str | None = None
    publisher: str | None = None
    year: int | None = None
    # Why this source cannot be fetched (bad scheme, a path outside the allowed
    # folders, …); recorded as its fetch error instead of fetching.
    problem: str | None = None

    @property
    def expect(self) -> str | None:
        """The media type a fetch must deliver: reports are PDFs, news pages HTML."""
        if self.kind == "report" and self.url.lower().split("?")[0].endswith(".pdf"):
            return "pdf"
        return None


@dataclass(frozen=True)
class Feed:
    """An RSS/Atom feed whose entries become news sources."""

    id: str
    url: str
    publisher: str | None = None


@dataclass(frozen=True)
class FetchSettings:
    """The registry's ``[fetch]`` table (every key optional).

    Attributes:
        allow_hosts: hosts fetched even though they resolve to a private, loopback,
            link-local or multicast address (``["intranet.example", "127.0.0.1"]``);
            matched by name as written in the URLs.
        allow_networks: networks whose addresses are fetched (``["10.20.0.0/16"]``).
        deadline: seconds one fetch may take in all, retries included (default 120).
        max_bytes: largest document fetched or read (default 50,000,000).
        timeout: seconds each connect or read may wait (default 30).
        concurrency: fetches at once (default 8).
        per_host: fetches at once against one host (default 2).
        run_deadline: seconds all the fetches of one run may take (default 900); a source
            whose turn has not come by then is that run's error, and the next run fetches it.
    """

    allow_hosts: tuple[str, ...] = ()
    allow_networks: tuple[str, ...] = ()
    deadline: float | None = None
    max_bytes: int | None = None
    timeout: float | None = None
    concurrency: int | None = None
    per_host: int | None = None
    run_deadline: float | None = None


@dataclass
class Registry:
    """The parsed registry file."""

    path: Path
    sources: list[Source] = field(default_factory=list)
    # Folders local sources may be read from: the registry's own, plus `allowed_roots`.
    roots: list[Path] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)
    fetch: FetchSettings = field(default_factory=FetchSettings)

    def source(self, source_id: str) -> Source:
        """Return the source with ``source_id``; KeyError names the registry if absent."""
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(f"{self.path}: no source with id {source_id!r}")


def check_local_path(local: Path, roots: list[Path]) -> tuple[str, str | None]:
    """``(file:// URL, None)`` when ``local`` resolves (symlinks followed) under one of ``roots``,
    else ``(the path, problem)``, the problem saying what would be allowed."""
    try:
        resolved = local.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python 3.11-3.12)
        return str(local), f"path {str(local)!r} cannot be resolved ({exc})"
    if not any(resolved.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(root) for root in roots)
        return str(local), (f"local path {str(local)!r} resolves to {resolved}, outside the folders local sources "
                            f"may be read from ({allowed}); list its folder in the registry's `allowed_roots` "
                            "to allow it")
    return resolved.as_uri(), None


def check_source_url(url: object, roots: list[Path], base: Path) -> tuple[str, str | None]:
    """Check one source's ``url``; return ``(url, problem)``.

    http(s) URLs pass as they are; a ``file://`` URL or a plain path (relative to
    ``base``) goes through :func:`check_local_path`; anything else gets a problem.
    """
    if not isinstance(url, str) or not url.strip():
        return str(url), f"url must be a non-empty string, not {url!r}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in WEB_SCHEMES:
        return url, None
    if scheme == "file":
        if parts.netloc not in ("", "localhost"):
            return url, f"file URL {url!r} names a remote host"
        return check_local_path(Path(url2pathname(unquote(parts.path))), roots)
    if scheme == "":
        return check_local_path(base / url, roots)
    return url, f"unsupported URL scheme {scheme!r} in {url!r} (use http, https, or a local path)"


def _allowed_roots(data: dict, folder: Path, path: Path) -> list[Path]:
    extra = data.get("allowed_roots", [])
    if not isinstance(extra, list) or not all(isinstance(root, str) and root for root in extra):
        raise RegistryError(f"{path}: allowed_roots must be a list of folder paths (relative to the registry file)")
    roots = [folder]
    for root in extra:
        try:
            roots.append((folder / root).resolve())
        except (OSError, RuntimeError) as exc:
            raise RegistryError(f"{path}: allowed_roots entry {root!r} cannot be resolved ({exc})") from None
    return roots


@functools.lru_cache(maxsize=8)
def _parsed(text: str) -> dict:
    """The TOML of a registry, parsed once per process and text: each step of a run reads the
    registry again, and tomllib (pure Python) took tens of milliseconds for 200 sources each
    time. The checks that look at the file system run on every read. Read-only: callers must
    not change what it returns."""
    return tomllib.loads(text)


def load_registry(path: str | Path) -> Registry:
    """Read a registry TOML file.

    Args:
        path: the TOML file.
    Returns:
        the registry, with local paths turned into absolute ``file://`` URLs and each
        source that cannot be fetched carrying its ``problem`` (see the module doc).
    Raises:
        RegistryError: the file is missing or malformed, naming the entry at fault.
    """
    path = Path(path).resolve()
    try:
        data = _parsed(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML ({exc})") from None
    registry = Registry(path=path, roots=_allowed_roots(data, path.parent, path))
    seen: set[str] = set()
    for number, entry in enumerate(data.get("source", []), 1):
        where = f"{path}: source #{number}"
        source_id = entry.get("id", "")
        if not isinstance(source_id, str) or not _SLUG.fullmatch(source_id):
            raise RegistryError(f"{where}: id {source_id!r} must be a lower-case slug [a-z0-9-]")
        if source_id in seen:
            raise RegistryError(f"{where}: duplicate id {source_id!r}")
        seen.add(source_id)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise RegistryError(f"{where} ({source_id}): kind must be one of {KINDS}, not {kind!r}")
        if "url" in entry:
            url, problem = check_source_url(entry["url"], registry.roots, path.parent)
        elif "path" in entry:
            value = entry["path"]
            url, problem = (check_local_path(path.parent / value, registry.roots) if isinstance(value, str) and value
                            else (str(value), f"path must be a non-empty string, not {value!r}"))
        else:
            raise RegistryError(f"{where} ({source_id}): needs a url or a path")
        registry.sources.append(Source(source_id, kind, url, entry.get("title"), entry.get("publisher"),
                                       entry.get("year"), f"{where} ({source_id}): {problem}" if problem else None))
    for number, entry in enumerate(data.get("feed", []), 1):
        if "id" not in entry or "url" not in entry:
            raise RegistryError(f"{path}: feed #{number} needs an id and a url")
        url, problem = check_source_url(entry["url"], registry.roots, path.parent)
        if problem:
            raise RegistryError(f"{path}: feed #{number} ({entry['id']}): {problem}")
        registry.feeds.append(Feed(entry["id"], url, entry.get("publisher")))
    registry.fetch = _fetch_settings(path, data.get("fetch", {}))
    return registry


_NUMBERS = ("deadline", "timeout", "run_deadline")  # seconds
_WHOLE_NUMBERS = ("max_bytes", "concurrency", "per_host")


def _fetch_settings(path: Path, table: object) -> FetchSettings:
    """The ``[fetch]`` table, checked; RegistryError names the key at fault."""
    where = f"{path}: [fetch]"
    if not isinstance(table, dict):
        raise RegistryError(f"{where} must be a table")
    unknown = set(table) - {"allow_hosts", "allow_networks", *_NUMBERS, *_WHOLE_NUMBERS}
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    lists = {}
    for key in ("allow_hosts", "allow_networks"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise RegistryError(f"{where}: {key} must be a list of strings")
        lists[key] = tuple(value)
    try:
        parse_networks(lists["allow_networks"])
    except ValueError as exc:
        raise RegistryError(f"{where}: allow_networks: {exc}") from None
    numbers = {}
    for key in (*_NUMBERS, *_WHOLE_NUMBERS):
        value = table.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0):
            raise RegistryError(f"{where}: {key} must be a positive number")
        if key in _WHOLE_NUMBERS and value is not None and value != int(value):
            raise RegistryError(f"{where}: {key} must be a whole number")
        numbers[key] = int(value) if key in _WHOLE_NUMBERS and value is not None else value
    if numbers["concurrency"] is not None and numbers["concurrency"] > MAX_CONCURRENCY:
        raise RegistryError(f"{where}: concurrency must be at most {MAX_CONCURRENCY}")
    return FetchSettings(lists["allow_hosts"], lists["allow_networks"], **numbers)
