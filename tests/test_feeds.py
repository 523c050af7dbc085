"""read_feed (RSS + Atom), canonical_url and dedupe_entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.feeds import FeedEntry, canonical_url, dedupe_entries, read_feed

DATA = Path(__file__).parent / "data" / "feeds"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://trade.example.com/blog/">
  <title>Atom sample</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2025-05-02T18:30:02Z</updated>
  <entry>
    <title>Digital services taxes: a tally</title>
    <link rel="alternate" href="posts/dst-tally"/>
    <link rel="edit" href="https://trade.example.com/admin/edit/1"/>
    <id>tag:trade.example.com,2025:1</id>
    <published>2025-05-01T09:00:00Z</published>
    <updated>2025-05-02T10:00:00Z</updated>
  </entry>
  <entry>
    <title type="html">Tariff &lt;em&gt;rate&lt;/em&gt; quotas &amp;amp; AT&amp;amp;T</title>
    <link href="https://TRADE.example.com/blog/posts/trq/"/>
    <id>tag:trade.example.com,2025:2</id>
    <updated>2025-05-02T18:30:02+02:00</updated>
  </entry>
  <entry>
    <title>TRQ again (tracking link)</title>
    <link href="https://trade.example.com/blog/posts/trq?utm_campaign=x&amp;gclid=abc"/>
    <id>tag:trade.example.com,2025:3</id>
  </entry>
</feed>
"""


def test_rss_from_file():
    entries = read_feed((DATA / "ustr_press.rss").read_bytes(), "https://news.example.org/feed.xml")
    assert [e.title for e in entries] == [
        "USTR releases 2025 National Trade Estimate report",
        "Offsets requirements in defence procurement",
        "Same NTE story, shared link",
    ]
    first, second, third = entries
    assert first == FeedEntry(
        url="https://News.Example.org/2025/03/nte-report/?utm_source=rss&utm_medium=feed",
        title="USTR releases 2025 National Trade Estimate report",
        published="2025-03-31",
        id="nte-2025",
    )
    # relative link resolved against base_url; date normalised to UTC
    assert second.url == "https://news.example.org/2025/04/offsets"
    assert second.published == "2025-04-02"
    assert second.id == "https://news.example.org/2025/04/offsets"
    assert third.published is None


def test_atom_inline():
    entries = read_feed(ATOM, "https://trade.example.com/atom.xml")
    assert len(entries) == 3
    dst, trq, trq2 = entries
    assert dst.url == "https://trade.example.com/blog/posts/dst-tally"
    assert dst.published == "2025-05-01"  # published wins over updated
    assert dst.id == "tag:trade.example.com,2025:1"
    assert trq.title == "Tariff rate quotas & AT&T"  # markup stripped, entities decoded
    assert trq.published == "2025-05-02"  # falls back to updated (16:30 UTC)
    assert trq2.published is None


def test_dedupe_by_canonical_url():
    rss = read_feed((DATA / "ustr_press.rss").read_bytes(), "https://news.example.org/feed.xml")
    atom = read_feed(ATOM, "https://trade.example.com/atom.xml")
    deduped = dedupe_entries(rss + atom)
    assert [e.id for e in deduped] == [
        "nte-2025",
        "https://news.example.org/2025/04/offsets",
        "tag:trade.example.com,2025:1",
        "tag:trade.example.com,2025:2",
    ]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTPS://Example.COM/Path/To/Page/", "https://example.com/Path/To/Page"),
        ("https://example.com/", "https://example.com"),
        ("https://example.com/a?utm_source=x&id=5&UTM_Medium=y#frag", "https://example.com/a?id=5"),
        ("https://example.com/a?fbclid=1&gclid=2", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?b=2&a=1"),  # order kept
        ("https://example.com/a?q=a%20b&utm_x=1", "https://example.com/a?q=a%20b"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("https://[2001:DB8::1]/x/", "https://[2001:db8::1]/x"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_idempotent():
    u = "HTTPS://Example.com/a/b/?utm_source=x&k=v#top"
    assert canonical_url(canonical_url(u)) == canonical_url(u)


def test_html_is_not_a_feed():
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        read_feed(b"<!doctype html><html><body>nope</body></html>", "https://example.com/")


def test_bytes_are_never_treated_as_a_path(tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(b'<rss version="2.0"><channel><item><link>https://leak/</link></item></channel></rss>')
    with pytest.raises(ValueError):
        read_feed(str(secret).encode(), "https://example.com/")
    with pytest.raises(TypeError):
        read_feed(str(secret), "https://example.com/")  # type: ignore[arg-type]
