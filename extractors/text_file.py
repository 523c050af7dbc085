"""Plain-text documents (.txt).

:func:`parse_text` decodes UTF-8 (a BOM is dropped), falling back to windows-1252
(:mod:`extractors.decoding`, shared with web pages), normalises line ends to ``"\\n"`` and returns the text unchanged otherwise. Lines
that stand alone as headings (a country in capitals, a capitalised section, a short
Title Case subsection) give the same chapter/section map as a PDF report.
"""
from __future__ import annotations

from extractors.decoding import decode_document
from extractors.document import DocumentError, DocumentText
from extractors.headings import chapter_name, is_caps, is_title, sections_from_headings

__all__ = ["parse_text"]


def parse_text(data: bytes, source: str) -> DocumentText:
    """Parse plain-text ``data`` (named ``source`` in errors) into a :class:`DocumentText`.

    Raises :class:`DocumentError` for an empty (or blank) file and for binary data.
    """
    text = decode_document(data, source, "text").replace("\r\n", "\n").replace("\r", "\n")
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
