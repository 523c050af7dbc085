"""Page geometry for the PDF parser: pieces of text -> lines in reading order.

Both PDF engines (pypdfium2, pdfplumber) hand this module the same thing: the
*pieces* of each page, a piece being a run of text on one baseline that the PDF
drew in one go (a pdfium text object, or pdfplumber characters that follow each
other without a jump). Pieces never span a column gutter, which whole text lines
(pdfium's and pdfplumber's own) often do. From them this module

1. removes superscript footnote markers (``Reports¹ from``: a short number or
   symbol, smaller than the piece next to it and raised above its baseline); a
   marker that *starts* a line of smaller text is a footnote's own number and
   is kept there (``1 Preliminary report …``);
2. finds running headers and footers: the rows of the top block and of the
   bottom block of a page (the rows before the first, and after the last,
   vertical gap of more than 1.6 font sizes; at most three rows each) and
   rotated text in the margins, whose text with digits masked repeats on other
   pages (:func:`strip_running`); page numbers there (``12``, ``-12-``,
   ``Page 12 of 40``, ``47698``) always go;
3. finds columns (:func:`blocks`): a gutter is an x range that no piece crosses
   (or hardly any) with at least five pieces on each side, and every column it
   makes must read as prose (pieces at least ten font sizes wide, typically);
   a page is cut into zones by page-wide blank bands and by rows that cross a
   gutter (full-width titles, headings, tables), and each zone is read column
   by column, top to bottom. A page without gutters is one block, in the
   order of the old line reader (top to bottom, a row left to right);
4. merges the pieces of one column on one baseline into a :class:`Line`,
   recording the widest blank between them (tables have wide ones) and dot
   leaders.

What is *not* here: paragraphs, hyphenation, headings, sections and footnote
placement (``extractors.pdf_text``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

HEADER_GAP = 1.6  # a vertical step (in font sizes) that separates a header/footer block
MAX_RUNNING_ROWS = 3  # rows in a header or footer block
ZONE_GAP = 1.8  # page-wide blank band (in body font sizes) that starts a new zone
MIN_COLUMN_PIECES = 5
MIN_COLUMN_WIDTH = 10.0  # median piece width of a prose column, in font sizes

PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,5}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,5})?$",
    re.IGNORECASE,
)
LEADER = re.compile(r"\s*(?:\.\s?){4,}\s*|\s*…{2,}\s*|\s*(?:·\s?){4,}\s*")
_MARKER = re.compile(r"^(?:\d{1,3}|[*†‡§¶]{1,3}|[a-z])[,;.]?$")


@dataclass
class Line:
    """A piece, or a line of a column made of pieces on one baseline."""

    text: str
    page: int  # 1-based
    baseline: float  # PDF user space (y grows upwards)
    x0: float
    x1: float
    size: float  # font size (of the first piece)
    hyphen_break: bool = False  # pdfium merged this line with the next at a hyphen
    rotated: bool = False
    gap: float = 0.0  # widest blank between the pieces of this line, in points
    cells: int = 1  # pieces merged into this line
    note: bool = False  # starts with a footnote's own number


# --------------------------------------------------------------------------- markers


def _same_row(a: Line, b: Line) -> bool:
    return abs(a.baseline - b.baseline) <= max(2.0, 0.3 * max(a.size, b.size, 1.0))


def drop_markers(pieces: list[Line]) -> list[Line]:
    """Remove superscript footnote markers from running text (see the module docstring)."""
    small = [i for i, p in enumerate(pieces) if _MARKER.match(p.text) and not p.rotated]
    if not small:
        return pieces
    # neighbours are looked up by baseline: a marker sits at most 0.8 sizes above its text
    ranked = sorted((p.baseline, j) for j, p in enumerate(pieces) if not p.rotated)
    baselines = [b for b, _ in ranked]
    reach = 0.8 * max(p.size for p in pieces)
    drop: set[int] = set()
    for i in small:
        mark = pieces[i]
        left = right = None
        lo = bisect_left(baselines, mark.baseline - reach)
        hi = bisect_right(baselines, mark.baseline)
        for _, j in ranked[lo:hi]:
            other = pieces[j]
            if j == i or j in drop:
                continue
            size = other.size or 1.0
            raised = mark.baseline - other.baseline
            if not (mark.size <= 0.85 * size and 0.12 * size <= raised <= 0.8 * size):
                continue
            if -1.0 <= mark.x0 - other.x1 <= 0.6 * size:
                left = other
            elif -1.0 <= other.x0 - mark.x1 <= 0.6 * size:
                right = other
        if left is not None:
            drop.add(i)
        elif right is not None:
            # a footnote's own number: keep it at the head of the footnote's line
            right.text = f"{mark.text} {right.text}"
            right.x0 = mark.x0
            right.note = True
            drop.add(i)
    return [p for i, p in enumerate(pieces) if i not in drop]


# --------------------------------------------------------------------------- running lines


def mask(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.lower())).strip()


def rows(pieces: list[Line]) -> list[list[Line]]:
    """Page-wide rows (pieces sharing a baseline), top to bottom; rotated pieces excluded."""
    out: list[list[Line]] = []
    for piece in sorted((p for p in pieces if not p.rotated), key=lambda p: (-p.baseline, p.x0)):
        if out and _same_row(out[-1][0], piece):
            out[-1].append(piece)
        else:
            out.append([piece])
    for row in out:
        row.sort(key=lambda p: p.x0)
    return out


def _row_text(row: list[Line]) -> str:
    return " ".join(p.text for p in row)


def _is_break(upper: list[Line], lower: list[Line]) -> bool:
    size = max(max(p.size for p in upper), max(p.size for p in lower), 1.0)
    return (upper[0].baseline - lower[0].baseline) / size > HEADER_GAP


def edge_rows(page_rows: list[list[Line]]) -> tuple[list[list[Line]], list[list[Line]]]:
    """The header block and the footer block of a page (possibly empty)."""
    n = len(page_rows)
    top: list[list[Line]] = []
    for k in range(1, min(n, MAX_RUNNING_ROWS + 1)):
        if _is_break(page_rows[k - 1], page_rows[k]):
            top = page_rows[:k]
            break
    bottom: list[list[Line]] = []
    for k in range(n - 1, max(n - MAX_RUNNING_ROWS - 1, 0), -1):
        if _is_break(page_rows[k - 1], page_rows[k]):
            bottom = page_rows[k:]
            break
    return top, bottom


def running_candidates(pieces: list[Line]) -> list[tuple[list[Line], str, bool]]:
    """(pieces, masked text, looks like a page number) of each header/footer candidate."""
    page_rows = rows(pieces)
    top, bottom = edge_rows(page_rows)
    found = []
    seen: set[int] = set()
    for row in top + bottom:
        if id(row) in seen:
            continue
        seen.add(id(row))
        text = _row_text(row)
        found.append((row, mask(text), bool(PAGE_NUMBER.match(text.strip()))))
    for piece in pieces:
        if piece.rotated:
            found.append(([piece], mask(piece.text), bool(PAGE_NUMBER.match(piece.text.strip()))))
    return found


def strip_running(pages: list[list[Line]]) -> list[list[Line]]:
    """Remove running headers, footers and print marks from every page's pieces."""
    candidates = [running_candidates(pieces) for pieces in pages]
    counts: dict[str, int] = {}
    for found in candidates:
        for key in {key for _, key, _ in found}:
            counts[key] = counts.get(key, 0) + 1
    need = 2 if len(pages) <= 4 else 3
    multi = len(pages) > 1
    cleaned = []
    for pieces, found in zip(pages, candidates):
        drop = {
            id(p) for row, key, number in found
            if number or (multi and counts[key] >= need) for p in row
        }
        cleaned.append([p for p in pieces if id(p) not in drop])
    return cleaned


