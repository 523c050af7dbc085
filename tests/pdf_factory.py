"""Build small NTE-style PDFs with fpdf2 for the parser tests.

Every line is placed explicitly (no automatic wrapping), so the tests know the
exact text a correct parser must return.

A page is a list of items:

- ``("chapter", "REPUBLIC OF KOREA")``: a bold, larger heading with space around it;
- ``("section", "IMPORT POLICIES")``: a bold heading;
- ``("subsection", "Defense Offsets")``: a bold, smaller heading;
- ``("line", "text ...")``: one line of body text;
- ``("gap",)``: the blank space that separates paragraphs.

Each page gets the running header ``HEADER`` (with a year) at the top and the page
number as ``-N-`` at the bottom, unless ``running=False``.
"""
from __future__ import annotations

import zlib

from fpdf import FPDF

HEADER = "2025 NATIONAL TRADE ESTIMATE REPORT ON FOREIGN TRADE BARRIERS"

LINE_HEIGHT = 5.5  # mm between baselines of body lines
PARAGRAPH_GAP = 5.0  # extra mm between paragraphs


class _NtePdf(FPDF):
    def __init__(self, running: bool, page_number_style: str):
        super().__init__(format="letter", unit="mm")
        self.running = running
        self.page_number_style = page_number_style
        self.set_auto_page_break(False)
        self.set_margins(25, 25, 25)

    def header(self):
        if not self.running:
            return
        self.set_font("Helvetica", "B", 9)
        self.set_xy(25, 10)
        self.cell(self.w - 50, 5, HEADER, align="C")

    def footer(self):
        if not self.running:
            return
        self.set_font("Helvetica", "", 9)
        self.set_xy(25, self.h - 15)
        label = self.page_number_style.format(n=self.page_no())
        self.cell(self.w - 50, 5, label, align="C")


def build_pdf(
    pages: list[list[tuple]],
    running: bool = True,
    page_number_style: str = "-{n}-",
    encrypt: tuple[str, str] | None = None,
) -> bytes:
    """Return the bytes of a PDF with ``pages`` laid out line by line."""
    pdf = _NtePdf(running, page_number_style)
    if encrypt:
        owner, user = encrypt
        pdf.set_encryption(owner_password=owner, user_password=user)
    for items in pages:
        pdf.add_page()
        y = 30.0
        for item in items:
            kind = item[0]
            if kind == "gap":
                y += PARAGRAPH_GAP
                continue
            text = item[1]
            if kind == "chapter":
                y += 4
                pdf.set_font("Helvetica", "B", 14)
                pdf.text(25, y, text)
                y += LINE_HEIGHT + PARAGRAPH_GAP + 2
            elif kind == "section":
                y += 2
                pdf.set_font("Helvetica", "B", 11)
                pdf.text(25, y, text)
                y += LINE_HEIGHT + PARAGRAPH_GAP
            elif kind == "subsection":
                pdf.set_font("Helvetica", "BI", 11)
                pdf.text(25, y, text)
                y += LINE_HEIGHT + PARAGRAPH_GAP
            elif kind == "line":
                pdf.set_font("Helvetica", "", 11)
                pdf.text(25, y, text)
                y += LINE_HEIGHT
            else:  # pragma: no cover - programming error in a test
                raise ValueError(kind)
    return bytes(pdf.output())


def build_image_only_pdf() -> bytes:
    """A PDF whose only page holds drawn shapes and no text (a 'scan')."""
    pdf = FPDF(format="letter", unit="mm")
    pdf.add_page()
    pdf.set_fill_color(200, 200, 200)
    pdf.rect(20, 20, 170, 240, style="F")
    pdf.line(20, 20, 190, 260)
    return bytes(pdf.output())


def build_long_pdf(n_pages: int) -> bytes:
    """``n_pages`` of dense NTE-like text, for speed measurements."""
    body = (
        "The Defense Acquisition Program Administration requires offsets of at least "
        "50 percent of the contract value for purchases above $10 million in 2024."
    )
    pages = []
    for i in range(n_pages):
        items: list[tuple] = []
        if i % 20 == 0:
            items.append(("chapter", "REPUBLIC OF KOREA"))
            items.append(("section", "GOVERNMENT PROCUREMENT"))
            items.append(("subsection", "Defense Offsets"))
        while len(items) < 38:
            items.append(("line", body[: 90]))
            items.append(("line", body[90:]))
            items.append(("gap",))
        pages.append(items)
    return build_pdf(pages)


# --------------------------------------------------------------------------- other layouts
# Generated look-alikes of the layouts real documents use (multi-column notices,
# two-column briefs, tables with dot leaders, superscript footnotes, small pages),
# with our own text. Coordinates are in points; lines are placed explicitly.

SUP = "^"  # in a line, "word^1" draws "1" as a raised, smaller footnote marker


