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
        starts = [p.start for p in self.pages]
        i = max(bisect_right(starts, offset) - 1, 0)
        return self.pages[i].number

    def section_at(self, offset: int) -> SectionSpan | None:
        """Return the section span holding ``offset``, or None."""
        for span in self.sections:
            if span.start <= offset < span.end:
                return span
        return None
