"""Clean text from a PDF (an NTE report), with page and section maps.

:func:`parse_pdf` reads each page's text lines and their positions with pypdfium2
(pdfium: several hundred pages a second, against ~9 for pdfplumber's
``extract_text``), then:

1. orders the lines of a page top to bottom, left to right (as pdfplumber does:
   lines on one baseline are merged left to right);
2. drops running headers and footers: lines in the top or bottom band of the page
   (8 % of its height) whose text, with digits masked, repeats on two or more
   pages, and lines there that look like page numbers (``12``, ``-12-``,
   ``Page 12 of 40``, ``xii``). With a single page only page numbers are dropped;
3. groups lines into paragraphs by vertical gaps (a baseline step clearly larger
   than the document's usual line pitch) and bullets; rejoins words hyphenated at
   a line end (``require-`` + ``ments`` -> ``requirements``; a known prefix keeps
   its hyphen: ``non-`` + ``tariff`` -> ``non-tariff``) and joins the other lines
   of a paragraph with one space;
4. rejoins a paragraph broken across pages: when a page's last paragraph does not
   end a sentence (or the next page starts in lowercase) and the next page does
   not start with an ALL-CAPS heading;
5. keeps headings as paragraphs of their own; paragraphs are separated by ``"\\n\\n"``.

Sections (:class:`SectionSpan`) follow the NTE structure:

- a *chapter* starts at an ALL-CAPS heading naming a country or economy
  (pycountry names plus aliases such as ``REPUBLIC OF KOREA``, ``EUROPEAN UNION``,
  ``TAIWAN``); ``chapter`` is the name in title case (``"Republic of Korea"``);
- a *section* starts at any other ALL-CAPS heading (``IMPORT POLICIES``);
- a *subsection* starts at a short Title Case line without final punctuation
  standing as a paragraph of its own (``Defense Offsets``).

``SectionSpan.section`` is the heading path in title case joined with ``" > "``:
``"Government Procurement > Defense Offsets"``, or ``"Import Policies"`` directly
under a section, or ``None`` between a chapter heading and its first section.
Known acronyms keep their case (``"WTO"``, ``"SPS"``). A span starts at its
heading and ends at the next heading (or the end of the text); text before the
first heading has no span.

Pages (:class:`PageSpan`): ``text[start:end]`` is the text that came from the page;
when a paragraph continues from the previous page, the page starts where the
continuation starts. Separators between pages belong to neither page.
"""
from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.document import DocumentError, DocumentText, PageSpan
from extractors.headings import (
    SENTENCE_END as _SENTENCE_END,
    chapter_name as _chapter_name,
    is_caps as _is_caps,
    is_title as _is_title,
    sections_from_headings as _sections,
)

__all__ = ["parse_pdf"]

BAND = 0.08  # top and bottom share of the page height holding running headers/footers

HYPHEN_PREFIXES = frozenset(
    "non co self anti multi cross pre post semi sub re inter intra extra over under "
    "counter pro quasi ex".split()
)

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[•▪◦●○■□‣∙·*]|\(?[a-z0-9]{1,2}[.)])\s")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
     "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\t": " ",
     "\x00": None, "\ufeff": None, "\u200b": None}
)
_HYPHEN_MARKS = ("\ufffe", "\x02", "\u00ad", "-", "\u2010", "\u2011")


@dataclass
class _Line:
    text: str
    page: int  # 1-based
    baseline: float  # PDF user space (y grows upwards)
    x0: float
    x1: float
    size: float  # font size of the first character
    hyphen_break: bool = False  # pdfium merged this line with the next at a hyphen


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)
    heading: str | None = None  # "chapter" | "section" | "subsection" | None

    @property
    def first_page(self) -> int:
        return self.lines[0].page


# --------------------------------------------------------------------------- reading


