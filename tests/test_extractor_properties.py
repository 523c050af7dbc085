"""Properties that hold for any input: no exception, and every claim's text is its span."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from extractors.extraction import chunk_text, extract_claims

NUMBERISH = st.sampled_from([
    "$", "US$", "€", "₩", "₹", "Rs.", "KRW", "8", "1,000", "2.5", "2011", "2011-2015", "2011–2015",
    "%", "percent", "per cent", "billion", "bn", "million", "crore", "lakh", "won", "dollars",
    "nearly", "about", "more than", "up to", "between", "and", "from", "to", "fell", "October",
    "Oct.", "31st", "of", "the", "FY", "fiscal year", "(", ")", "-", "–", ".", ",", "half", "one-third",
    "last year", "\n", "\n\n", "U.S.", "Korea", "offset", "tariff", "for", "bids", "2024-25", "No.",
])


def check(text: str, doc_date=None) -> None:
    for claim in extract_claims(text, "prop", doc_date=doc_date):
        assert text[claim.start:claim.end] == claim.text
        assert claim.kind in ("money", "percent", "date", "period")
        assert claim.qualifier in ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NUMBERISH, max_size=40).map(" ".join), st.sampled_from([None, "2025-11-05", "2024-02-29"]))
def test_number_like_strings_never_raise(text, doc_date):
    check(text, doc_date)


@settings(max_examples=100, deadline=None)
@given(st.lists(NUMBERISH, max_size=60).map("".join))
def test_glued_number_like_strings_never_raise(text):
    check(text)


def test_chunks_cover_the_text_exactly():
    text = ("Offsets of nearly $8 billion (2011-2015) applied. " * 50 + "\n\n") * 40
    pieces = list(chunk_text(text, limit=3000))
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(len(chunk) <= 3000 for _, chunk in pieces)
    assert [offset for offset, _ in pieces] == [sum(len(c) for _, c in pieces[:i]) for i in range(len(pieces))]


def test_text_over_spacys_limit_keeps_every_claim():
    sentence = "Korea cut its offset rate to 30% in 2024, worth about $1.2 billion. "
    text = sentence * 16_000  # ~1.1 million characters, over spaCy's 1,000,000 limit
    assert len(text) > 1_000_000
    claims = extract_claims(text, "big")
    assert len([c for c in claims if c.text == "$1.2 billion"]) == 16_000
    assert len([c for c in claims if c.kind == "percent"]) == 16_000
    for claim in claims[::997]:
        assert text[claim.start:claim.end] == claim.text
