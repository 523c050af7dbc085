"""Clean text from a PDF (an NTE report, a multi-column notice), with page and section maps.

:func:`parse_pdf` reads each page's pieces of text (runs drawn by one text
object) and their positions with pypdfium2 (pdfium: several hundred pages a
second, against ~9 for pdfplumber's ``extract_text``), or with pdfplumber's
characters, then:

1. puts the pieces in reading order (``extractors.pdf_layout``): superscript
   footnote markers out of the running text; running headers, footers and
   print-job marks out (the top and bottom block of a page, and rotated margin
   text, whose text with digits masked repeats on other pages; page numbers);
   columns found from gutters and read one after the other, full-width rows
   (titles, tables) in place;
2. groups a column's lines into paragraphs by vertical gaps (a baseline step
   clearly larger than the document's usual line pitch), bullets, an indented
   first line after a sentence end, and ALL-CAPS headings; rejoins words
   hyphenated at a line end (``require-`` + ``ments`` -> ``requirements``; a
   known prefix keeps its hyphen: ``non-`` + ``tariff`` -> ``non-tariff``) and
   joins the other lines of a paragraph with one space;
3. reads a table (rows with dot leaders, or cells set wide apart with a number
   among them, and the heading row above them) row by row: one row a line,
   leaders dropped, so that each row is a sentence of its own;
4. rejoins a paragraph broken across columns and pages: when a column's last
   paragraph does not end a sentence (or the next column starts in lowercase)
   and the next column does not start with an ALL-CAPS heading;
5. keeps footnotes (the smaller lines at the foot of a column): each is a
   paragraph of its own, led by its number, placed after the last paragraph
   that ends on its page (before the paragraph that the page break splits, so
   no paragraph is cut by them);
6. keeps headings as paragraphs of their own; paragraphs are separated by ``"\\n\\n"``.

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
import math
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors import media_type
from extractors.document import DocumentError, DocumentText, PageSpan
from extractors.headings import (
    SENTENCE_END as _SENTENCE_END,
    chapter_name as _chapter_name,
    is_caps as _is_caps,
    is_title as _is_title,
    sections_from_headings as _sections,
)
from extractors.pdf_layout import (
    LEADER,
    PAGE_NUMBER as _PAGE_NUMBER,
    Block,
    Line,
    blocks,
    drop_markers,
    strip_running,
)

__all__ = ["parse_pdf"]

HYPHEN_PREFIXES = frozenset(
    "non co self anti multi cross pre post semi sub re inter intra extra over under "
    "counter pro quasi ex".split()
)

_BULLET = re.compile(r"^(?:[•▪◦●○■□‣∙·*]|\(?[a-z0-9]{1,2}[.)])\s")
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st",
     "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\t": " ",
     "\x00": None, "\ufeff": None, "\u200b": None}
)
_HYPHEN_MARKS = ("\ufffe", "\x02", "\u00ad", "-", "\u2010", "\u2011")
# a line whose last word is a URL, and the characters after which a URL goes on
_URL_LAST = re.compile(r"(?:^|\s)(?:https?://|www\.)\S*$", re.IGNORECASE)
_URL_GOES_ON = ("/", "_", ".", "=", "&", "?", "#", "~")


_Line = Line


@dataclass
class _Para:
    lines: list[_Line] = field(default_factory=list)
    heading: str | None = None  # "chapter" | "section" | "subsection" | None
    table: bool = False  # rows of a table: one line each
    note: bool = False  # a footnote

    @property
    def first_page(self) -> int:
        return self.lines[0].page


# --------------------------------------------------------------------------- reading


def _page_lines(page: pdfium.PdfPage, number: int) -> tuple[list[_Line], float, float]:
    """Return the pieces of text of one page (see ``extractors.pdf_layout``) and its y range.

    pdfium's own text lines may run across a column gutter; each is cut where
    the text object changes (``FPDFText_GetTextObject``), which a gutter always
    is. A line drawn as one object costs two look-ups.
    """
    left, bottom, right, top = page.get_cropbox()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return [], bottom, top
        text = textpage.get_text_range(0, count)
        raw = textpage.raw
        same_index = len(text) == count
        x = ctypes.c_double()
        y = ctypes.c_double()
        box = [ctypes.c_double() for _ in range(4)]
        matrix = pdfium_c.FS_MATRIX()
        # made once: ctypes.byref per call is a good part of the cost of a look-up
        at_x, at_y, at_box, at_matrix = (
            ctypes.byref(x), ctypes.byref(y), [ctypes.byref(v) for v in box], ctypes.byref(matrix)
        )
        origin, charbox = pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetCharBox
        font_size, char_matrix = pdfium_c.FPDFText_GetFontSize, pdfium_c.FPDFText_GetMatrix

        raw_pieces: list[tuple] = []  # (text, x, y, box, size, hyphen, direction or None)

        def piece(first: int, last: int, segment: str, hyphen: bool) -> None:
            line_text = re.sub(r" {2,}", " ", segment.strip())
            if not line_text:
                return
            origin(raw, first, at_x, at_y)
            x0, y0 = x.value, y.value
            corners = (x0, x0, y0, y0)
            if charbox(raw, last, *at_box):
                corners = tuple(v.value for v in box)  # left, right, bottom, top
            size = font_size(raw, first) or 0.0
            if char_matrix(raw, first, at_matrix):
                # the font size is in text space; the matrix scales it to the page
                scale = (matrix.c * matrix.c + matrix.d * matrix.d) ** 0.5
                size *= scale or 1.0
            direction = None  # which way the text runs, from its first to its last character
            if last > first:
                origin(raw, last, at_x, at_y)
                run_x, run_y = x.value - x0, y.value - y0
                if abs(run_y) > abs(run_x):
                    direction = 90 if run_y > 0 else 270
                else:
                    direction = 180 if run_x < 0 else 0
            raw_pieces.append((line_text, x0, y0, corners, size, hyphen, direction))

        # Split into pdfium's lines: "\r\n" and its line-end hyphen marker U+FFFE.
        utf16 = 0
        pos = 0
        for match in re.finditer(r"\r\n|\r|\n|\ufffe", text + "\r\n"):
            segment = text[pos:match.start()]
            hyphen = match.group() == "\ufffe"
            seg_start = pos
            pos = match.end()
            if not segment.strip():
                if not same_index:
                    utf16 += len((segment + match.group()).encode("utf-16-le")) // 2
                continue
            # index of the first and last non-space characters of the segment
            lead = len(segment) - len(segment.lstrip())
            trail = len(segment.rstrip())
            if same_index:
                first, last = seg_start + lead, seg_start + trail - 1
                runs = _object_runs(raw, first, last)
                for n, (a, b) in enumerate(runs):
                    part = text[a:b + 1]
                    if part.strip():
                        inner = len(part) - len(part.lstrip())
                        piece(a + inner, a + len(part.rstrip()) - 1, part.translate(_LIGATURES),
                              hyphen and n == len(runs) - 1)
            else:
                first_u16 = utf16 + len(segment[:lead].encode("utf-16-le")) // 2
                last_u16 = utf16 + len(segment[: trail - 1].encode("utf-16-le")) // 2
                first = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, first_u16)
                last = pdfium_c.FPDFText_GetCharIndexFromTextIndex(raw, last_u16)
                utf16 += len((segment + match.group()).encode("utf-16-le")) // 2
                piece(first, last, segment.translate(_LIGATURES), hyphen)
    finally:
        textpage.close()
    return _upright(raw_pieces, number), bottom, top


_UNIT = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}


def _upright(raw_pieces: list[tuple], number: int) -> list[_Line]:
    """Pieces in the frame of the page's main writing direction.

    pdfium gives positions on the page as stored; a page whose text runs up or
    down it (turned by /Rotate, or drawn turned) is read in the frame its text
    runs in, as pdfplumber does. Text in another direction is rotated text.
    """
    weight: dict[int, int] = {}
    for text, *_, direction in raw_pieces:
        if direction is not None:
            weight[direction] = weight.get(direction, 0) + len(text)
    main = max(weight, key=weight.get) if weight else 0
    dx, dy = _UNIT[main]
    lines = []
    for text, x0, y0, (left, right, bottom, top), size, hyphen, direction in raw_pieces:
        turned = direction is not None and direction != main
        if main == 0:
            lines.append(_Line(text, number, y0, x0, right, size, hyphen, turned))
            continue
        start = x0 * dx + y0 * dy
        end = max(cx * dx + cy * dy for cx in (left, right) for cy in (bottom, top))
        lines.append(_Line(text, number, y0 * dx - x0 * dy, start, end, size, hyphen, turned))
    return lines


# FPDFText_GetTextObject returning the bare address: objects compare as integers.
_text_object = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p).value
)


def _object_runs(raw, first: int, last: int) -> list[tuple[int, int]]:
    """Cut the characters first..last into runs drawn by one text object each.

    Bisection: a range whose two ends belong to one object is taken as one run,
    so a line drawn by one object costs two look-ups.
    """
    def obj(i: int):
        return _text_object(raw, i)

    o_first, o_last = obj(first), obj(last)
    if o_first == o_last:
        return [(first, last)]
    cuts: list[int] = []

    def split(lo: int, hi: int, o_lo, o_hi) -> None:
        if o_lo == o_hi:
            return
        if hi - lo == 1:
            cuts.append(hi)
            return
        mid = (lo + hi) // 2
        o_mid = obj(mid)
        split(lo, mid, o_lo, o_mid)
        split(mid, hi, o_mid, o_hi)

    split(first, last, o_first, o_last)
    bounds = [first, *cuts, last + 1]
    return [(a, b - 1) for a, b in zip(bounds, bounds[1:])]


# --------------------------------------------------------------------------- cleaning


def _body_size(pages: list[list[_Line]]) -> float:
    """The font size most of the text is set in."""
    weight: dict[float, int] = {}
    for pieces in pages:
        for p in pieces:
            key = round(p.size * 2) / 2
            weight[key] = weight.get(key, 0) + len(p.text)
    return max(weight, key=weight.get) if weight else 10.0


def _is_gap(upper: _Line, lower: _Line, pitch: float) -> bool:
    size = max(upper.size, lower.size, 1.0)
    return (upper.baseline - lower.baseline) / size > pitch + 0.3


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


def _caps_line(text: str) -> bool:
    """An ALL-CAPS line that is mostly words ("(83 FR 63561))" is not)."""
    if text != text.upper() or not _is_caps(text):  # the first test is the cheap one
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters >= 0.5 * sum(not ch.isspace() for ch in text)


def _has_leader(text: str) -> bool:
    # the substring tests first: the pattern is slow to fail on ordinary lines
    return ("..." in text or ". ." in text or "…" in text or "·" in text) and bool(LEADER.search(text))


def _is_row(line: _Line) -> bool:
    """A table row: dot leaders, or cells set wide apart with a number among them."""
    if _has_leader(line.text):
        return True
    return line.cells >= 2 and line.gap >= 2.0 * max(line.size, 1.0) and any(ch.isdigit() for ch in line.text)


def _left_edge(lines: list[_Line]) -> float:
    """The x where most lines of a block start."""
    counts: dict[int, int] = {}
    for line in lines:
        key = round(line.x0)
        counts[key] = counts.get(key, 0) + 1
    return float(max(counts, key=lambda k: (counts[k], -k)))


def _paragraphs(lines: list[_Line], pitch: float, body: float) -> list[_Para]:
    """Group one block's lines into paragraphs; mark headings, tables and footnotes."""
    if not lines:
        return []
    # footnotes: the run of smaller lines at the foot of a block with body text above
    small = [line.size <= 0.85 * body for line in lines]
    foot = len(lines)
    while foot > 0 and small[foot - 1]:
        foot -= 1
    if foot == 0:
        foot = len(lines)
    rows = [_is_row(line) for line in lines]
    for i in range(len(lines) - 2, -1, -1):  # a table's heading row: wide cells, no number
        line = lines[i]
        if rows[i + 1] and line.cells >= 2 and line.gap >= 2.0 * max(line.size, 1.0):
            rows[i] = True
    for i, line in enumerate(lines):  # a lone wide-spaced line is no table
        if rows[i] and not _has_leader(line.text):
            if not (i and rows[i - 1]) and not (i + 1 < len(lines) and rows[i + 1]):
                rows[i] = False
    edge = _left_edge(lines)
    caps_of = [_caps_line(line.text) for line in lines]
    paras: list[_Para] = []
    current = _Para()
    prev: _Line | None = None
    for i, line in enumerate(lines):
        if prev is not None:
            size = max(prev.size, line.size, 1.0)
            gap = (prev.baseline - line.baseline) / size > pitch + 0.3
            bullet = bool(_BULLET.match(line.text))
            prev_caps, caps = caps_of[i - 1], caps_of[i]
            caps_change = prev_caps != caps and not prev.hyphen_break
            # a chapter title right above a section title: told apart by font size
            caps_resize = prev_caps and caps and abs(prev.size - line.size) > 1.0
            # an indented first line after a line that ends a sentence
            indent = 0.5 * line.size <= line.x0 - edge <= 4 * line.size and prev.x0 - edge < 0.5 * line.size
            indent = indent and bool(_SENTENCE_END.search(prev.text))
            table_edge = rows[i] != rows[i - 1]
            note_edge = i == foot or (i > foot and line.note)
            if gap or bullet or caps_change or caps_resize or indent or table_edge or note_edge:
                paras.append(current)
                current = _Para()
        current.lines.append(line)
        current.table = rows[i]
        current.note = i >= foot
        prev = line
    if current.lines:
        paras.append(current)
    for para in paras:
        if para.table or para.note:
            continue
        text = " ".join(ln.text for ln in para.lines)
        if text == text.upper() and _is_caps(text) and len(text.split()) <= 20 and not _PAGE_NUMBER.match(text):
            para.heading = "chapter" if _chapter_name(text) else "section"
        elif len(para.lines) == 1 and _is_title(text):
            para.heading = "subsection"
    return paras


