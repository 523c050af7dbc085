"""Plain-text documents (.txt).

:func:`parse_text` decodes UTF-8 (a BOM is dropped), falling back to windows-1252,
normalises line ends to ``"\\n"`` and returns the text unchanged otherwise. Lines
that stand alone as headings (a country in capitals, a capitalised section, a short
Title Case subsection) give the same chapter/section map as a PDF report.
"""
from __future__ import annotations

import codecs

from extractors.document import DocumentError, DocumentText
from extractors.headings import chapter_name, is_caps, is_title, sections_from_headings

__all__ = ["parse_text"]


def parse_text(data: bytes, source: str) -> DocumentText:
    """Parse plain-text ``data`` (named ``source`` in errors) into a :class:`DocumentText`.

    Raises :class:`DocumentError` for an empty (or blank) file and for binary data.
    """
    if not data or not data.strip():
        raise DocumentError(source, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = data.decode("utf-16").encode("utf-8")
    if b"\x00" in data[:8192]:
        raise DocumentError(source, "binary data, not text (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(sample) // 100) or sample.count("\ufffd") > max(8, len(sample) // 100):
        raise DocumentError(source, "binary data, not text (undecodable bytes)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(source, "empty file")
    return DocumentText(text=text, media_type="txt", sections=_sections(text))


def _sections(text: str):
    """Chapter/section spans from heading lines of a report-like text file."""
    headings = []
    offset = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= 80:
            start = offset + line.index(stripped)
            if is_caps(stripped) and len(stripped.split()) <= 12:
                headings.append((start, "chapter" if chapter_name(stripped) else "section", stripped))
            elif is_title(stripped):
                headings.append((start, "subsection", stripped))
        offset += len(line) + 1
    return sections_from_headings(headings, len(text)) if headings else []
