"""Article text and metadata from a news page (HTML), with beautifulsoup4 + lxml.

:func:`parse_html` returns the headline followed by the article's paragraphs
(``<p>``, ``<h1>``-``<h6>``, ``<li>``), separated by ``"\\n\\n"``.

The article is the largest ``<article>``, else ``[itemprop=articleBody]``, else
``<main>``, else the element holding the most paragraph text. Before choosing it
the page loses its boilerplate: ``nav``, ``header``, ``footer``, ``aside``,
comments, ``script``, ``style``, ``noscript``, ``form``, ``iframe``, ``svg``,
``button``, hidden elements, dialogs and elements whose class or id names
related links, promos, subscription/newsletter boxes, tickers, adverts, cookie
banners or share/social widgets.

Metadata: ``title`` (og:title, JSON-LD headline, ``<title>``), ``published``
(JSON-LD datePublished, article:published_time, ``<time datetime>``, meta
name=date and similar) as ``YYYY-MM-DD``, ``author`` (meta name=author, JSON-LD
author), ``publisher`` (og:site_name, JSON-LD publisher.name) and
``canonical_url`` (``<link rel=canonical>``, else og:url; relative links resolved
against ``url``).

Bytes are decoded by BOM, else the ``<meta charset>``/``http-equiv`` declaration
(ISO-8859-1 and ASCII read as windows-1252, as browsers do), else UTF-8, else
windows-1252.
"""
from __future__ import annotations

import codecs
import json
import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Tag

from extractors.document import DocumentError, DocumentText

__all__ = ["parse_html", "decode_html", "normalise_date"]

_JUNK_TAGS = [
    "script", "style", "noscript", "form", "iframe", "nav", "header", "footer", "aside",
    "svg", "button", "template", "dialog", "select", "input", "textarea", "object",
    "embed", "canvas", "video", "audio", "map",
]
_JUNK_NAME = re.compile(
    r"related|promo|subscri|newsletter|ticker|advert|cookie|consent|gdpr|share|social"
    r"|paywall|sponsor|(?:^|[-_])ads?(?:[-_]|$)|^ad\d*$",
    re.IGNORECASE,
)
_JUNK_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog"}
_KEEP = {"html", "body", "article", "main"}
_BLOCKS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li"]
_ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
    "opinionnewsarticle", "report", "webpage", "backgroundnewsarticle", "scholarlyarticle",
}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WINDOWS = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso8859-1", "l1"}