class _LayoutPdf(FPDF):
    def __init__(self, size: tuple[float, float]):
        super().__init__(unit="pt", format=size)
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)

    def run(self, x: float, y: float, text: str, size: float, style: str = "") -> float:
        """Draw ``text`` at baseline ``y``; "^N" draws a superscript; return the end x."""
        parts = text.split(SUP)
        for n, part in enumerate(parts):
            if n:  # the marker is the part's first word
                marker, _, part = part.partition(" ")
                self.set_font("Times", style, size * 0.6)
                self.text(x, y - size * 0.35, marker)
                x += self.get_string_width(marker)
                part = " " + part if part else part
            if part:
                self.set_font("Times", style, size)
                self.text(x, y, part)
                x += self.get_string_width(part)
        return x


def build_columns_pdf(
    pages: list[dict],
    size: tuple[float, float] = (612, 792),
    columns: int = 3,
    margin: float = 45,
    gutter: float = 12,
    font: float = 9,
    header: str | None = None,
    header_y: float | None = None,
    footer: str | None = None,
    margin_mark: str | None = None,
) -> bytes:
    """Pages of text set in ``columns`` columns.

    A page is a dict: ``"title"`` (full-width lines above the columns, optional),
    ``"columns"`` (a list per column of lines; a line is a string, ``("gap",)``,
    ``("heading", text)`` or ``("note", text)`` (smaller footnote text at the foot
    of the column)) and ``"table"`` (full-width rows below the title: each a list
    of cells, the first left-aligned, the others at fixed tab stops; a cell
    ending in ``" ."`` gets a dot leader up to the next stop).
    ``header``/``footer`` are drawn on every page ("{n}" is the page number);
    ``header_y`` is the header's baseline from the top (default 0.06 of the height);
    ``margin_mark`` is drawn rotated up the left margin (a print job's mark).
    """
    width, height = size
    pdf = _LayoutPdf(size)
    col_width = (width - 2 * margin - (columns - 1) * gutter) / columns
    pitch = font * 1.15
    for number, page in enumerate(pages, 1):
        pdf.add_page()
        top = margin
        if header:
            pdf.run(margin, header_y if header_y is not None else 0.06 * height,
                    header.format(n=number), font * 0.9, "B")
            top = max(top, (header_y or 0.06 * height) + 2.2 * font)
        if footer:
            pdf.run(margin / 2, height - 0.04 * height, footer.format(n=number), font * 0.7)
        if margin_mark:
            with pdf.rotation(90, margin / 3, height - margin):
                pdf.run(margin / 3, height - margin, margin_mark.format(n=number), font * 0.6)
        y = top + font
        for line in page.get("title", []):
            pdf.run(margin, y, line, font * 1.6, "B")
            y += font * 2.4
        table = page.get("table", [])
        if table:
            stops = [margin + (width - 2 * margin) * f for f in (0.0, 0.5, 0.75)]
            for row in table:
                for n, cell in enumerate(row):
                    x = stops[n]
                    if cell.endswith(" ."):
                        end = pdf.run(x, y, cell[:-2], font)
                        pdf.set_font("Times", "", font)
                        dots = "." * int((stops[n + 1] - end - 6) / pdf.get_string_width("."))
                        pdf.text(end + 3, y, dots)
                    else:
                        pdf.run(x, y, cell, font)
                y += pitch * 1.3
            y += font
        for c, lines in enumerate(page.get("columns", [])):
            x = margin + c * (col_width + gutter)
            cy = y
            for line in lines:
                if line == ("gap",):
                    cy += font * 0.8
                elif isinstance(line, tuple) and line[0] == "heading":
                    cy += font * 0.5
                    pdf.run(x, cy, line[1], font, "B")
                    cy += pitch + font * 0.5
                elif isinstance(line, tuple) and line[0] == "note":
                    pdf.run(x, cy, line[1], font * 0.75)
                    cy += pitch * 0.8
                else:
                    pdf.run(x, cy, line, font)
                    cy += pitch
    return bytes(pdf.output())


def build_turned_pdf(pages: list[list[str]], turned: bool = True) -> bytes:
    """One-column pages of ``pages`` lines; with ``turned`` the text is drawn running up
    the page and the page carries /Rotate 90, so that it displays upright (a landscape
    page as scanners and word processors store it)."""
    import io

    import pypdfium2 as pdfium

    pdf = _LayoutPdf((612, 792))
    for lines in pages:
        pdf.add_page()
        for i, line in enumerate(lines):
            if turned:
                x, y = 90 + i * 14, 720
                with pdf.rotation(90, x, y):
                    pdf.run(x, y, line, 11)
            else:
                pdf.run(72, 90 + i * 14, line, 11)
    data = bytes(pdf.output())
    if not turned:
        return data
    doc = pdfium.PdfDocument(data)
    for page in doc:
        page.set_rotation(90)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (1 0 obj is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def inflating_pdf(inflated_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_bytes`` (about 1000:1)."""
    packer = zlib.compressobj(9)
    ops = b"BT /F1 12 Tf 72 720 Td (a) Tj ET\n" * 32768  # ~1 MB of text operators
    parts = [packer.compress(b"BT /F1 12 Tf 72 720 Td (Tariffs of 25 percent.) Tj ET\n")]
    parts += [packer.compress(ops) for _ in range(inflated_bytes // len(ops))]
    stream = b"".join(parts) + packer.flush()
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])
