"""extractors.html_text: article text and metadata from news pages."""
from __future__ import annotations

import json

import pytest

from extractors.document import DocumentError
from extractors.html_text import parse_html

LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Korea offsets rule draws US complaint (JSON-LD)",
    "datePublished": "2025-03-31T09:15:00-04:00",
    "author": [{"@type": "Person", "name": "Jane Doe"}],
    "publisher": {"@type": "Organization", "name": "Trade Wire"},
}

NEWS = f"""<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Korea offsets rule draws US complaint | Trade Wire</title>
<meta property="og:title" content="Korea offsets rule draws US complaint">
<meta property="og:site_name" content="Trade Wire">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-30T22:00:00Z">
<link rel="canonical" href="/news/korea-offsets">
<script type="application/ld+json">{json.dumps(LD)}</script>
<style>.x {{ color: red }}</style>
</head><body>
<div class="cookie-banner">We use cookies. Accept 100% of them?</div>
<header class="site-header"><nav><a href="/">Home</a> <a href="/markets">Markets</a></nav>
  <a class="subscribe-link" href="/subscribe">Subscribe for $2.99/month</a></header>
<div class="market-ticker">KOSPI +1.2% | S&amp;P 500 -0.4% | USD/KRW 1,465</div>
<main>
<article>
  <header><h1>Korea offsets rule draws US complaint</h1>
  <p class="byline">By Jane Doe</p></header>
  <time datetime="2025-03-31">March 31, 2025</time>
  <p>Korea requires foreign defense suppliers to offset at least 50 percent of
     contracts worth more than $10 million, USTR said on Monday.</p>
  <aside class="promo">Get 40% off a digital subscription today!</aside>
  <h2>Background</h2>
  <p>The rule dates from 2008.<!-- editor: check 2009 --></p>
  <ul><li>Offsets cover <b>technology</b> transfer.</li><li>Credits last 5 years.</li></ul>
  <div class="share-tools">Share this on X</div>
  <div class="related-stories"><p>Related: EU tariffs rise 25%</p></div>
  <script>var price = "$1.99";</script>
</article>
</main>
<aside><p>Most read: Oil jumps 3%</p></aside>
<div id="newsletter-signup"><p>Sign up for our newsletter for 50% off</p></div>
<footer><p>&copy; 2025 Trade Wire. All rights reserved.</p></footer>
</body></html>"""

EXPECTED = (
    "Korea offsets rule draws US complaint\n\n"
    "Korea requires foreign defense suppliers to offset at least 50 percent of contracts "
    "worth more than $10 million, USTR said on Monday.\n\n"
    "Background\n\n"
    "The rule dates from 2008.\n\n"
    "Offsets cover technology transfer.\n\n"
    "Credits last 5 years."
)


@pytest.fixture(scope="module")
def news():
    return parse_html(NEWS.encode("utf-8"), "news.html", url="https://tradewire.example/a/1")


def test_exact_article_text(news):
    assert news.text == EXPECTED
    assert news.media_type == "html"
    assert news.pages == []


@pytest.mark.parametrize(
    "boilerplate",
    ["$2.99", "2.99/month", "1.2%", "-0.4%", "40%", "© 2025", "2025 Trade Wire", "Home",
     "cookies", "Related", "25%", "3%", "50% off", "$1.99", "check 2009", "Share this",
     "By Jane Doe", "March 31, 2025"],
)
def test_boilerplate_with_numbers_is_gone(news, boilerplate):
    assert boilerplate not in news.text


def test_metadata(news):
    assert news.title == "Korea offsets rule draws US complaint"
    assert news.published == "2025-03-31"  # JSON-LD first, as written (local date)
    assert news.author == "Jane Doe"
    assert news.publisher == "Trade Wire"
    assert news.canonical_url == "https://tradewire.example/news/korea-offsets"


