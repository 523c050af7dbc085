"""extractors.decoding: web pages and text files are decoded, and refused, by the same rules."""
from __future__ import annotations

import pytest

from extractors.document import DocumentError
from extractors.html_text import decode_html
from extractors.text_file import parse_text


@pytest.mark.parametrize(
    "data, text",
    [
        ("caf\u00e9 \u20ac5".encode("utf-8"), "caf\u00e9 \u20ac5"),
        ("\ufeffcaf\u00e9".encode("utf-8"), "caf\u00e9"),  # the BOM is dropped
        ("caf\u00e9".encode("utf-16"), "caf\u00e9"),  # a BOM names UTF-16
        ("caf\u00e9 \u201cquoted\u201d".encode("cp1252"), "caf\u00e9 \u201cquoted\u201d"),  # not UTF-8: windows-1252
        ("\ufeffodd".encode("utf-16-le") + b"\x00", "odd\ufffd"),  # cut UTF-16: replaced, not a crash
    ],
)
def test_html_and_text_decode_alike(data, text):
    assert decode_html(data, "a.html") == text
    assert parse_text(data, "a.txt").text == text


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"abc\x00def" * 10, "NUL bytes"),
        (bytes(range(1, 32)) * 10, "undecodable bytes"),
        (b"  \n", "empty file"),
    ],
)
def test_html_and_text_refuse_alike(data, problem):
    for parse, name, label in ((decode_html, "a.html", "HTML"), (lambda d, s: parse_text(d, s).text, "a.txt", "text")):
        with pytest.raises(DocumentError) as err:
            parse(data, name)
        assert str(err.value).startswith(f"{name}: ") and problem in str(err.value)
        if problem != "empty file":
            assert f"not {label}" in str(err.value)


def test_a_declared_charset_is_used_and_latin1_means_windows_1252():
    page = '<meta charset="iso-8859-1"><p>\u201cquoted\u201d</p>'.encode("cp1252")
    assert "\u201cquoted\u201d" in decode_html(page, "a.html")
    page = '<meta charset="koi8-r"><p>\u0434\u0430</p>'.encode("koi8-r")
    assert "\u0434\u0430" in decode_html(page, "a.html")