def _join(left: str, right: str, hyphen_break: bool) -> tuple[str, str]:
    """Return (left part kept, separator) for joining ``left`` and ``right`` lines.

    A URL broken at a line end (``https://`` + ``www.regulations.gov``, ``.../about-`` +
    ``us``) is joined as it was, hyphen and all, when the line ends inside it (after
    ``/ - _ . = & ? # ~``) and the next line goes on without a space; an acronym's
    compound keeps its hyphen (``FAA-`` + ``approved``). A capital goes on with the URL
    too (``/Trade/`` + ``Offsets``, ``?id=`` + ``USTR-...``), except after a full stop,
    where it more likely begins the next sentence (``www.ustr.gov.`` + ``The office``).
    """
    first = right[:1]
    if _URL_LAST.search(left) and first and not first.isspace() and not (first.isupper() and left.endswith(".")):
        if hyphen_break or left.endswith(_HYPHEN_MARKS):
            return (left[:-1] if left.endswith(_HYPHEN_MARKS) else left) + "-", ""
        if left.endswith(_URL_GOES_ON):
            return left, ""
    if hyphen_break or (
        left.endswith(_HYPHEN_MARKS) and len(left) > 1 and left[-2].isalpha()
    ):
        stem = left[:-1] if left.endswith(_HYPHEN_MARKS) else left
        word = re.split(r"[\s\-\u2010\u2011/]", stem)[-1]  # the last word, as written
        acronym = sum(ch.isupper() for ch in word) >= 2
        if right[:1].islower() and word.lower() not in HYPHEN_PREFIXES and not acronym:
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
    """The same pieces as :func:`_page_lines`, from pdfplumber's characters.

    Each character is placed in the frame of its own writing direction (from its
    text matrix), so a page turned by /Rotate reads upright as pdfium's does;
    characters in another direction than most of the page's are rotated text.
    Characters in drawing order make one piece until the baseline, the font size
    or the direction changes, the text jumps back, or a blank wider than 0.8 font
    sizes opens (a gutter, or a table's cell); a blank wider than 0.2 sizes is a space.
    """
    height = float(page.height)
    placed = []
    weight: dict[int, int] = {}
    for ch in page.chars:
        a, b, c, d, e, f = ch.get("matrix") or (1, 0, 0, 1, 0, 0)
        scale = math.hypot(a, b) or 1.0
        dx, dy = a / scale, b / scale
        angle = round(math.degrees(math.atan2(b, a))) % 360
        # the origin in PDF space (y up) as pdfplumber places the page
        f += (height - float(ch["bottom"])) - float(ch["y0"])
        u, v = e * dx + f * dy, f * dx - e * dy
        advance = float(ch.get("adv") or 0.0) * scale or float(ch["x1"]) - float(ch["x0"])
        # pdfplumber's size is the glyph box's height on the page: across the line
        # for horizontal text, the box's width for text running up or down
        size = float(ch.get("size", 0.0)) if abs(dy) < 1e-3 else (
            float(ch["x1"]) - float(ch["x0"]) if abs(dx) < 1e-3 else math.hypot(c, d))
        placed.append((ch["text"], u, u + advance, v, size, angle))
        weight[angle] = weight.get(angle, 0) + 1
    upright = max(weight, key=weight.get) if weight else 0
    pieces: list[_Line] = []
    chars: list[str] = []
    cur: _Line | None = None
    space = False

    def close() -> None:
        if cur is not None:
            text = re.sub(r" {2,}", " ", "".join(chars).translate(_LIGATURES).strip())
            if text:
                cur.text = text
                pieces.append(cur)

    cur_angle = None
    for glyph, x0, x1, baseline, size, angle in placed:
        if not glyph.strip():
            space = True
            continue
        if cur is not None:
            same = (
                angle == cur_angle
                and abs(size - cur.size) <= 0.5
                and abs(baseline - cur.baseline) <= 0.3 * max(size, 1.0)
                and cur.x1 - 0.5 * size <= x0 <= cur.x1 + 0.8 * size
            )
            if same:
                if space or x0 - cur.x1 > 0.2 * size:
                    chars.append(" ")
                chars.append(glyph)
                cur.x1 = max(cur.x1, x1)
                space = False
                continue
            close()
        cur = _Line("", number, baseline, x0, x1, size, False, angle != upright)
        cur_angle = angle
        chars = [glyph]
        space = False
    close()
    return pieces, 0.0, height


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


