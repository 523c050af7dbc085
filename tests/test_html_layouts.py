"""Web-page layouts the HTML parser must read: pages we wrote in tests/data/html/, cases in cases.jsonl.

Each case names a page (and optionally the URL it was served from) and what parse_html must give:
metadata fields (a ``null`` published date means "none": better than a guessed one), text the
article must contain or must not contain, or the error it must raise.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from htmldate import find_date

from extractors.document import DocumentError
from extractors.extraction import extract_claims
from extractors.html_text import parse_html
from extractors.parse import parse_document

PAGES = Path(__file__).parent / "data" / "html"
CASES = [json.loads(line) for line in (PAGES / "cases.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
FIELDS = ("title", "published", "author", "publisher", "canonical_url")


def _parse(case: dict):
    return parse_html((PAGES / case["file"]).read_bytes(), case["file"], url=case.get("url"))


def _id(case: dict) -> str:
    return case["file"].removesuffix(".html") + (f"@{case['url']}" if "url" in case else "")


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c], ids=_id)
def test_page(case):
    doc = _parse(case)
    for field in FIELDS:
        if field in case:
            assert getattr(doc, field) == case[field], f"{field}: {case['why']}"
    assert doc.text.startswith(case.get("starts", ""))
    for text in case.get("contains", []):
        assert text in doc.text
    for text in case.get("absent", []):
        assert text not in doc.text, f"boilerplate kept: {text!r}"


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=_id)
def test_page_error(case):
    with pytest.raises(DocumentError) as err:
        _parse(case)
    assert str(err.value) == f"{case['file']}: {case['error']}"


def test_boilerplate_produces_no_claims():
    """Every claim of the busy page lies in one of its article paragraphs, at its offsets."""
    page = PAGES / "article_with_boilerplate.html"
    doc = parse_html(page.read_bytes(), page.name)
    article = [p for p in re.split(r"<[^>]+>", page.read_text(encoding="utf-8").split('class="story">')[1]
               .split("</article>")[0]) if p.strip()]
    article_text = " ".join(re.sub(r"\s+", " ", p) for p in article)
    claims = extract_claims(doc, source=page.name)
    assert len(claims) >= 8
    for claim in claims:
        assert doc.text[claim.start:claim.end] == claim.text
        assert claim.text in article_text, f"claim {claim.text!r} not from the article"
    assert not [c for c in claims if c.text in ("15%", "$3 billion", "$899", "2%", "49%", "$600 million", "50%")]


def test_htmldate_alone_would_invent_a_date():
    """The misleading page is a real hazard: htmldate's default search dates it; parse_html does not."""
    page = PAGES / "no_date_metadata_misleading_dates.html"
    assert find_date(page.read_text(encoding="utf-8")) is not None
    assert parse_html(page.read_bytes(), page.name).published is None


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)) * 4,
    bytes(range(1, 32)) * 40 + b"<html>",
    b"PK\x03\x04" + bytes(range(256)) * 4,
], ids=["png", "control-bytes", "zip"])
def test_binary_served_as_html(data):
    with pytest.raises(DocumentError) as err:
        parse_document(data, "https://news.example/story.html", content_type="text/html; charset=utf-8")
    assert str(err.value).startswith("https://news.example/story.html: binary data, not HTML")
