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