def _open_pdfium(data: bytes, source: str) -> pdfium.PdfDocument:
    """Open ``data`` with pdfium; a refusal becomes a DocumentError that says why.

    pdfium's last error is process-wide and no success clears it, and some failures
    (a page tree without a page count) set none, so the error read after a failure
    can be the previous document's: an encrypted file before made a damaged one
    "encrypted". Set a known value first (opening no file sets FPDF_ERR_FILE, which
    an in-memory load never sets itself) and trust the error only when this load
    replaced it.
    """
    pdfium_c.FPDF_LoadDocument(b"", None)
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise DocumentError(source, "PDF is encrypted (needs a password)") from None
        if code == pdfium_c.FPDF_ERR_FILE:
            raise DocumentError(source, "damaged PDF (pdfium cannot read its structure)") from None
        raise DocumentError(source, f"damaged PDF ({exc})") from None


def _pdfium_pages(data: bytes, source: str) -> list[tuple[list[_Line], float, float]]:
    doc = _open_pdfium(data, source)
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
    kind = media_type.from_bytes(data)
    if kind != "pdf":
        looks = {"html": "HTML", "feed": "a news feed"}.get(kind, "other data")
        raise DocumentError(source, f"not a PDF (no %PDF- header; looks like {looks})")
    if b"%%EOF" not in data[-4096:]:
        raise DocumentError(source, "truncated PDF (no %%EOF marker at the end)")
    raw_pages = _pdfium_pages(data, source) if engine == "pdfium" else _plumber_pages(data, source)
    n_pages = len(raw_pages)
    if n_pages == 0:
        raise DocumentError(source, "PDF has no pages")
    if not any(lines for lines, _, _ in raw_pages):
        raise DocumentError(source, "no text layer: scanned?")

    pages = strip_running([drop_markers(pieces) for pieces, _, _ in raw_pages])
    body = _body_size(pages)
    page_blocks = [blocks(pieces, body) for pieces in pages]
    pitch = _typical_pitch([block.lines for page in page_blocks for block in page])

    # Paragraphs in reading order; a paragraph continued in the next column or on
    # the next page is merged into one. Footnotes are set aside per page and
    # placed after the last paragraph that ends on their page.
    paras: list[_Para] = []
    notes: list[_Para] = []
    last: Block | None = None
    for blocks_of_page in page_blocks:
        for n, block in enumerate(blocks_of_page):
            block_paras = _paragraphs(block.lines, pitch, body)
            notes_here = [p for p in block_paras if p.note]
            block_paras = [p for p in block_paras if not p.note]
            new_page = n == 0
            column_break = (
                last is not None and not new_page and block.column is not None
                and last.column is not None and block.zone == last.zone
            )
            if new_page and notes:
                if paras and block_paras and _continues(paras[-1], block_paras[0]):
                    prev = paras[-1]
                    if prev.first_page == notes[0].first_page:
                        paras[-1:-1] = notes  # before the paragraph the page break splits
                    else:
                        paras.extend(notes)  # ends the paragraph: it fills the whole page
                else:
                    paras.extend(notes)
                notes = []
            if (new_page or column_break) and paras and block_paras:
                if _continues(paras[-1], block_paras[0]):
                    paras[-1].lines.extend(block_paras[0].lines)
                    block_paras = block_paras[1:]
            paras.extend(block_paras)
            notes.extend(notes_here)
            last = block
    paras.extend(notes)

    return _assemble(paras, n_pages)


def _continues(prev: _Para, nxt: _Para) -> bool:
    """Whether ``nxt`` (first in a column or page) continues ``prev``."""
    if prev.heading is not None or prev.table or nxt.table or prev.note or nxt.note:
        return False
    if nxt.heading in ("chapter", "section"):
        return False
    return not _ends_sentence(prev) or nxt.lines[0].text[:1].islower()


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
        if para.table:  # one row a line: a line break ends a sentence
            for line in lines:
                sep = "\n" if line is not lines[-1] else ""
                emit(LEADER.sub(" ", line.text).strip() + sep, line.page)
            continue
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
