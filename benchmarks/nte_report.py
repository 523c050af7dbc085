"""Generate a full-size NTE-style report PDF: ~500 pages, 60 country chapters.

Run: .venv/bin/python benchmarks/nte_report.py OUT.pdf [--pages 500]

Each chapter has the sections of the real report (trade agreements, import
policies with tariffs and customs, government procurement with defense offsets,
IP, services, digital trade, investment), claims of every kind in its prose, a
running header with the report year and a page-number footer. Deterministic.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from fpdf import FPDF

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.nte_text import _claim_sentence, _prose_sentence  # noqa: E402

CHAPTERS = [
    "ALGERIA", "ANGOLA", "ARGENTINA", "AUSTRALIA", "BAHRAIN", "BANGLADESH", "BOLIVIA", "BRAZIL", "BRUNEI",
    "CAMBODIA", "CANADA", "CHILE", "CHINA", "COLOMBIA", "COSTA RICA", "DOMINICAN REPUBLIC", "ECUADOR", "EGYPT",
    "EL SALVADOR", "ETHIOPIA", "EUROPEAN UNION", "GHANA", "GUATEMALA", "HONDURAS", "HONG KONG", "INDIA",
    "INDONESIA", "ISRAEL", "JAPAN", "JORDAN", "KAZAKHSTAN", "KENYA", "REPUBLIC OF KOREA", "KUWAIT", "LAOS",
    "MALAYSIA", "MEXICO", "MOROCCO", "NEW ZEALAND", "NICARAGUA", "NIGERIA", "NORWAY", "OMAN", "PAKISTAN",
    "PANAMA", "PARAGUAY", "PERU", "PHILIPPINES", "QATAR", "RUSSIA", "SAUDI ARABIA", "SOUTH AFRICA",
    "SWITZERLAND", "TAIWAN", "THAILAND", "TURKEY", "UKRAINE", "UNITED ARAB EMIRATES", "UNITED KINGDOM", "VIETNAM",
]
SECTIONS = [
    ("TRADE AGREEMENTS", []),
    ("IMPORT POLICIES", ["Tariffs", "Customs Barriers", "Import Licensing"]),
    ("TECHNICAL BARRIERS TO TRADE", []),
    ("GOVERNMENT PROCUREMENT", ["Defense Offsets"]),
    ("INTELLECTUAL PROPERTY PROTECTION", []),
    ("SERVICES BARRIERS", ["Telecommunications", "Financial Services"]),
    ("DIGITAL TRADE BARRIERS", []),
    ("INVESTMENT BARRIERS", []),
]


class _Report(FPDF):
    def __init__(self, year: int):
        super().__init__(format="letter", unit="mm")
        self.year = year
        self.set_margins(25, 22, 25)
        self.set_auto_page_break(True, margin=22)

    def header(self):
        self.set_font("Helvetica", "", 8)
        self.set_y(10)
        self.cell(0, 4, f"{self.year} NATIONAL TRADE ESTIMATE REPORT ON FOREIGN TRADE BARRIERS", align="C")
        self.set_y(22)

    def footer(self):
        self.set_y(-15)
        self.set_font("Helvetica", "", 9)
        self.cell(0, 5, f"-{self.page_no()}-", align="C")


def _latin1(text: str) -> str:
    return (text.replace("€", "EUR ").replace("₩", "KRW ").replace("₹", "Rs. ").replace("£", "GBP ")
            .replace("¥", "JPY ").replace("–", "-").encode("latin-1", "replace").decode("latin-1"))


def build_report(pages: int = 500, year: int = 2025, seed: int = 11) -> bytes:
    """Return the bytes of an NTE-style report of about ``pages`` pages."""
    r = random.Random(seed)
    pdf = _Report(year)
    per_chapter = max(pages // len(CHAPTERS), 1)
    for chapter in CHAPTERS:
        pdf.add_page()
        start_page = pdf.page_no()
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(0, 8, chapter, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        while pdf.page_no() - start_page < per_chapter:
            for section, subsections in SECTIONS:
                if pdf.page_no() - start_page >= per_chapter:
                    break
                pdf.set_font("Helvetica", "B", 11)
                pdf.cell(0, 7, section, new_x="LMARGIN", new_y="NEXT")
                for heading in subsections or [None]:
                    if heading:
                        pdf.set_font("Helvetica", "B", 10)
                        pdf.cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
                    pdf.set_font("Helvetica", "", 10)
                    for _ in range(r.randint(1, 3)):
                        sentences = [_claim_sentence(r) if r.random() < 0.35 else _prose_sentence(r)
                                     for _ in range(r.randint(3, 7))]
                        pdf.multi_cell(0, 5, _latin1(" ".join(sentences)), align="J", new_x="LMARGIN", new_y="NEXT")
                        pdf.ln(3)
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=500)
    args = parser.parse_args()
    data = build_report(args.pages)
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data):,} bytes")


if __name__ == "__main__":
    main()
