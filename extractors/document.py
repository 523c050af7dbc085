"""The parsed form of one source document, shared by every parser and the claim extractor.

A parser (PDF, HTML, plain text) turns raw bytes into a :class:`DocumentText`:
one string of clean text plus spans that map character offsets back to pages
and to report sections. Claims carry offsets into ``DocumentText.text``.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field


class DocumentError(Exception):
    """A document that cannot be turned into text.

    The message names the input and the problem, e.g.
    ``"report.pdf: PDF is encrypted"``; pipelines record it and go on.
    """

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


@dataclass(frozen=True)
class PageSpan:
    """Page ``number`` (1-based) covers ``text[start:end]``."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class SectionSpan:
    """``text[start:end]`` belongs to ``chapter`` (a country) and ``section`` (a heading)."""

    start: int
    end: int
    chapter: str | None
    section: str | None


@dataclass
class DocumentText:
    """Clean text of one document with its page and section maps.

    Attributes:
        text: the whole clean text; claim offsets point into it.
        pages: page spans in order (empty for HTML and TXT).
        sections: chapter/section spans in order (may be empty).
        title, author, publisher, canonical_url: metadata when the source has it.
        published: ISO date (``YYYY-MM-DD``) of publication; resolves partial and
            relative dates in the text.
        media_type: ``"pdf"``, ``"html"`` or ``"txt"``.
    """

    text: str
    media_type: str
    pages: list[PageSpan] = field(default_factory=list)
    sections: list[SectionSpan] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    canonical_url: str | None = None
    published: str | None = None

    def page_at(self, offset: int) -> int | None:
        """Return the 1-based page holding character ``offset``, or None without pages."""
        if not self.pages:
            return None
        starts = self._starts("pages")
        i = max(bisect_right(starts, offset) - 1, 0)
        return self.pages[i].number

    def section_at(self, offset: int) -> SectionSpan | None:
        """Return the section span holding ``offset``, or None (spans are in text order)."""
        if not self.sections:
            return None
        i = bisect_right(self._starts("sections"), offset) - 1
        if i >= 0 and offset < self.sections[i].end:
            return self.sections[i]
        return None

    def _starts(self, name: str) -> list[int]:
        """Start offsets of ``pages`` or ``sections``, computed once per list (one lookup per claim)."""
        spans = getattr(self, name)
        cache = self.__dict__.setdefault("_start_cache", {})
        key = (name, id(spans), len(spans))
        if key not in cache:
            cache[key] = [span.start for span in spans]
        return cache[key]


def with_markers(document: DocumentText) -> str:
    """The document's text with page and section markers on lines of their own, for reading.

    A marker line (``--- page 2 ---``, ``--- section: Republic of Korea / Government
    Procurement > Defense Offsets ---``) is put where its page or section starts; a
    marker that falls inside a line (a paragraph continued on the next page) breaks
    the line there. The offsets of claims index ``document.text``, not this text.
    """
    marks: list[tuple[int, int, str]] = []  # (offset, order, marker)
    for page in document.pages:
        marks.append((page.start, 0, f"--- page {page.number} ---"))
    for section in document.sections:
        where = " / ".join(p for p in (section.chapter, section.section) if p) or "(none)"
        marks.append((section.start, 1, f"--- section: {where} ---"))
    text = document.text
    out: list[str] = []
    cursor = 0
    for offset, _, marker in sorted(marks):
        out.append(text[cursor:offset])
        cursor = offset
        if offset and text[offset - 1] != "\n" and not out[-1].endswith("\n") and out[-1]:
            out.append("\n")  # the marker breaks a line the page break runs through
        out.append(marker + "\n")
    out.append(text[cursor:])
    return "".join(out)
