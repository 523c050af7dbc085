"""Snapshots: a PDF claim's region of the page, or an HTML/TXT claim's sentence, highlighted.

PDF: pypdfium2 renders the claim's page in grey at :data:`PDF_SCALE` (144 dpi: 10-point
body text is about 20 pixels tall; one rendering serves every claim of the page), the
region around the claim's sentence is cut out, and a marker-yellow band is laid over
each line of the claim's characters, multiplied into the page (white turns yellow, ink
stays ink), so the highlight covers exactly the characters pdfium boxes for the claim
(:mod:`evidence.page_chars`).

HTML and TXT have no page to show: the sentence is typeset with Pillow, wrapped to
:data:`TEXT_WIDTH` pixels, the claim's span on a yellow box. Pillow, because it is
already here (pdfplumber's dependency), measures every prefix of a line with the
font's own advances (``FreeTypeFont.getlength``), which is what placing the
highlight exactly needs, and draws the same pixels on every machine with its
bundled font (``ImageFont.load_default(size)``, no system font needed). A browser
(Chromium) would typeset better but costs a second per page started; matplotlib's
text placement is coarser and slower.
"""
from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass

import numpy
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw, ImageFont

from evidence.page_chars import Box, PageChars, char_boxes, line_boxes, locate, union

PDF_SCALE = 2.0  # pixels per PDF point: 144 dpi
HIGHLIGHT = (255, 222, 36)  # multiplied into the page: white becomes this, black stays black
MARGIN = 14.0  # points around the sentence's region
MAX_REGION_HEIGHT = 260.0  # points: a longer sentence is shown around the claim only
MIN_REGION_WIDTH = 220.0  # points: a claim alone on a short line still gets some page around it

TEXT_FONT_SIZE = 22
TEXT_WIDTH = 960  # pixels of text per line in an HTML/TXT snapshot
TEXT_PADDING = 18


class SnapshotError(Exception):
    """A claim that cannot be shown; the message names the claim and the problem."""


@dataclass
class Snapshot:
    """A rendered snapshot: PNG bytes, the page (PDF) and the claim's box.

    ``box`` is the claim's box in PDF points on the page (origin bottom-left, as pdfium
    gives it) for PDF claims, and in pixels of the image (origin top-left) for
    HTML/TXT claims; ``units`` says which (``"pt"`` or ``"px"``). ``highlights`` are
    the highlighted rectangles in image pixels (left, top, right, bottom).
    """

    png: bytes
    width: int
    height: int
    page: int | None
    box: Box
    units: str
    highlights: list[tuple[int, int, int, int]]
    missing: int = 0  # the claim's characters not found on the page (it runs onto the next)
    region: Box | None = None  # PDF: the part of the page shown, in points
    scale: float = 1.0  # PDF: pixels per point


LEVELS = 16  # grey levels kept: anti-aliased text reads as well as with 256, and PNG packs it small


