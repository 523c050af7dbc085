"""Source registries: TOML files that list the documents and feeds to ingest.

``registries/demo.toml`` lists the bundled demo corpus (local paths, relative to
the registry file); ``registries/ustr.toml`` the real USTR reports and news feeds.
Each ``[[source]]`` has an ``id`` (a slug that is also the Dagster partition key),
``kind`` (``report`` or ``news``) and either ``url`` or ``path``; each ``[[feed]]``
has ``id`` and ``url``. TOML is read with the standard library's ``tomllib``.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
KINDS = ("report", "news")


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


@dataclass
class Registry:
    """The parsed registry file."""

    path: Path
    sources: list[Source] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)

    def source(self, source_id: str) -> Source:
        """Return the source with ``source_id``; KeyError names the registry if absent."""
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(f"{self.path}: no source with id {source_id!r}")


def load_registry(path: str | Path) -> Registry:
    """Read a registry TOML file.

    Args:
        path: the TOML file.
    Returns:
        the registry, with ``path`` entries turned into absolute ``file://`` URLs.
    Raises:
        RegistryError: the file is missing or malformed, naming the entry at fault.
    """
    path = Path(path).resolve()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: registry file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path}: not valid TOML ({exc})") from None
    registry = Registry(path=path)
    seen: set[str] = set()
    for number, entry in enumerate(data.get("source", []), 1):
        where = f"{path}: source #{number}"
        source_id = entry.get("id", "")
        if not _SLUG.match(source_id):
            raise RegistryError(f"{where}: id {source_id!r} must be a lower-case slug [a-z0-9-]")
        if source_id in seen:
            raise RegistryError(f"{where}: duplicate id {source_id!r}")
        seen.add(source_id)
        kind = entry.get("kind")
        if kind not in KINDS:
            raise RegistryError(f"{where} ({source_id}): kind must be one of {KINDS}, not {kind!r}")
        if "url" in entry:
            url = entry["url"]
        elif "path" in entry:
            url = (path.parent / entry["path"]).resolve().as_uri()
        else:
            raise RegistryError(f"{where} ({source_id}): needs a url or a path")
        registry.sources.append(Source(source_id, kind, url, entry.get("title"),
                                       entry.get("publisher"), entry.get("year")))
    for number, entry in enumerate(data.get("feed", []), 1):
        if "id" not in entry or "url" not in entry:
            raise RegistryError(f"{path}: feed #{number} needs an id and a url")
        registry.feeds.append(Feed(entry["id"], entry["url"], entry.get("publisher")))
    return registry
