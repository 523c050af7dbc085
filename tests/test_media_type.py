"""extractors.media_type: the fetcher, the parser dispatch and the PDF parser read a body alike."""
from __future__ import annotations

import pytest

from extractors.document import DocumentError
from extractors.parse import sniff
from extractors.pdf_text import parse_pdf
from sources.fetch import sniff_media_type

BODIES = [
    (b"%PDF-1.7\n...", "pdf"),
    (b"\n\n%PDF-1.4", "pdf"),
    (b"<!DOCTYPE html><html><body>Not found</body></html>", "html"),
    (b"\xef\xbb\xbf  <html lang='en'><p>x</p></html>", "html"),
    (b"<body><p>bare page</p></body>", "html"),
    (b"<div>a fragment</div>", "html"),
    (b'<?xml version="1.0"?><rss version="2.0"></rss>', "feed"),
    (b"Notes on the <html> element, in prose.", None),
    (b"just words", None),
]


@pytest.mark.parametrize("data, kind", BODIES)
def test_fetcher_and_parser_agree_on_the_bytes(data, kind):
    fetched = sniff_media_type(data, "application/octet-stream")
    parsed = sniff(data, "download", "application/octet-stream")
    if kind in ("pdf", "html"):
        assert fetched == parsed == kind
    else:
        assert parsed == "txt" and fetched in ("feed", "text") and (fetched == "feed") == (kind == "feed")


@pytest.mark.parametrize("data, looks", [(b"<!doctype html><html></html>", "HTML"), (b"GIF89a", "other data"),
                                         (b'<?xml version="1.0"?><rss></rss>', "a news feed")])
def test_the_pdf_parser_says_what_a_non_pdf_looks_like(data, looks):
    with pytest.raises(DocumentError, match=f"not a PDF \\(no %PDF- header; looks like {looks}\\)"):
        parse_pdf(data, "r.pdf")


def test_a_pdf_content_type_proves_nothing_to_the_fetcher_but_picks_the_pdf_parser():
    assert sniff_media_type(b"just words", "application/pdf") == "text"
    assert sniff(b"just words", "x", "application/pdf") == "pdf"  # whose error then says "not a PDF"
