"""Render the dev-set PDF sources (tests/dev/pdf_src/*.txt) as NTE-style PDFs in tests/dev/docs/.

Usage: .venv/bin/python tests/dev/make_pdfs.py

Each source is plain text: blank lines separate paragraphs; an ALL-CAPS paragraph is
a section heading (the first one, the country, is set larger), a short paragraph
without final punctuation is a subsection heading, anything else is body text
wrapped by fpdf2. Core font Helvetica, so the sources must be latin-1.
A running header and a centred page number are added to every page.
"""
from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent
SRC = HERE / "pdf_src"
OUT = HERE / "docs"
HEADER = "2025 NATIONAL TRADE ESTIMATE REPORT ON FOREIGN TRADE BARRIERS"


class NtePdf(FPDF):
    def header(self):
        self.set_font("Helvetica", "B", 8)
        self.set_xy(25, 10)
        self.cell(self.w - 50, 5, HEADER, align="C")
        self.set_xy(25, 25)

    def footer(self):
        self.set_font("Helvetica", "", 9)
        self.set_xy(25, self.h - 15)
        self.cell(self.w - 50, 5, f"-{self.page_no()}-", align="C")


def is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_subheading(text: str) -> bool:
    return len(text.split()) <= 8 and not re.search(r"[.:;!?,]$", text)


def render(src: Path, dest: Path) -> None:
    text = src.read_text("utf-8")
    text.encode("latin-1")  # fail early on characters the core font lacks
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    pdf = NtePdf(format="letter", unit="mm")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    for i, para in enumerate(paras):
        if is_caps(para):
            size = 14 if i == 0 else 11
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", size)
            pdf.multi_cell(0, 7, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif is_subheading(para):
            pdf.ln(2)
            pdf.set_font("Helvetica", "BI", 10)
            pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        else:
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6.5, para, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(5)
    pdf.set_title(src.stem)
    dest.write_bytes(bytes(pdf.output()))


def main() -> None:
    for src in sorted(SRC.glob("*.txt")):
        dest = OUT / (src.stem + ".pdf")
        render(src, dest)
        print(f"wrote {dest.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