def test_metadata_fallbacks():
    page = b"""<html><head><title>Plain title</title>
    <meta name="date" content="March 5, 2024"></head>
    <body><div><p>The tariff rose to 25 percent on steel imports last year.</p></div></body></html>"""
    doc = parse_html(page, "plain.html")
    assert doc.title == "Plain title"
    assert doc.published == "2024-03-05"
    assert doc.author is None and doc.publisher is None and doc.canonical_url is None
    # no <h1>: the title heads the text
    assert doc.text == "Plain title\n\nThe tariff rose to 25 percent on steel imports last year."


def test_json_ld_graph_and_time_element():
    ld = {"@graph": [{"@type": "WebSite", "name": "Site"},
                     {"@type": "Article", "headline": "Graph headline",
                      "author": {"name": "A. Writer"}, "publisher": {"name": "Pub"}}]}
    page = f"""<html><head><script type="application/ld+json">{json.dumps(ld)}</script></head>
    <body><div itemprop="articleBody"><time datetime="2024-11-02T08:00">Nov 2</time>
    <p>Exports grew by $4.5 billion in the third quarter.</p></div></body></html>"""
    doc = parse_html(page.encode(), "graph.html")
    assert doc.title == "Graph headline"
    assert doc.author == "A. Writer"
    assert doc.publisher == "Pub"
    assert doc.published == "2024-11-02"
    # the <time>'s text is part of the article body it stands in (trafilatura keeps it with the
    # paragraph that follows; the hand-written extractor read <p> elements only and lost it)
    assert doc.text == "Graph headline\n\nNov 2 Exports grew by $4.5 billion in the third quarter."


def test_largest_text_block_without_article_or_main():
    page = b"""<html><body>
    <div class="menu"><p>Short</p></div>
    <div class="content"><h1>Steel duties</h1><p>First paragraph about duties of 25 percent.</p>
    <p>Second paragraph with more words about the measure.</p></div>
    <div class="advert"><p>Buy now for $5 a month, 80% off!</p></div>
    </body></html>"""
    doc = parse_html(page, "block.html")
    assert doc.text == (
        "Steel duties\n\nFirst paragraph about duties of 25 percent.\n\n"
        "Second paragraph with more words about the measure."
    )


@pytest.mark.parametrize("encoding", ["windows-1252", "iso-8859-1"])
def test_declared_single_byte_encoding(encoding):
    page = (
        f'<html><head><meta charset="{encoding}"><title>Caf\u00e9</title></head>'
        "<body><article><p>The EU\u2019s tariff on Caf\u00e9 goods is 12\u00a0% \u2013 "
        "up from \u00a35 per tonne.</p></article></body></html>"
    )
    data = page.encode("cp1252")
    assert b"\xe9" in data and b"\x92" in data  # single-byte, not UTF-8
    doc = parse_html(data, "latin.html")
    assert doc.text == (
        "Caf\u00e9\n\nThe EU\u2019s tariff on Caf\u00e9 goods is 12 % \u2013 up from \u00a35 per tonne."
    )


def test_http_equiv_charset():
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "</head><body><article><h1>Se\u00f1or</h1><p>Se\u00f1or L\u00f3pez said duties "
        "were 10 percent.</p></article></body></html>"
    )
    doc = parse_html(page.encode("latin-1"), "equiv.html")
    assert doc.text == "Se\u00f1or\n\nSe\u00f1or L\u00f3pez said duties were 10 percent."


def test_undeclared_utf8():
    page = "<html><body><article><p>Won \u20a91,000 and \u00a5500 in 2025.</p></article></body></html>"
    assert parse_html(page.encode("utf-8"), "u.html").text == "Won \u20a91,000 and \u00a5500 in 2025."


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty file"),
        (b"   \n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)) * 4, "binary data"),
        (bytes(range(1, 32)) * 40, "binary data"),
        (
            b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav>"
            b"<div class='cookie-consent'>We use cookies</div><footer>&copy; 2025</footer>"
            b"</body></html>",
            "no article text found",
        ),
    ],
)
def test_bad_html(data, problem):
    with pytest.raises(DocumentError) as err:
        parse_html(data, "page.html")
    assert str(err.value).startswith("page.html: ")
    assert problem in str(err.value)