# --------------------------------------------------------------------------- columns


def order(pieces: list[Line]) -> list[Line]:
    """Sort top to bottom; merge pieces sharing a baseline left to right."""
    out: list[Line] = []
    for row in rows(pieces):
        for n, line in enumerate(row):
            prev = out[-1] if n else None
            if prev is not None and not prev.hyphen_break and line.x0 >= prev.x1 - 1:
                blank = line.x0 - prev.x1
                # pieces that touch are one word ("E" + "STIMATED" in small capitals)
                sep = " " if blank > 0.15 * max(prev.size, line.size, 1.0) else ""
                out[-1] = Line(
                    f"{prev.text}{sep}{line.text}", prev.page, prev.baseline, prev.x0, line.x1,
                    # the size of most of the line's text
                    prev.size if len(prev.text) >= len(line.text) else line.size,
                    line.hyphen_break, False, max(prev.gap, blank),
                    prev.cells + line.cells, prev.note,
                )
                continue
            out.append(line)
    return out


def gutters(pieces: list[Line], size: float) -> list[float]:
    """x positions of the column gutters of a page (empty for a one-column page)."""
    if len(pieces) < 2 * MIN_COLUMN_PIECES:
        return []
    first = min(p.x0 for p in pieces)
    # fast exit for one-column pages: too few pieces start right of the left margin
    if sum(p.x0 > first + MIN_COLUMN_WIDTH * size for p in pieces) < MIN_COLUMN_PIECES:
        return []
    left = int(first) - 1
    right = int(max(p.x1 for p in pieces)) + 2
    width = right - left
    if width < 4 * MIN_COLUMN_WIDTH * size / 2:
        return []
    cross = [0] * (width + 1)
    ends = [0] * (width + 1)  # pieces ending at or before x
    starts = [0] * (width + 1)  # pieces starting before x
    for p in pieces:
        a, b = int(p.x0 - left) + 1, int(p.x1 - left + 0.999)
        if a < b:
            cross[a] += 1
            cross[b] -= 1
        ends[min(b, width)] += 1
        starts[min(a, width)] += 1
    n = len(pieces)
    run = 0
    done = before = 0
    found: list[tuple[int, int, int]] = []  # (start, end, best crossing) of gutter runs
    start = best = best_x = None
    for x in range(width + 1):
        run += cross[x]
        done += ends[x]
        before += starts[x]
        n_left, n_right = done, n - before
        ok = (n_left >= MIN_COLUMN_PIECES and n_right >= MIN_COLUMN_PIECES
              and run <= 0.15 * min(n_left, n_right))
        if ok:
            if start is None:
                start, best, best_x = x, run, [x]
            elif run < best:
                best, best_x = run, [x]
            elif run == best:
                best_x.append(x)
        elif start is not None:
            if x - start >= 0.5 * size:
                found.append((best_x[0], best_x[-1], best))
            start = None
    cuts = [left + (a + b) / 2 for a, b, _ in found]
    # every column must read as prose; drop a gutter next to one that does not
    while cuts:
        edges = [float("-inf"), *cuts, float("inf")]
        bad = None
        for c in range(len(edges) - 1):
            inside = [p for p in pieces if p.x0 >= edges[c] - 1 and p.x1 <= edges[c + 1] + 1]
            widths = sorted((p.x1 - p.x0) / (p.size or 1.0) for p in inside)
            if len(inside) < MIN_COLUMN_PIECES or widths[len(widths) // 2] < MIN_COLUMN_WIDTH:
                bad = c
                break
        if bad is None:
            break
        del cuts[min(bad, len(cuts) - 1)]
    return cuts


@dataclass
class Block:
    """Lines read in one go: one column of a zone, or a full-width zone."""

    lines: list[Line]
    zone: int
    column: int | None  # None: full width


def _zones(pieces: list[Line], size: float) -> list[list[Line]]:
    """Split a page at page-wide blank bands taller than ZONE_GAP font sizes."""
    spans = sorted(pieces, key=lambda p: -(p.baseline + 0.75 * p.size))
    zones: list[list[Line]] = []
    low = None
    for p in spans:
        top = p.baseline + 0.75 * p.size
        if low is None or low - top > ZONE_GAP * size:
            zones.append([])
            low = p.baseline - 0.25 * p.size
        zones[-1].append(p)
        low = min(low, p.baseline - 0.25 * p.size)
    return zones


def blocks(pieces: list[Line], size: float) -> list[Block]:
    """The page's lines in reading order, as blocks (see the module docstring)."""
    flat = [p for p in pieces if not p.rotated]
    extra = [p for p in pieces if p.rotated]
    cuts = gutters(flat, size)
    out: list[Block] = []
    if not cuts:
        if flat:
            out.append(Block(order(flat), 0, None))
    else:
        zone_no = 0
        for zone in _zones(flat, size):
            for part, columnar in _split_spanning(zone, cuts):
                if not columnar:
                    out.append(Block(order(part), zone_no, None))
                else:
                    edges = [float("-inf"), *cuts, float("inf")]
                    for c in range(len(edges) - 1):
                        mine = [p for p in part if edges[c] <= (p.x0 + p.x1) / 2 < edges[c + 1]]
                        if mine:
                            out.append(Block(order(mine), zone_no, c))
                zone_no += 1
    for piece in extra:  # rotated text that is not a running line: after the page
        out.append(Block([piece], len(out) + 1000, None))
    return out


def _split_spanning(zone: list[Line], cuts: list[float]) -> list[tuple[list[Line], bool]]:
    """Cut a zone at rows that cross a gutter: [(pieces, columnar?)] top to bottom."""
    def spans(p: Line) -> bool:
        return any(p.x0 < g - 1 and p.x1 > g + 1 for g in cuts)

    wide = {id(p) for p in zone if spans(p)}
    if not wide:
        return [(zone, True)]
    parts: list[tuple[list[Line], bool]] = []
    for row in rows(zone):
        full = any(id(p) in wide for p in row)
        if parts and parts[-1][1] == (not full):
            parts[-1][0].extend(row)
        else:
            parts.append((list(row), not full))
    return parts