def _page_lines(page: pdfium.PdfPage, number: int) -> tuple[list[_Line], float, float]:
    """Return the text lines of one page, top to bottom, and the page's y range."""
    left, bottom, right, top = page.get_cropbox()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return [], bottom, top
        text = textpage.get_text_range(0, count)
        raw = textpage.raw
        same_index = len(text) == count
        lines: list[_Line] = []
        x = ctypes.c_double()
        y = ctypes.c_double()

        # Split into pdfium's lines: "\r\n" and its line-end hyphen marker U+FFFE.
        utf16 = 0
        pos = 0
        for match in re.finditer(r"\r\n|\r|\n|\ufffe", text + "\r\n"):
            segment = text[pos:match.start()]
            hyphen = match.group() == "\ufffe"
            seg_start = pos
            pos = match.end()
            stripped = segment.translate(_LIGATURES)
            if not stripped.strip():
                if not same_index:
                    utf16 += len((segment + match.group()).encode("utf-16-le")) // 2
                continue
            # index of the first and last non-space characters of the segment
            lead = len(segment) - len(segment.lstrip())
            trail = len(segment.rstrip())
            if same_index:
                first, last = seg_start + lead, seg_start + trail - 1
            else:
                first_u16 = utf16 + len(segment[:lead].encode("utf-16-le")) // 2
                last_u16 = utf16 + len(segment[: trail - 1].encode("utf-16-le")) // 2
                first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, first_u16)
                last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, last_u16)
                utf16 += len((segment + match.group()).encode("utf-16-le")) // 2
            pdfium_c.FPDFText_GetCharOrigin(raw, first, ctypes.byref(x), ctypes.byref(y))
            baseline = y.value
            x0 = x.value
            try:
                x1 = textpage.get_charbox(last)[2]
            except Exception:  # pragma: no cover - pdfium refused a box
                x1 = x0
            size = pdfium_c.FPDFText_GetFontSize(raw, first) or 0.0
            line_text = re.sub(r" {2,}", " ", stripped.strip())
            lines.append(_Line(line_text, number, baseline, x0, x1, size, hyphen))
    finally:
        textpage.close()
    return _order(lines), bottom, top


def _order(lines: list[_Line]) -> list[_Line]:
    """Sort top to bottom; merge lines sharing a baseline left to right."""
    lines.sort(key=lambda ln: (-ln.baseline, ln.x0))
    rows: list[_Line] = []
    for line in lines:
        if rows:
            prev = rows[-1]
            tol = max(2.0, 0.3 * max(prev.size, line.size, 1.0))
            if abs(prev.baseline - line.baseline) <= tol and not prev.hyphen_break:
                if line.x0 >= prev.x1 - 1:
                    rows[-1] = _Line(
                        f"{prev.text} {line.text}", prev.page, prev.baseline, prev.x0,
                        line.x1, prev.size, line.hyphen_break,
                    )
                    continue
        rows.append(line)
    return rows


# --------------------------------------------------------------------------- cleaning


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def _is_gap(upper: _Line, lower: _Line, pitch: float) -> bool:
    size = max(upper.size, lower.size, 1.0)
    return (upper.baseline - lower.baseline) / size > pitch + 0.3


def _band_candidates(lines: list[_Line], bottom: float, top: float, pitch: float) -> set[int]:
    """Indexes of lines that may be running headers/footers on one page.

    A candidate lies in the top (bottom) band and belongs to the block of lines at
    the page's top (bottom) edge that a paragraph gap separates from the body; a
    page-number-like first or last line in a band is always a candidate.
    """
    band = BAND * (top - bottom)
    n = len(lines)
    found: set[int] = set()
    k = 0
    while k < n and lines[k].baseline >= top - band:
        k += 1
    for j in range(k - 1, -1, -1):  # the lowest in-band line followed by a gap
        if j == n - 1 or _is_gap(lines[j], lines[j + 1], pitch):
            found.update(range(j + 1))
            break
    k = n - 1
    while k >= 0 and lines[k].baseline <= bottom + band:
        k -= 1
    for j in range(k + 1, n):  # the highest in-band line with a gap above it
        if j == 0 or _is_gap(lines[j - 1], lines[j], pitch):
            found.update(range(j, n))
            break
    for i in (0, n - 1):
        if n and (lines[i].baseline >= top - band or lines[i].baseline <= bottom + band):
            if _PAGE_NUMBER.match(lines[i].text):
                found.add(i)
    return found


def _strip_running(
    pages: list[tuple[list[_Line], float, float]], pitch: float
) -> list[list[_Line]]:
    """Remove running headers and footers (position in a band + repetition)."""
    band_lines: list[list[tuple[int, str]]] = []
    counts: dict[str, int] = {}
    for lines, bottom, top in pages:
        mine = [(i, _mask(lines[i].text)) for i in sorted(_band_candidates(lines, bottom, top, pitch))]
        for key in {k for _, k in mine}:
            counts[key] = counts.get(key, 0) + 1
        band_lines.append(mine)
    multi = len(pages) > 1
    cleaned = []
    for (lines, _, _), mine in zip(pages, band_lines):
        drop = {
            i for i, key in mine
            if _PAGE_NUMBER.match(lines[i].text.strip()) or (multi and counts[key] >= 2)
        }
        cleaned.append([ln for i, ln in enumerate(lines) if i not in drop])
    return cleaned


