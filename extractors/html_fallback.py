"""Article paragraphs by beautifulsoup4 alone, for pages where trafilatura finds too little.

The page loses its boilerplate first: ``nav``, ``header``, ``footer``, ``aside``,
comments, ``script``, ``style``, ``noscript``, ``form``, ``iframe``, ``svg``, ``button``,
hidden elements, dialogs and elements whose class or id names related links, promos,
subscription/newsletter boxes, tickers, adverts, cookie banners or share/social widgets.
The article is then the largest ``<article>``, else ``[itemprop=articleBody]``, else
``<main>``, else the element holding the most paragraph text; its paragraphs are its
``<p>``, ``<h1>``-``<h6>`` and ``<li>``, or its lines when it has none.
"""
from __future__ import annotations

import re
import warnings
from typing import TYPE_CHECKING

from extractors.html_metadata import clean_text

# bs4 (and soupsieve, which it imports) is imported when a page first needs the fallback:
# most pages never do, and importing it cost about a third of importing the HTML parser.
if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = ["fallback_paragraphs"]

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
    return len(clean_text(tag.get_text()))


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
    from bs4 import Tag

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
    if container.name in _BLOCKS:
        blocks = [container]
    else:
        blocks = [tag for tag in container.find_all(_BLOCKS)
                  if not any(parent.name in _BLOCKS for parent in tag.parents if parent is not container)]
    paras = [p for p in (clean_text(tag.get_text()) for tag in blocks) if p]
    if not paras:
        paras = [p for p in (clean_text(line) for line in container.get_text("\n").split("\n")) if p]
    return paras


def fallback_paragraphs(markup: str) -> list[str]:
    """The article's paragraphs of the decoded page ``markup`` (see the module docstring)."""
    from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag, XMLParsedAsHTMLWarning

    with warnings.catch_warnings():
        # a page that looks like XML or a file name is still read as HTML, on purpose
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(markup, "lxml")
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
    return _paragraphs(container) if container is not None else []
