"""Title, headline, publication date, author, publisher and canonical URL of a web page.

They are read from the lxml tree that trafilatura reads too: one XPath picks the page's
metadata elements (``<title>``, ``<meta>``, ``<link>``, JSON-LD ``<script>``, ``<time>``
and the headline ``<h1>``), and nothing else of the page is walked. An earlier version
gave those elements to beautifulsoup4 as a small document of their own; parsing that
second document cost a tenth of the whole page's extraction, for the same answers
(checked on trafilatura's 990 evaluation pages: identical metadata on every page but
the headline fix below).

Fields: ``title`` (og:title, JSON-LD headline, ``<title>``), ``author`` (meta
name=author and similar, JSON-LD author), ``publisher`` (og:site_name, JSON-LD
publisher.name), ``canonical_url`` (``<link rel=canonical>``, else og:url; relative links
resolved against ``url``), ``headline`` (the first ``<h1>`` inside an ``<article>``, else
of the page; the bs4 version took the page's first ``<h1>``, often the site's logo,
whenever a ``<time>`` of the article came before the headline) and ``description`` (meta description, og:description, twitter:description).

**Publication date.** It anchors every relative and partial date of the article ("on
Monday", "in March"), so a wrong date is worse than none. The page's own metadata comes
first, in this order: JSON-LD ``datePublished``; ``<meta>`` article:published_time, date,
pubdate, dc.date and similar; ``<time itemprop=datePublished>`` or ``<time pubdate>``; the
first ``<time datetime>`` (of the ``<article>`` when there is one); JSON-LD
``dateCreated``. Only a page whose metadata names no date asks htmldate (trafilatura's date
library), in its conservative mode (no free-text search, the original date rather than
the latest, nothing after today), and its answer is kept only when the page states that
day in machine-readable form: in its URL path or in an attribute value (``title``,
``content``, ``data-*``...) holding the ISO date. htmldate otherwise turns a copyright
line ("© 2019" becomes 2019-01-01), an image path (``/uploads/2018/07/``), an "Updated:"
line or any date of the prose into a publication date.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement

from extractors.dates import as_date

__all__ = ["PageMetadata", "page_metadata", "clean_text"]

_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "report", "webpage", "backgroundnewsarticle", "scholarlyarticle",
}
_DATE_META = ("date", "pubdate", "publishdate", "dc.date", "dc.date.issued", "datePublished",
              "sailthru.date", "parsely-pub-date", "og:published_time")
_METADATA_TAGS = ("title", "meta", "link", "script", "time", "h1")
_MAX_TIMES = 20  # <time datetime> elements looked at
_URL_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d[-/_]?[01]\d[-/_]?[0-3]\d(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)")
_DATED_ATTRIBUTES = etree.XPath("//@*[not(name()='href' or name()='src' or name()='srcset')]"
                                "[string-length() >= 10 and contains(., '-')]")

@dataclass(frozen=True)
class PageMetadata:
    """What a page says about itself; any field may be None."""

    title: str | None
    headline: str | None
    description: str | None
    published: str | None
    author: str | None
    publisher: str | None
    canonical_url: str | None
    # the headline's element in the tree (the page's reading starts after it), not a value
    headline_element: HtmlElement | None = field(default=None, compare=False, repr=False)


def clean_text(text: str) -> str:
    """Collapse whitespace; drop soft hyphens and zero-width spaces."""
    # str.split() splits on exactly the characters ``\s`` matches in a str pattern, at a
    # third of re.sub's cost (this runs for every paragraph and lead candidate)
    return " ".join(text.replace("\u00ad", "").replace("\u200b", "").split())


def _metadata_elements(tree: HtmlElement) -> dict[str, list[HtmlElement]]:
    """The page's metadata elements and headline candidates by tag, in page order.

    ``<meta content>`` with a property, name or itemprop; ``<link rel=canonical>``; JSON-LD
    ``<script>``; the first 20 ``<time datetime>``; every ``<h1>``. One walk of the tree
    over these tags (lxml's tag filter runs in C): a union of XPath ``//`` expressions
    scans the tree once per expression and cost three times as much.
    """
    found: dict[str, list[HtmlElement]] = {tag: [] for tag in _METADATA_TAGS}
    for element in tree.iter(_METADATA_TAGS):
        tag = element.tag
        if tag == "meta":
            if element.get("content") is None or all(
                    element.get(key) is None for key in ("property", "name", "itemprop")):
                continue
        elif tag == "link":
            if "canonical" not in (element.get("rel") or "").lower():
                continue
        elif tag == "script":
            if "ld+json" not in (element.get("type") or "").lower():
                continue
        elif tag == "time":
            if element.get("datetime") is None or len(found["time"]) >= _MAX_TIMES:
                continue
        found[tag].append(element)
    return found


_NOT_TEXT = {"script", "style", "template", "rt", "rp"}  # code, and ruby annotations: not the text


def _text(element: HtmlElement) -> str:
    """The element's text without comments and script/style/template content."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if isinstance(node.tag, str) and node.tag not in _NOT_TEXT:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return clean_text("".join(parts))


def _inside_article(element: HtmlElement) -> bool:
    return any(a.tag == "article" for a in element.iterancestors())


def _meta_index(metas: list[HtmlElement]) -> dict[str, str]:
    """The first non-empty ``content`` of each meta ``property``/``name``/``itemprop`` (lower case)."""
    index: dict[str, str] = {}
    for tag in metas:
        content = clean_text(tag.get("content") or "")
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = tag.get(attr)
            if key is not None:
                index.setdefault(key.strip().lower(), content)
    return index


def _meta(index: dict[str, str], *keys: str) -> str | None:
    return next((index[k.lower()] for k in keys if k.lower() in index), None)


def _json_ld(scripts: list[HtmlElement]) -> list[dict]:
    found: list[dict] = []

    def walk(node) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if "@graph" in node:
                walk(node["@graph"])
            types = node.get("@type", "")
            types = types if isinstance(types, list) else [types]
            if any(str(t).lower() in _ARTICLE_TYPES for t in types):
                found.append(node)

    for script in scripts:
        try:
            walk(json.loads(script.text or ""))
        except (ValueError, TypeError):
            continue
    # news types before WebPage
    found.sort(key=lambda n: "webpage" in str(n.get("@type", "")).lower())
    return found


def _names(value) -> str | None:
    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _time_datetime(times: list[HtmlElement]) -> str | None:
    """The ``datetime`` of the <time> that marks publication, else of the article's first."""
    marked = next((t for t in times if (t.get("itemprop") or "").lower() == "datepublished"
                   or t.get("pubdate") is not None), None)
    in_article = next((t for t in times if _inside_article(t)), None)
    chosen = next((t for t in (marked, in_article, times[0] if times else None) if t is not None), None)
    return chosen.get("datetime") if chosen is not None else None


def _metadata_date(times: list[HtmlElement], meta: dict[str, str], ld_value) -> str | None:
    candidates = (
        lambda: ld_value("datePublished"),
        lambda: _meta(meta, "article:published_time"),
        lambda: _meta(meta, *_DATE_META),
        lambda: _time_datetime(times),
        lambda: ld_value("dateCreated"),
    )
    for candidate in candidates:
        value = candidate()
        found = as_date(value, spelled=True) if isinstance(value, str) else None
        if found:
            return found.isoformat()
    return None


def _stated_in_markup(day: str, tree: HtmlElement, url: str | None) -> bool:
    """True when ``day`` (ISO) stands in ``url``'s path or in an attribute value of the page."""
    y, m, d = day.split("-")
    in_url = re.compile(rf"(?<!\d){y}[-/_]?{m}[-/_]?{d}(?!\d)")
    if url and in_url.search(url):
        return True
    # links and image paths name other pages and files, not this page's date
    return bool(tree.xpath("//@*[not(name()='href' or name()='src' or name()='srcset')]"
                           "[contains(., $iso)]", iso=day))


def _htmldate_date(tree: HtmlElement, url: str | None) -> str | None:
    """htmldate's date of a page whose metadata names none, when the markup states it."""
    if not (url and _URL_DATE.search(url)) and not any(
            _ISO_DATE.search(value) for value in _DATED_ATTRIBUTES(tree)):
        return None  # htmldate's answer could not be kept: save its run
    found = find_date(tree, extensive_search=False, original_date=True, url=url,
                      max_date=date.today().isoformat())
    if found and _stated_in_markup(found, tree, url):
        return found
    return None


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Read the metadata of a page parsed by lxml (see the module docstring)."""
    elements = _metadata_elements(tree)
    meta = _meta_index(elements.get("meta", []))
    ld = _json_ld(elements.get("script", []))
    ld_value = lambda key: next((n[key] for n in ld if n.get(key)), None)  # noqa: E731

    og_title = _meta(meta, "og:title", "twitter:title")
    titles = elements.get("title", [])
    title = og_title or _names(ld_value("headline")) or (_text(titles[0]) if titles else None) or None
    h1s = elements.get("h1", [])
    h1 = next((h for h in h1s if _inside_article(h)), h1s[0] if h1s else None)
    headline = (_text(h1) if h1 is not None else None) or og_title or title

    author = _meta(meta, "author", "article:author", "byl", "dc.creator") or _names(ld_value("author"))
    if author and author.lower().startswith("by "):
        author = author[3:].strip()
    publisher = _meta(meta, "og:site_name") or _names(ld_value("publisher"))
    link = next((k for k in elements.get("link", []) if "canonical" in (k.get("rel") or "").lower().split()), None)
    href = (link.get("href") if link is not None else None) or _meta(meta, "og:url")
    canonical = (urljoin(url, href.strip()) if url else href.strip()) if href else None

    published = _metadata_date(elements.get("time", []), meta, ld_value) or _htmldate_date(tree, url or canonical)
    description = _meta(meta, "description", "og:description", "twitter:description")
    return PageMetadata(title=title or headline, headline=headline, description=description, published=published,
                        author=author, publisher=publisher, canonical_url=canonical, headline_element=h1)