def _typical_pitch(pages: list[list[_Line]]) -> float:
    """The usual baseline step between lines of a paragraph, in font sizes."""
    ratios: dict[float, int] = {}
    for lines in pages:
        for a, b in zip(lines, lines[1:]):
            size = max(a.size, b.size, 1.0)
            step = (a.baseline - b.baseline) / size
            if step > 0.5:
                key = round(step * 20) / 20
                ratios[key] = ratios.get(key, 0) + 1
    if not ratios:
        return 1.2
    best = max(ratios.values())
    # the smallest common step: paragraph gaps and heading space are larger
    pitch = min(k for k, v in ratios.items() if v >= max(1, best * 0.25))
    return pitch if pitch <= 1.8 else 1.2


def _paragraphs(lines: list[_Line], pitch: float) -> list[_Para]:
    """Group one page's lines into paragraphs and mark headings."""
    paras: list[_Para] = []
    current = _Para()
    prev: _Line | None = None
    for line in lines:
        if prev is not None:
            size = max(prev.size, line.size, 1.0)
            gap = (prev.baseline - line.baseline) / size > pitch + 0.3
            bullet = bool(_BULLET.match(line.text))
            prev_caps, caps = _is_caps(prev.text), _is_caps(line.text)
            caps_change = prev_caps != caps and not prev.hyphen_break
            # a chapter title right above a section title: told apart by font size
            caps_resize = prev_caps and caps and abs(prev.size - line.size) > 1.0
            if gap or bullet or caps_change or caps_resize:
                paras.append(current)
                current = _Para()
        current.lines.append(line)
        prev = line
    if current.lines:
        paras.append(current)
    for para in paras:
        text = " ".join(ln.text for ln in para.lines)
        if _is_caps(text) and len(text.split()) <= 20 and not _PAGE_NUMBER.match(text):
            para.heading = "chapter" if _chapter_name(text) else "section"
        elif len(para.lines) == 1 and _is_title(text):
            para.heading = "subsection"
    return paras


def _join(left: str, right: str, hyphen_break: bool) -> tuple[str, str]:
    """Return (left part kept, separator) for joining ``left`` and ``right`` lines."""
    if hyphen_break or (
        left.endswith(_HYPHEN_MARKS) and len(left) > 1 and left[-2].isalpha()
    ):
        stem = left[:-1] if left.endswith(_HYPHEN_MARKS) else left
        fragment = re.split(r"[\s\-\u2010\u2011/]", stem)[-1].lower()
        if right[:1].islower() and fragment not in HYPHEN_PREFIXES:
            return stem, ""
        return stem + "-", ""
    if left.endswith(("—", "–")) and len(left) > 1 and not left[-2].isspace():
        return left, ""  # "offsets—" + "which", "2011–" + "2015"
    return left, " "


def _ends_sentence(para: _Para) -> bool:
    last = para.lines[-1]
    return bool(_SENTENCE_END.search(last.text)) and not last.hyphen_break


# --------------------------------------------------------------------------- main


def _plumber_page_lines(page, number: int) -> tuple[list[_Line], float, float]:
    """The same lines as :func:`_page_lines`, read with pdfplumber (pdfminer's layout)."""
    height = float(page.height)
    lines = []
    for line in page.extract_text_lines(return_chars=True, strip=True):
        text = re.sub(r" {2,}", " ", line["text"].translate(_LIGATURES).strip())
        if not text:
            continue
        chars = line.get("chars") or [{}]
        # pdfplumber measures from the top; the layout rules use PDF space (y up).
        baseline = height - float(line["bottom"])
        size = float(chars[0].get("size", 0.0))
        lines.append(_Line(text, number, baseline, float(line["x0"]), float(line["x1"]), size))
    return _order(lines), 0.0, height


def _plumber_pages(data: bytes, source: str) -> list[tuple[list[_Line], float, float]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        # pdfplumber wraps pdfminer's errors: look at what it wraps.
        inner = [exc, *exc.args]
        if any(isinstance(e, PDFPasswordIncorrect) for e in inner):
            raise DocumentError(source, "PDF is encrypted (needs a password)") from None
        raise DocumentError(source, f"damaged PDF ({exc!r})") from None
    raw_pages = []
    with pdf:
        for index, page in enumerate(pdf.pages):
            try:
                raw_pages.append(_plumber_page_lines(page, index + 1))
            finally:
                page.close()  # pdfplumber keeps every page in memory otherwise
    return raw_pages


def _pdfium_pages(data: bytes, source: str) -> list[tuple[list[_Line], float, float]]:
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc).lower()
        if "password" in message or "security" in message:
            raise DocumentError(source, "PDF is encrypted (needs a password)") from None
        raise DocumentError(source, f"damaged PDF ({exc})") from None
    try:
        raw_pages = []
        for index in range(len(doc)):
            page = doc[index]
            try:
                raw_pages.append(_page_lines(page, index + 1))
            finally:
                page.close()
    except pdfium.PdfiumError as exc:
        raise DocumentError(source, f"damaged PDF ({exc})") from None
    finally:
        doc.close()
    return raw_pages