def decode_html(data: bytes, source: str) -> str:
    """Decode HTML bytes (see module docstring); DocumentError for binary data."""
    if not data or not data.strip():
        raise DocumentError(source, "empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, errors="replace")
    if b"\x00" in data[:8192]:
        raise DocumentError(source, "binary data, not HTML (NUL bytes)")
    declared = None
    match = _CHARSET.search(data[:8192])
    if match:
        name = match.group(1).decode("ascii", "ignore").lower()
        name = "cp1252" if name in _WINDOWS else name
        try:
            declared = codecs.lookup(name).name
        except LookupError:
            declared = None
    text = None
    if declared and declared not in ("utf-16-le", "utf-16-be", "utf-16"):
        try:
            text = data.decode(declared)
        except UnicodeDecodeError:
            text = None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100) or text[:8192].count("\ufffd") > 50:
        raise DocumentError(source, "binary data, not HTML (undecodable bytes)")
    return text


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def normalise_date(value: str | None) -> str | None:
    """Return ``YYYY-MM-DD`` for common date spellings (ISO, RFC 2822, "March 31, 2025")."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value)
    if m:
        y, mo, d = map(int, m.groups())
        return _ymd(y, mo, d)
    m = re.match(r"(\d{4})(\d{2})(\d{2})(?:\D|$)", value)
    if m:
        return _ymd(*map(int, m.groups()))
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    m = re.search(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", value)
    if m and m.group(1)[:3].lower() in _MONTHS:
        return _ymd(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    m = re.search(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})", value)
    if m and m.group(2)[:3].lower() in _MONTHS:
        return _ymd(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    return None


def _ymd(y: int, mo: int, d: int) -> str | None:
    try:
        return datetime(y, mo, d).date().isoformat()
    except ValueError:
        return None


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("\u200b", "")).strip()


def _meta(soup: BeautifulSoup, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: re.compile(f"^{re.escape(key)}$", re.I)})
            if tag and tag.get("content") and tag["content"].strip():
                return _clean(tag["content"])
    return None


def _json_ld(soup: BeautifulSoup) -> list[dict]:
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

    for script in soup.find_all("script", type=re.compile("ld\\+json", re.I)):
        try:
            walk(json.loads(script.string or script.get_text() or ""))
        except (ValueError, TypeError):
            continue
    # news types before WebPage
    found.sort(key=lambda n: "webpage" in str(n.get("@type", "")).lower())
    return found


def _names(value) -> str | None:
    if isinstance(value, str):
        return _clean(value) or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _is_junk(tag: Tag) -> bool:
    if tag.name in _KEEP or tag.get("itemprop") == "articleBody":
        return False
    if tag.name in _JUNK_TAGS:
        return True
    if (tag.get("role") or "").lower() in _JUNK_ROLES:
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = (tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    classes = tag.get("class") or []
    names = [*classes, tag.get("id") or ""]
    return any(_JUNK_NAME.search(n) for n in names if n)


def _text_len(tag: Tag) -> int:
    return len(_clean(tag.get_text()))


def _container(soup: BeautifulSoup) -> Tag | None:
    articles = soup.find_all("article")
    if articles:
        best = max(articles, key=_text_len)
        if _text_len(best) >= 25:
            return best
    body = soup.find(attrs={"itemprop": "articleBody"})
    if body is not None and _text_len(body) >= 25:
        return body
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if main is not None and _text_len(main) >= 25:
        return main
    scores: dict[int, tuple[int, Tag]] = {}
    for p in soup.find_all("p"):
        parent = p.parent
        if isinstance(parent, Tag):
            n, _ = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (n + _text_len(p), parent)
    if scores:
        return max(scores.values(), key=lambda item: item[0])[1]
    return soup.body


def _paragraphs(container: Tag) -> list[str]:
    blocks = [
        tag for tag in container.find_all(_BLOCKS)
        if not any(parent.name in _BLOCKS for parent in tag.parents if parent is not container)
        and not (container.name in _BLOCKS and tag is container)
    ]
    if container.name in _BLOCKS:
        blocks = [container]
    paras = [_clean(tag.get_text()) for tag in blocks]
    paras = [p for p in paras if p]
    if not paras:
        paras = [_clean(line) for line in container.get_text("\n").split("\n")]
        paras = [p for p in paras if p]
    return paras


def parse_html(data: bytes, source: str, url: str | None = None) -> DocumentText:
    """Parse an HTML page ``data`` (named ``source`` in errors) into a :class:`DocumentText`.

    ``url``, when given, resolves a relative canonical link. Raises
    :class:`DocumentError` for an empty file, binary data and a page without
    article text ("no article text found").
    """
    markup = decode_html(data, source)
    soup = BeautifulSoup(markup, "lxml")
    if soup.find() is None:
        raise DocumentError(source, "no article text found")

    ld = _json_ld(soup)
    ld_value = lambda key: next((n[key] for n in ld if n.get(key)), None)  # noqa: E731

    og_title = _meta(soup, "og:title", "twitter:title")
    title_tag = soup.find("title")
    title = (
        og_title
        or _names(ld_value("headline"))
        or (_clean(title_tag.get_text()) if title_tag else None)
        or None
    )
    time_tag = soup.find("time", attrs={"datetime": True})
    published = None
    for candidate in (
        ld_value("datePublished"),
        _meta(soup, "article:published_time"),
        time_tag["datetime"] if time_tag else None,
        _meta(soup, "date", "pubdate", "publishdate", "dc.date", "dc.date.issued",
              "datePublished", "sailthru.date", "parsely-pub-date", "og:published_time"),
        ld_value("dateCreated"),
    ):
        published = normalise_date(candidate if isinstance(candidate, str) else None)
        if published:
            break
    author = _meta(soup, "author", "article:author", "byl", "dc.creator") or _names(ld_value("author"))
    if author and author.lower().startswith("by "):
        author = author[3:].strip()
    publisher = _meta(soup, "og:site_name") or _names(ld_value("publisher"))
    canonical = None
    link = soup.find("link", rel=lambda v: v and "canonical" in [r.lower() for r in (v if isinstance(v, list) else [v])])
    href = (link.get("href") if link else None) or _meta(soup, "og:url")
    if href:
        canonical = urljoin(url, href.strip()) if url else href.strip()

    # the headline, found before <header> elements go
    scope = soup.find("article") or soup
    h1 = scope.find("h1") or soup.find("h1")
    headline = _clean(h1.get_text()) if h1 else None
    headline = headline or og_title or title

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    junk: list[Tag] = []
    stack = [soup]
    while stack:
        node = stack.pop()
        for child in node.children:
            if isinstance(child, Tag):
                (junk if _is_junk(child) else stack).append(child)
    for tag in junk:
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")

    container = _container(soup)
    paras = _paragraphs(container) if container is not None else []
    if headline:
        paras = [p for i, p in enumerate(paras) if not (i < 3 and p == headline)]
    if sum(len(p) for p in paras) < 25:
        raise DocumentError(source, "no article text found")
    if headline:
        paras.insert(0, headline)
    return DocumentText(
        text="\n\n".join(paras),
        media_type="html",
        title=title or headline,
        author=author,
        publisher=publisher,
        canonical_url=canonical,
        published=published,
    )
