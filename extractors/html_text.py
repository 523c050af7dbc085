"""Article text and metadata from a news page (HTML): trafilatura for the text, lxml for the metadata.

:func:`parse_html` returns the headline followed by the article's paragraphs, separated
by ``"\\n\\n"``; claims' offsets index that string.

**Why trafilatura.** Finding the article among navigation, cookie banners, related links,
comments and footers is what trafilatura is built and evaluated for; on its public
evaluation set (990 real pages) it scores F1 0.926 where our earlier hand-written
extraction scored 0.806 and found no text on 32 pages (see the README's benchmark). It
runs with ``include_comments=False`` (reader comments are not the article and must
produce no claims) and ``include_tables=True``; each paragraph, heading, list item,
quote, code block and table row of its output is one paragraph here (a row's cells joined
by ``" | "``, so a row stays one sentence).

**Fast first.** trafilatura's own extractor runs first alone (``fast=True``); its full
cascade (which also runs readability and jusText and compares) runs only when that finds
under 1,000 characters and under 5 % of the page's text (an article that is merely short
fills a larger share of its page). On the evaluation pages the two agree on 918 of 990
pages, and where they differ the fast result is short; the cascade on every page costs
about 40 % more time for 0.0006 of F1 (measured: fast alone 0.919, full 0.925, this rule
0.924). Of the 118 pages under 1,000 characters, the cascade changed the scored text of 29;
the 5 % share skips it on 44 pages, 5 of them changed (the same article segments found, one
boilerplate segment more), for 0.6 s of the 990 pages' 20 s.

**Boilerplate first out.** Before trafilatura reads the page, blocks whose class or id
names a cookie or consent banner, a newsletter or subscription box, sponsored content or an
advert (``ad``, ``ads``, ``advert``, ``ad-slot``... as a whole class name) are removed when
they hold no headline, ``<article>`` or ``<main>``. trafilatura keeps some of these on
small pages (its last resort reads the whole page). A ``<time>`` inside running text
(a paragraph, list item, table cell, quote or subheading) becomes plain text, because
trafilatura deletes ``<time>`` elements with their text; standalone ones (datelines
between blocks) it still deletes. On its evaluation pages these blocks
hold 6 of the boilerplate segments trafilatura keeps and none of the article segments it
finds; "share", "social", "paywall", "related", "promo" and "ad" inside longer names would
also remove 4 to 18 article segments each, so they are left to trafilatura.

**The lead.** The summary paragraph right after the headline, which trafilatura leaves
out on many news pages, is put back before its paragraphs when they do not hold it
(:mod:`extractors.html_lead`).

**When trafilatura finds nothing** (under 25 characters) the beautifulsoup4 reading in
:mod:`extractors.html_fallback` is used instead. Using it also when trafilatura finds
little (under 100, 250, 500 or 1,000 characters, and the bs4 reading is 1.5-3 times
longer) lowered F1 on trafilatura's evaluation pages in every combination measured. A
page raises "no article text found" only when neither finds 25 characters.

Metadata (title, headline, published date, author, publisher, canonical URL) and the rule
that keeps htmldate's guessed dates out: :mod:`extractors.html_metadata`.

Bytes are decoded by BOM, else the ``<meta charset>``/``http-equiv`` declaration
(ISO-8859-1 and ASCII read as windows-1252, as browsers do), else UTF-8, else
windows-1252 (:mod:`extractors.decoding`, shared with text files); lxml parses the decoded text once for trafilatura, htmldate and the
metadata.
"""
from __future__ import annotations

import re

from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.utils import load_html

from extractors.decoding import SAMPLE, decode_document
from extractors.document import DocumentError, DocumentText
from extractors.html_fallback import fallback_paragraphs
from extractors.html_lead import find_lead
from extractors.html_metadata import clean_text, page_metadata

