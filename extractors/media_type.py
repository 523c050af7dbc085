"""What kind of document a body is: the bytes first, then the Content-Type, then the name.

One module for the fetcher (what to record, whether an ``expect`` is met), the parser
dispatch (which parser to run) and the PDF parser (what a non-PDF looks like in its error),
so that a body is never a PDF to one and HTML to another. The bytes decide first because
servers routinely send PDFs as ``application/octet-stream`` and error pages under
whatever type the URL suggested.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["from_bytes", "from_content_type", "from_name"]

HEAD = 1024  # bytes looked at
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
# A fragment of a page without <html>: what error pages and bare templates start with.
_PAGE_START = (b"<head", b"<body", b"<title", b"<script", b"<iframe", b"<h1", b"<div", b"<p>")
_FEED = re.compile(rb"<(?:rss|rdf:rdf|feed)[\s>]", re.IGNORECASE)


def from_bytes(data: bytes) -> str | None:
    """``"pdf"``, ``"html"`` or ``"feed"`` when the first bytes say so, else None."""
    head = data[:HEAD]
    if b"%PDF-" in head:
        return "pdf"
    start = head.lstrip(b"\xef\xbb\xbf\t\n\r\f ")
    if start[:1] != b"<":
        return None
    if _MARKUP.search(start) or start.lower().startswith(_PAGE_START):
        return "html"
    if _FEED.search(start):
        return "feed"
    return None


def from_content_type(content_type: str | None) -> str | None:
    """``"pdf"``, ``"html"``, ``"feed"`` or ``"text"`` for a Content-Type header, else None."""
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if ctype == "application/pdf" or ctype.endswith("/pdf"):
        return "pdf"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype in ("application/rss+xml", "application/atom+xml", "application/rdf+xml"):
        return "feed"
    if ctype.startswith("text/"):
        return "text"
    return None


def from_name(source: str) -> str | None:
    """``"pdf"``, ``"html"`` or ``"text"`` for the suffix of a path or URL, else None."""
    path = urlsplit(source).path if "://" in source else source
    suffix = Path(path).suffix.lower()
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix == ".txt":
        return "text"
    return None
