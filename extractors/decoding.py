"""Bytes to text for web pages and plain-text files: one decoder, one idea of "binary".

One function because the HTML and the text parser must agree: the same bytes served as
``.html`` or as ``.txt`` are decoded alike (a byte-order mark first, then the charset the
document declares, then UTF-8, else windows-1252, which is what browsers read undeclared
Latin text as) and are refused alike when they are not text at all (NUL bytes, or many
control or replacement characters in the first 8 KiB), with an error that names the file.
"""
from __future__ import annotations

import codecs
import re

from extractors.document import DocumentError

__all__ = ["decode_document"]

SAMPLE = 8192  # bytes (and characters) looked at to tell text from binary data
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # not tab, line feed, form feed, carriage return
# Declared Latin-1 (and ASCII) is read as windows-1252, as browsers do (WHATWG Encoding).
_WINDOWS = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso8859-1", "l1"}


def decode_document(data: bytes, source: str, label: str, declared: str | None = None) -> str:
    """Decode the bytes of a text document.

    Args:
        data: the bytes.
        source: names the document in errors.
        label: what the document should be (``"HTML"``, ``"text"``), for the error messages.
        declared: the charset the document names (HTML's ``<meta charset>``), if any;
            an unknown name, or UTF-16 without a byte-order mark, is ignored.
    Raises:
        DocumentError: empty (or blank) data, or binary data.
    """
    if not data or not data.strip():
        raise DocumentError(source, "empty file")
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(encoding, errors="replace")
            break
    else:
        if b"\x00" in data[:SAMPLE]:
            raise DocumentError(source, f"binary data, not {label} (NUL bytes)")
        for encoding in (_known(declared), "utf-8"):
            if encoding:
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    pass
        if text is None:
            text = data.decode("cp1252", errors="replace")
    sample = text[:SAMPLE]
    limit = max(8, len(sample) // 100)
    if len(_CONTROLS.findall(sample)) > limit or sample.count("\ufffd") > limit:
        raise DocumentError(source, f"binary data, not {label} (undecodable bytes)")
    return text


def _known(name: str | None) -> str | None:
    """The codec of a declared charset name, or None (unknown, or UTF-16 without a BOM)."""
    if not name:
        return None
    name = name.lower()
    try:
        codec = codecs.lookup("cp1252" if name in _WINDOWS else name).name
    except LookupError:
        return None
    return None if codec.startswith("utf-16") else codec