__all__ = ["parse_html", "decode_html"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# trafilatura's output elements that hold running text of their own
_BLOCKS = {"p", "head", "item", "quote", "code", "row", "list", "table", "cell", "div", "body", "article"}
_MIN_TEXT = 25  # characters: less than this is no article
# Blocks named as boilerplate that hold no headline, article or main part of the page,
# removed before trafilatura reads the page.
# Only names that put no article text at risk on trafilatura's evaluation pages: "share",
# "social", "paywall", "related", "promo" and "ad" inside longer names also name wrappers of
# article text there (see the module docstring).
_BOILERPLATE_NAMES = re.compile(
    r"cookie|consent|gdpr|newsletter|subscri|sponsor"
    r"|(?:^|\s)(?:advert|advertisement|adverts|ad|ads|ad-slot|ad-container|adsbygoogle)(?:\s|$)",
    re.IGNORECASE)
_NAMED_TAGS = ("div", "section", "aside", "p", "span", "ul", "ol")
_ARTICLE_PARTS = ("h1", "article", "main")  # a block holding one of these is never boilerplate
# trafilatura deletes <time> elements with their text; inside running text that loses dates
# ("takes effect on <time>1 March 2026</time>"), so there they become plain text first.
_RUNNING_TEXT = {"p", "li", "td", "th", "blockquote", "h2", "h3", "h4"}
_FULL_CASCADE_BELOW = 1000  # characters of trafilatura's fast result (see the module docstring)
_FULL_CASCADE_SHARE = 0.05  # ... and under this share of the page's text


def decode_html(data: bytes, source: str) -> str:
    """Decode HTML bytes (see module docstring); DocumentError for binary data."""
    match = _CHARSET.search(data[:SAMPLE])
    declared = match.group(1).decode("ascii", "ignore") if match else None
    return decode_document(data, source, "HTML", declared)


def _has_text(tree: HtmlElement) -> bool:
    """Any text at all? Stops at the first non-blank piece (usually the title): cleaning the
    whole page's text to find out cost 3 % of parse_html on trafilatura's evaluation pages,
    and an XPath over every text node more. A page of soft hyphens alone passes here and
    fails the length test after extraction, with the same error."""
    return any(piece and not piece.isspace() for piece in tree.itertext())


def _holds_block(element) -> bool:
    """Has ``element`` a block descendant? (lxml's tag filter runs in C and stops at the first.)"""
    return next(element.iterdescendants(*_BLOCKS), None) is not None


def _render(element, out: list[str]) -> None:
    """Append the paragraphs of trafilatura's output ``element`` to ``out``."""
    if element.tag == "row":
        cells = [clean_text("".join(cell.itertext())) for cell in element]
        row = " | ".join(c for c in cells if c)
        if row:
            out.append(row)
        return
    if not _holds_block(element):
        text = clean_text("".join(element.itertext()))
        if text:
            out.append(text)
        return
    pending = [element.text or ""]  # inline text between block children
    for child in element:
        if child.tag in _BLOCKS or _holds_block(child):
            text = clean_text("".join(pending))
            if text:
                out.append(text)
            pending = []
            _render(child, out)
        else:
            pending.append("".join(child.itertext()))
        pending.append(child.tail or "")
    text = clean_text("".join(pending))
    if text:
        out.append(text)


def _prepare(tree: HtmlElement) -> None:
    """Remove boilerplate blocks and unwrap inline <time> elements (see the module docstring)."""
    named = []
    for element in tree.iter(_NAMED_TAGS):
        cls, ident = element.get("class"), element.get("id")
        if (cls is not None or ident is not None) and _BOILERPLATE_NAMES.search(f"{cls or ''} {ident or ''}") \
                and next(element.iter(_ARTICLE_PARTS), None) is None:
            # (lxml's tag filter in C, stopping at the first: an XPath union of three
            # descendant scans per candidate cost as much as finding the candidates)
            named.append(element)
    for element in named:
        if element.getparent() is not None:
            element.drop_tree()  # keeps the tail text, which belongs to the parent
    inline = [t for t in tree.iter("time") if any(a.tag in _RUNNING_TEXT for a in t.iterancestors())]
    for element in inline:
        element.drop_tag()


def _trafilatura_paragraphs(tree: HtmlElement, url: str | None, fast: bool) -> list[str]:
    # output_format="xml": the body tree only, without trafilatura's own rendering to text
    document = bare_extraction(tree, url=url, fast=fast, include_comments=False, include_tables=True,
                               output_format="xml")
    paras: list[str] = []
    if document is not None and document.body is not None:
        _render(document.body, paras)
    return paras


def _article_paragraphs(markup: str, tree: HtmlElement, url: str | None) -> list[str]:
    paras = _trafilatura_paragraphs(tree, url, fast=True)
    found = sum(len(p) for p in paras)
    if found < _FULL_CASCADE_BELOW and found < _FULL_CASCADE_SHARE * len(clean_text(tree.text_content())):
        paras = _trafilatura_paragraphs(tree, url, fast=False)
    if sum(len(p) for p in paras) < _MIN_TEXT:
        return fallback_paragraphs(markup)
    return paras


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def parse_html(data: bytes, source: str, url: str | None = None) -> DocumentText:
    """Parse an HTML page ``data`` (named ``source`` in errors) into a :class:`DocumentText`.

    ``url``, when given, resolves a relative canonical link. Raises
    :class:`DocumentError` for an empty file, binary data and a page without
    article text ("no article text found").
    """
    markup = decode_html(data, source)
    tree = load_html(markup)
    if tree is None or not _has_text(tree):
        raise DocumentError(source, "no article text found")
    meta = page_metadata(tree, url)
    lead = find_lead(tree, meta.headline_element, meta.description)
    _prepare(tree)
    paras = _article_paragraphs(markup, tree, url)
    if lead and _squash(lead) not in _squash(" ".join(paras)):
        paras.insert(0, lead)
    headline = meta.headline
    if headline:
        paras = [p for i, p in enumerate(paras) if not (i < 3 and p == headline)]
    if sum(len(p) for p in paras) < _MIN_TEXT:
        raise DocumentError(source, "no article text found")
    if headline:
        paras.insert(0, headline)
    return DocumentText(
        text="\n\n".join(paras),
        media_type="html",
        title=meta.title,
        author=meta.author,
        publisher=meta.publisher,
        canonical_url=meta.canonical_url,
        published=meta.published,
    )