ENGINES = ("pdfium", "pdfplumber")


def parse_pdf(data: bytes, source: str, engine: str = "pdfium") -> DocumentText:
    """Parse PDF ``data`` (named ``source`` in errors) into a :class:`DocumentText`.

    Args:
        data: the PDF bytes.
        source: the name used in error messages.
        engine: ``"pdfium"`` (default: pypdfium2, ~50x faster) or ``"pdfplumber"``
            (pdfminer's character layout, for a PDF whose text order pdfium gets
            wrong); both feed the same cleaning rules and give the same text on
            well-formed reports (tests/test_pdf_text.py checks it).
    Raises:
        DocumentError: an empty file, bytes that are not a PDF, a truncated or
            damaged PDF, a PDF that needs a password, a PDF without a text layer.
    See the module docstring for the cleaning rules and the section format.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown PDF engine {engine!r}; use one of {ENGINES}")
    if not data:
        raise DocumentError(source, "empty file")
    head = data[:1024].lstrip()
    if b"%PDF-" not in head:
        kind = "HTML" if re.search(rb"<(?:!doctype|html|head|body)", head, re.I) else "other data"
        raise DocumentError(source, f"not a PDF (no %PDF- header; looks like {kind})")
    if b"%%EOF" not in data[-4096:]:
        raise DocumentError(source, "truncated PDF (no %%EOF marker at the end)")
    raw_pages = _pdfium_pages(data, source) if engine == "pdfium" else _plumber_pages(data, source)
    n_pages = len(raw_pages)
    if n_pages == 0:
        raise DocumentError(source, "PDF has no pages")
    if not any(lines for lines, _, _ in raw_pages):
        raise DocumentError(source, "no text layer: scanned?")

    pitch = _typical_pitch([lines for lines, _, _ in raw_pages])
    pages = _strip_running(raw_pages, pitch)

    # Paragraphs in document order; merge a paragraph continued on the next page.
    paras: list[_Para] = []
    for lines in pages:
        page_paras = _paragraphs(lines, pitch)
        if paras and page_paras:
            prev, nxt = paras[-1], page_paras[0]
            continues = not _ends_sentence(prev) or nxt.lines[0].text[:1].islower()
            if (
                prev.heading is None
                and nxt.heading not in ("chapter", "section")
                and continues
            ):
                prev.lines.extend(nxt.lines)
                page_paras = page_paras[1:]
        paras.extend(page_paras)

    return _assemble(paras, n_pages)


def _assemble(paras: list[_Para], n_pages: int) -> DocumentText:
    parts: list[str] = []
    length = 0
    page_start: dict[int, int] = {}
    page_end: dict[int, int] = {}
    headings: list[tuple[int, str, str]] = []  # (offset, kind, text)

    def emit(piece: str, page: int) -> None:
        nonlocal length
        if piece:
            page_start.setdefault(page, length)
            parts.append(piece)
            length += len(piece)
            page_end[page] = length

    for n, para in enumerate(paras):
        if n:
            parts.append("\n\n")
            length += 2
        if para.heading:
            text = " ".join(ln.text for ln in para.lines)
            headings.append((length, para.heading, text))
            emit(text, para.lines[0].page)
            continue
        lines = para.lines
        pending = lines[0].text
        pending_page = lines[0].page
        for prev, line in zip(lines, lines[1:]):
            kept, sep = _join(pending, line.text, prev.hyphen_break)
            if line.page != pending_page:
                emit(kept + sep, pending_page)
                pending, pending_page = line.text, line.page
            else:
                pending = kept + sep + line.text
        emit(pending, pending_page)

    text = "".join(parts)
    spans: list[PageSpan] = []
    cursor = 0
    for number in range(1, n_pages + 1):
        if number in page_start:
            start, end = page_start[number], page_end[number]
            # a page ending in a cross-page join: drop the joining space
            while end > start and text[end - 1] == " ":
                end -= 1
        else:
            start = end = cursor
        spans.append(PageSpan(number, start, end))
        cursor = max(cursor, end)
    return DocumentText(
        text=text, media_type="pdf", pages=spans, sections=_sections(headings, len(text))
    )