def _palette() -> list[int]:
    """Palette of :func:`_png`: ``LEVELS`` greys, then the same greys multiplied by HIGHLIGHT."""
    palette = []
    for tint in ((255, 255, 255), HIGHLIGHT):
        for level in range(LEVELS):
            grey = round(level * 255 / (LEVELS - 1))
            palette += [grey * channel // 255 for channel in tint]
    return palette


_PALETTE = _palette()


def _png(grey: numpy.ndarray | Image.Image, rects: list[tuple[int, int, int, int]]) -> bytes:
    """PNG of a greyscale image with ``rects`` (left, top, right, bottom pixels) highlighted.

    The highlight is multiplied into the page (white turns marker-yellow, ink stays
    ink). Written as a palette image of ``2 * LEVELS`` colours: a third of the bytes of
    RGB. zlib's fastest level: a third of level 6's time for a third more bytes (PNG
    encoding was most of a snapshot's cost).
    """
    if isinstance(grey, Image.Image):
        grey = numpy.asarray(grey.convert("L"))
    levels = (grey.astype(numpy.uint16) * (LEVELS - 1) + 127) // 255
    levels = levels.astype(numpy.uint8)
    height, width = levels.shape
    for left, top, right, bottom in rects:
        left, top = max(left, 0), max(top, 0)
        right, bottom = min(right, width - 1), min(bottom, height - 1)
        if left <= right and top <= bottom:
            levels[top:bottom + 1, left:right + 1] |= LEVELS  # the highlighted half of the palette
    image = Image.fromarray(levels, mode="P")
    image.putpalette(_PALETTE)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def text_lines(textpage: pdfium.PdfTextPage) -> list[Box]:
    """The page's text rectangles (pdfium: one per run of text on a line)."""
    return [textpage.get_rect(i) for i in range(textpage.count_rects())]


def _snap(edge: float, lines: list[Box], upwards: bool, reach: float) -> float:
    """Move a region's top (``upwards``) or bottom edge past the next line of text within
    ``reach`` points and into the blank after it, so that no line is cut in half (one
    line of context more); with no line that near, a margin."""
    if upwards:
        beyond = sorted((b for b in lines if edge - 1.0 <= b[1] <= edge + reach), key=lambda b: b[1])
        if not beyond:
            return edge + MARGIN / 2
        line = beyond[0]
        after = [b[1] for b in lines if line[3] - 0.5 <= b[1] <= line[3] + reach]
        return (line[3] + min(after)) / 2 if after else line[3] + MARGIN / 2
    beyond = sorted((b for b in lines if edge - reach <= b[3] <= edge + 1.0), key=lambda b: -b[3])
    if not beyond:
        return edge - MARGIN / 2
    line = beyond[0]
    after = [b[3] for b in lines if line[1] - reach <= b[3] <= line[1] + 0.5]
    return (line[1] + max(after)) / 2 if after else line[1] - MARGIN / 2


def _region(context: Box, claim: Box, page_box: Box, lines: list[Box]) -> Box:
    """The page region to show: the whole lines of the claim's sentence, one line more above
    and below, a margin left and right, within the page; at most :data:`MAX_REGION_HEIGHT`
    tall (centred on the claim when the sentence is taller)."""
    left, bottom, right, top = context
    if top - bottom > MAX_REGION_HEIGHT:
        middle = (claim[1] + claim[3]) / 2
        bottom, top = middle - MAX_REGION_HEIGHT / 2, middle + MAX_REGION_HEIGHT / 2
    # the sentence's lines whole (a sentence starts and ends inside a line)
    own = [b for b in lines if b[2] > left and b[0] < right and b[3] > bottom + 0.5 and b[1] < top - 0.5]
    if own:
        left, right = min(left, *(b[0] for b in own)), max(right, *(b[2] for b in own))
    if right - left < MIN_REGION_WIDTH:
        middle = (left + right) / 2
        left, right = middle - MIN_REGION_WIDTH / 2, middle + MIN_REGION_WIDTH / 2
    heights = sorted(b[3] - b[1] for b in own) or [claim[3] - claim[1]]
    reach = 2.5 * heights[len(heights) // 2]
    beside = [b for b in lines if b[2] > left and b[0] < right]
    top, bottom = _snap(top, beside, upwards=True, reach=reach), _snap(bottom, beside, upwards=False, reach=reach)
    # the margins left and right end half-way to a neighbouring column's text
    level = [b for b in lines if b[3] > bottom and b[1] < top]
    before = [b[2] for b in level if b[2] <= left + 0.5]
    after = [b[0] for b in level if b[0] >= right - 0.5]
    left = max(left - MARGIN, (left + max(before)) / 2 if before else page_box[0], page_box[0])
    right = min(right + MARGIN, (right + min(after)) / 2 if after else page_box[2], page_box[2])
    return (left, max(bottom, page_box[1]), right, min(top, page_box[3]))


@dataclass
class PageImage:
    """A whole page rendered in grey at ``scale`` (claims of one page are cut from one rendering)."""

    pixels: numpy.ndarray  # height x width, 0 black .. 255 white
    scale: float

    @classmethod
    def render(cls, page: pdfium.PdfPage, scale: float = PDF_SCALE) -> "PageImage":
        bitmap = page.render(scale=scale, draw_annots=False, grayscale=True)
        pixels = numpy.array(bitmap.to_numpy(), dtype=numpy.uint8).reshape(bitmap.height, bitmap.width)
        return cls(pixels, scale)

    def to_pixel(self, page: pdfium.PdfPage, x: float, y: float) -> tuple[int, int]:
        """Pixel of page point (x, y): pdfium's own transform (the page's /Rotate and crop box included)."""
        height, width = self.pixels.shape
        dx, dy = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, width, height, 0, x, y, dx, dy)
        return dx.value, dy.value

    def box(self, page: pdfium.PdfPage, box: Box) -> tuple[int, int, int, int]:
        """A box in page points as (left, top, right, bottom) pixels."""
        corners = [self.to_pixel(page, x, y) for x in (box[0], box[2]) for y in (box[1], box[3])]
        return (min(c[0] for c in corners), min(c[1] for c in corners),
                max(c[0] for c in corners), max(c[1] for c in corners))


def render_pdf_claim(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, chars: PageChars, sentence: str,
                     sentence_start: int, claim_start: int, claim_end: int, page_number: int,
                     page_start: int, page_end: int, image: PageImage | None = None,
                     lines: list[Box] | None = None) -> Snapshot:
    """Render the region of ``page`` around a claim, its characters highlighted.

    ``image`` and ``lines``: the page rendered already (:class:`PageImage`) and its
    :func:`text_lines`, when several claims of the page are rendered.
    Raises:
        SnapshotError: none of the claim's characters is found on the page.
    """
    located = locate(chars, sentence, sentence_start, claim_start, claim_end, page_start, page_end)
    claim_boxes = char_boxes(textpage, located.claim)
    if not claim_boxes:
        raise SnapshotError(f"the claim's characters are not on page {page_number}")
    # the loose box (the font's height) for the marker, so that "$10 million" is one even band
    marks = line_boxes(char_boxes(textpage, located.claim, loose=True))
    context = union(char_boxes(textpage, located.context)) or union(marks)
    claim_box = union(claim_boxes)
    lines = lines if lines is not None else text_lines(textpage)
    region = _region(union([context, *marks]), claim_box, page.get_bbox(), lines)
    image = image or PageImage.render(page)
    left, top, right, bottom = image.box(page, region)
    height, width = image.pixels.shape
    left, top, right, bottom = max(left, 0), max(top, 0), min(right, width), min(bottom, height)
    crop = image.pixels[top:bottom, left:right]
    rects = []
    for mark in marks:
        x0, y0, x1, y1 = image.box(page, mark)
        rects.append((x0 - left, y0 - top, x1 - left, y1 - top))
    return Snapshot(_png(crop, rects), right - left, bottom - top, page_number, claim_box, "pt", rects,
                    located.missing, region, image.scale)


_FONT_CACHE: dict[int, ImageFont.FreeTypeFont] = {}


def _font(size: int) -> ImageFont.FreeTypeFont:
    if size not in _FONT_CACHE:
        _FONT_CACHE[size] = ImageFont.load_default(size)
    return _FONT_CACHE[size]


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[tuple[int, int]]:
    """Lines of ``text`` no wider than ``width`` pixels, as (start, end) offsets; breaks at blanks."""
    lines: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = len(text)
        if font.getlength(text[start:end]) > width:
            end = start
            for i in range(start + 1, len(text) + 1):
                if i == len(text) or text[i] == " ":
                    if font.getlength(text[start:i]) > width and end > start:
                        break
                    end = i
        lines.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    return lines


def render_text_claim(sentence: str, claim_start: int, claim_end: int, caption: str | None = None,
                      size: int = TEXT_FONT_SIZE, width: int = TEXT_WIDTH) -> Snapshot:
    """The sentence typeset with ``sentence[claim_start:claim_end]`` highlighted.

    ``caption`` (the document's name) is set small above the sentence.
    """
    sentence = " ".join(sentence.split("\n"))
    font = _font(size)
    small = _font(max(size * 2 // 3, 10))
    lines = _wrap(sentence, font, width)
    ascent, descent = font.getmetrics()
    pitch = round((ascent + descent) * 1.35)
    top = TEXT_PADDING + (round(sum(small.getmetrics()) * 1.6) if caption else 0)
    image = Image.new("L", (width + 2 * TEXT_PADDING, top + pitch * len(lines) + TEXT_PADDING), 255)
    draw = ImageDraw.Draw(image)
    if caption:
        draw.text((TEXT_PADDING, TEXT_PADDING), caption, font=small, fill=90)
    rects = []
    for n, (start, end) in enumerate(lines):
        y = top + n * pitch
        a, b = max(claim_start, start), min(claim_end, end)
        if a < b:
            x0 = TEXT_PADDING + font.getlength(sentence[start:a])
            x1 = TEXT_PADDING + font.getlength(sentence[start:b])
            rects.append((round(x0) - 1, y - 2, round(x1) + 1, y + ascent + descent + 2))
    for n, (start, end) in enumerate(lines):
        draw.text((TEXT_PADDING, top + n * pitch), sentence[start:end], font=font, fill=20)
    box = (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects), max(r[3] for r in rects))
    return Snapshot(_png(image, rects), image.width, image.height, None, box, "px", rects)
