"""extractors.parse: sniffing the real type and dispatching; text files."""
from __future__ import annotations

import pytest

from extractors.document import DocumentError
from extractors.parse import parse_document, parse_file, sniff
from extractors.text_file import parse_text
from tests.pdf_factory import build_pdf

PDF = build_pdf([[("line", "Tariffs rose to 25 percent.")]], running=False)
HTML = (
    b"<!DOCTYPE html><html><head><title>T</title></head><body><article>"
    b"<p>Duties of 10 percent apply from 2025.</p></article></body></html>"
)


@pytest.mark.parametrize(
    "data, source, content_type, kind",
    [
        (PDF, "x.html", "text/html", "pdf"),  # bytes win
        (HTML, "report.pdf", "application/pdf", "html"),
        (b"\n  <html><body>x</body></html>", "x.txt", None, "html"),
        (b"Just text", "x", "application/pdf", "pdf"),
        (b"Just text", "x", "text/html; charset=utf-8", "html"),
        (b"Just text", "x", "text/plain", "txt"),
        (b"Just text", "notes.HTML", None, "html"),
        (b"Just text", "https://example.com/a/report.pdf?x=1", None, "pdf"),
        (b"Just text", "notes", None, "txt"),
    ],
)
def test_sniff(data, source, content_type, kind):
    assert sniff(data, source, content_type) == kind


def test_dispatch():
    assert parse_document(PDF, "a.pdf").media_type == "pdf"
    assert parse_document(PDF, "a.pdf").text == "Tariffs rose to 25 percent."
    doc = parse_document(HTML, "https://example.com/news")
    assert doc.media_type == "html"
    assert doc.text == "T\n\nDuties of 10 percent apply from 2025."
    txt = parse_document(b"A plain note: 5%.\r\n", "note.txt")
    assert (txt.media_type, txt.text) == ("txt", "A plain note: 5%.\n")


def test_html_named_pdf_is_html_unless_pdf_expected():
    assert parse_document(HTML, "report.pdf").media_type == "html"
    with pytest.raises(DocumentError, match=r"^report\.pdf: expected a PDF but got HTML$"):
        parse_document(HTML, "report.pdf", content_type="application/pdf", expect="pdf")
    assert parse_document(PDF, "report.pdf", expect="pdf").media_type == "pdf"
    with pytest.raises(DocumentError, match="expected HTML but got a PDF"):
        parse_document(PDF, "page.html", expect="html")
    with pytest.raises(ValueError):
        parse_document(PDF, "a.pdf", expect="docx")


def test_binary_served_as_html():
    blob = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    with pytest.raises(DocumentError, match=r"^https://x\.example/a: binary data"):
        parse_document(blob, "https://x.example/a", content_type="text/html")


def test_empty_document():
    with pytest.raises(DocumentError, match=r"^empty\.pdf: empty file$"):
        parse_document(b"", "empty.pdf")


def test_load_file(tmp_path):
    pdf_path = tmp_path / "nte.pdf"
    pdf_path.write_bytes(PDF)
    assert parse_file(pdf_path).text == "Tariffs rose to 25 percent."
    html_path = tmp_path / "page.htm"
    html_path.write_bytes(HTML)
    assert parse_file(str(html_path)).media_type == "html"
    with pytest.raises(DocumentError, match="expected a PDF but got HTML"):
        parse_file(html_path, expect="pdf")
    with pytest.raises(DocumentError, match=r"missing\.pdf: no such file"):
        parse_file(tmp_path / "missing.pdf")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match=r"empty\.txt: empty file"):
        parse_file(empty)


# ---------------------------------------------------------------- text files


def test_text_utf8_bom_and_crlf():
    doc = parse_text("\ufeffLine one \u20ac5\r\nLine two\rend".encode("utf-8"), "t.txt")
    assert doc.text == "Line one \u20ac5\nLine two\nend"
    assert doc.media_type == "txt" and doc.pages == [] and doc.sections == []


def test_text_cp1252_fallback():
    data = "Caf\u00e9 \u2013 \u201cquoted\u201d \u20ac10".encode("cp1252")
    assert parse_text(data, "t.txt").text == "Caf\u00e9 \u2013 \u201cquoted\u201d \u20ac10"


def test_text_utf16_bom():
    assert parse_text("Won \u20a9".encode("utf-16"), "w.txt").text == "Won \u20a9"


@pytest.mark.parametrize(
    "data, problem",
    [(b"", "empty file"), (b" \r\n ", "empty file"),
     (b"abc\x00def" * 10, "binary data"), (bytes(range(1, 32)) * 10, "binary data")],
)
def test_text_bad(data, problem):
    with pytest.raises(DocumentError) as err:
        parse_text(data, "bad.txt")
    assert str(err.value).startswith("bad.txt: ") and problem in str(err.value)
