"""Pick the parser for a document from its bytes, its content type and its name.

The bytes decide first: ``%PDF-`` is a PDF, ``<html``/``<!doctype``/``<head``/
``<body`` near the start is HTML (the rules, shared with the fetcher, are in
:mod:`extractors.media_type`). Otherwise the ``content_type`` decides
(``application/pdf``, ``text/html``, ``application/xhtml+xml``, ``text/plain``),
then the suffix of ``source`` (``.pdf``, ``.html``/``.htm``, ``.txt``), and
finally plain text. ``expect`` (``"pdf"``, ``"html"`` or ``"txt"``) makes a
mismatch an error instead of a silent switch, e.g.
``"report.pdf: expected a PDF but got HTML"`` for an error page served for a PDF link.
"""
from __future__ import annotations

from pathlib import Path

from extractors import media_type
from extractors.document import DocumentError, DocumentText
from extractors.text_file import parse_text
from sources.local_files import MAX_DOCUMENT_BYTES, LocalFileError, read_document_file

__all__ = ["parse_document", "parse_file", "sniff"]

_LABEL = {"pdf": "a PDF", "html": "HTML", "txt": "plain text"}


def sniff(data: bytes, source: str = "", content_type: str | None = None) -> str:
    """Return ``"pdf"``, ``"html"`` or ``"txt"`` for ``data`` (rules: :mod:`extractors.media_type`)."""
    for kind in (media_type.from_bytes(data), media_type.from_content_type(content_type),
                 media_type.from_name(source)):
        if kind in ("pdf", "html"):
            return kind
        if kind == "text":
            return "txt"
    return "txt"


def parse_document(
    data: bytes,
    source: str,
    content_type: str | None = None,
    expect: str | None = None,
    url: str | None = None,
    pdf_engine: str = "pdfium",
) -> DocumentText:
    """Parse ``data`` with the parser its real type needs.

    ``source`` names the document in errors (a path or URL); ``url`` is passed to
    the HTML parser (defaults to ``source`` when that is an http(s) URL);
    ``pdf_engine`` chooses how PDF text is read (see :func:`extractors.pdf_text.parse_pdf`);
    PDFs are parsed in a child process limited in memory and time (:mod:`extractors.bounded`).
    Raises :class:`DocumentError`.
    """
    if not data:
        raise DocumentError(source, "empty file")
    kind = sniff(data, source, content_type)
    if expect is not None:
        expect = expect.lower().lstrip(".")
        expect = "html" if expect == "htm" else expect
        if expect not in _LABEL:
            raise ValueError(f"expect must be one of {sorted(_LABEL)}, not {expect!r}")
        if kind != expect:
            raise DocumentError(source, f"expected {_LABEL[expect]} but got {_LABEL[kind]}")
    # The PDF and HTML parsers are imported when first needed: trafilatura, bs4 and
    # pypdfium2 cost a second of start-up that `tradeclaims extract notes.txt` need not pay.
    if kind == "pdf":
        from extractors.bounded import parse_pdf_bounded

        # In a child process with a memory and time limit: a small PDF can inflate to gigabytes.
        return parse_pdf_bounded(data, source, engine=pdf_engine)
    if kind == "html":
        from extractors.html_text import parse_html

        if url is None and source.startswith(("http://", "https://")):
            url = source
        return parse_html(data, source, url=url)
    return parse_text(data, source)


def parse_file(path: str | Path, expect: str | None = None, pdf_engine: str = "pdfium",
              max_bytes: int = MAX_DOCUMENT_BYTES) -> DocumentText:
    """Read and parse the file at ``path`` (its path names it in errors).

    Only a regular file of at most ``max_bytes`` is read (see :mod:`sources.local_files`):
    a device, a named pipe or an oversized file is refused before any byte is read.
    """
    try:
        data = read_document_file(path, max_bytes)
    except LocalFileError as exc:
        raise DocumentError(str(path), exc.problem) from None
    return parse_document(data, str(path), expect=expect, pdf_engine=pdf_engine)
