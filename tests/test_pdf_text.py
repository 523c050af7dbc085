"""extractors.pdf_text: clean text, page spans and NTE sections from PDFs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.document import DocumentError, PageSpan
from extractors.pdf_text import parse_pdf
from tests.pdf_factory import HEADER, build_image_only_pdf, build_long_pdf, build_pdf

NTE_PAGES = [
    [
        ("chapter", "REPUBLIC OF KOREA"),
        ("section", "TRADE AGREEMENTS"),
        ("line", "The United States-Korea Free Trade Agreement (KORUS) entered into force on"),
        ("line", "March 15, 2012."),
        ("gap",),
        ("section", "GOVERNMENT PROCUREMENT"),
        ("subsection", "Defense Offsets"),
        ("line", "Korea's Defense Acquisition Program Administration imposes offset require-"),
        ("line", "ments on foreign suppliers for non-"),
        ("line", "competitive contracts worth more than $10 million, and the"),
    ],
    [
        ("line", "offset must be at least 50 percent of the contract value."),
        ("gap",),
        ("line", "A second paragraph ends here."),
    ],
    [
        ("chapter", "EUROPEAN UNION"),
        ("section", "IMPORT POLICIES"),
        ("subsection", "Tariffs"),
        ("line", "The EU applies an average tariff of 5.0 percent."),
    ],
]

P1 = (
    "REPUBLIC OF KOREA\n\n"
    "TRADE AGREEMENTS\n\n"
    "The United States-Korea Free Trade Agreement (KORUS) entered into force on March 15, 2012.\n\n"
    "GOVERNMENT PROCUREMENT\n\n"
    "Defense Offsets\n\n"
    "Korea's Defense Acquisition Program Administration imposes offset requirements on "
    "foreign suppliers for non-competitive contracts worth more than $10 million, and the"
)
P2 = "offset must be at least 50 percent of the contract value.\n\nA second paragraph ends here."
P3 = "EUROPEAN UNION\n\nIMPORT POLICIES\n\nTariffs\n\nThe EU applies an average tariff of 5.0 percent."
EXPECTED = P1 + " " + P2 + "\n\n" + P3


@pytest.fixture(scope="module")
def nte():
    return parse_pdf(build_pdf(NTE_PAGES), "nte-2025.pdf")


def test_exact_clean_text(nte):
    assert nte.text == EXPECTED
    assert nte.media_type == "pdf"


def test_running_header_and_page_numbers_removed(nte):
    assert HEADER not in nte.text
    assert "2025" not in nte.text
    assert "NATIONAL TRADE ESTIMATE" not in nte.text
    assert "-1-" not in nte.text and "-2-" not in nte.text


def test_hyphenation(nte):
    assert "requirements" in nte.text
    assert "require-" not in nte.text
    assert "non-competitive" in nte.text  # a known prefix keeps its hyphen
    assert "United States-Korea" in nte.text  # a hyphen inside a line stays


def test_page_spans(nte):
    p1 = len(P1)
    p2_start = p1 + 1
    p2_end = p2_start + len(P2)
    p3_start = p2_end + 2
    assert nte.pages == [
        PageSpan(1, 0, p1),
        PageSpan(2, p2_start, p2_end),
        PageSpan(3, p3_start, len(EXPECTED)),
    ]
    # the continued paragraph belongs to page 2 from where it continues
    assert nte.text[nte.pages[1].start:].startswith("offset must be")
    assert nte.page_at(nte.text.index("and the offset")) == 1
    assert nte.page_at(nte.text.index("50 percent")) == 2
    assert nte.page_at(nte.text.index("5.0 percent")) == 3


def test_sections_at_offsets(nte):
    def at(needle):
        span = nte.section_at(nte.text.index(needle))
        return (span.chapter, span.section) if span else None

    assert at("REPUBLIC OF KOREA") == ("Republic of Korea", None)
    assert at("March 15, 2012") == ("Republic of Korea", "Trade Agreements")
    assert at("GOVERNMENT PROCUREMENT") == ("Republic of Korea", "Government Procurement")
    assert at("$10 million") == ("Republic of Korea", "Government Procurement > Defense Offsets")
    # the paragraph continued on page 2 stays in its section
    assert at("50 percent") == ("Republic of Korea", "Government Procurement > Defense Offsets")
    assert at("EUROPEAN UNION") == ("European Union", None)
    assert at("5.0 percent") == ("European Union", "Import Policies > Tariffs")


def test_section_spans_are_ordered_and_start_at_headings(nte):
    starts = [s.start for s in nte.sections]
    assert starts == sorted(starts)
    assert [nte.text[s.start:s.start + 7] for s in nte.sections] == [
        "REPUBLI", "TRADE A", "GOVERNM", "Defense", "EUROPEA", "IMPORT ", "Tariffs",
    ]
    assert nte.sections[-1].end == len(nte.text)
    assert all(s.end <= t.start for s, t in zip(nte.sections, nte.sections[1:]))


def test_hyphenated_word_across_pages_and_lowercase_continuation():
    pages = [
        [("line", "The ministry publishes its procurement require-")],
        [("line", "ments each year, as the law requires.")],
        [("line", "This sentence ends on its page."), ],
        [("line", "and this one continues it in lowercase.")],
    ]
    doc = parse_pdf(build_pdf(pages), "cross.pdf")
    assert doc.text == (
        "The ministry publishes its procurement requirements each year, as the law requires.\n\n"
        "This sentence ends on its page. and this one continues it in lowercase."
    )
    start2 = doc.text.index("ments each")
    assert doc.pages[1] == PageSpan(2, start2, doc.text.index("\n\nThis sentence"))
    assert doc.pages[3].start == doc.text.index("and this one")
    assert doc.page_at(doc.text.index("requirements")) == 1


def test_new_paragraph_on_next_page_after_full_sentence():
    pages = [
        [("line", "The first paragraph ends here.")],
        [("line", "The second paragraph starts a new page.")],
    ]
    doc = parse_pdf(build_pdf(pages), "two.pdf")
    assert doc.text == "The first paragraph ends here.\n\nThe second paragraph starts a new page."
    assert doc.pages == [PageSpan(1, 0, 30), PageSpan(2, 32, len(doc.text))]


def test_page_number_styles_are_removed():
    pages = [[("line", f"Body text of page {i}.")] for i in range(1, 4)]
    doc = parse_pdf(build_pdf(pages, page_number_style="Page {n} of 3"), "styles.pdf")
    assert doc.text == "Body text of page 1.\n\nBody text of page 2.\n\nBody text of page 3."


def test_single_page_keeps_header_but_drops_page_number():
    doc = parse_pdf(build_pdf([[("line", "Only one page here.")]]), "single.pdf")
    # one page: a header cannot be told from content, a page number can
    assert doc.text == HEADER + "\n\nOnly one page here."
    assert doc.pages == [PageSpan(1, 0, len(doc.text))]


def test_single_page_without_running_lines():
    doc = parse_pdf(build_pdf([[("line", "Plain page.")]], running=False), "plain.pdf")
    assert doc.text == "Plain page."


def test_empty_page_gets_an_empty_span():
    pages = [[("line", "First page.")], [], [("line", "Third page.")]]
    doc = parse_pdf(build_pdf(pages), "blank-middle.pdf")
    assert doc.text == "First page.\n\nThird page."
    assert doc.pages[1].start == doc.pages[1].end
    assert doc.pages[2] == PageSpan(3, 13, 24)


# ---------------------------------------------------------------- bad input


def _good_pdf():
    return build_pdf([[("line", "Some text.")], [("line", "More text.")]])


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"", "empty file"),
        (b"<!doctype html><html><body>Not found</body></html>", "not a PDF"),
        (b"hello world", "not a PDF"),
        (b"%PDF-1.4\nthis is junk\n%%EOF\n", "damaged PDF"),
    ],
)
def test_bad_bytes(data, problem):
    with pytest.raises(DocumentError) as err:
        parse_pdf(data, "bad.pdf")
    assert err.value.source == "bad.pdf"
    assert "bad.pdf" in str(err.value)
    assert problem in str(err.value)


def test_truncated_pdf():
    data = _good_pdf()
    with pytest.raises(DocumentError, match=r"cut\.pdf: truncated PDF"):
        parse_pdf(data[: len(data) // 2], "cut.pdf")


def test_encrypted_pdf():
    data = build_pdf([[("line", "Secret text.")]], encrypt=("owner-pw", "user-pw"))
    with pytest.raises(DocumentError, match=r"locked\.pdf: PDF is encrypted"):
        parse_pdf(data, "locked.pdf")


def test_owner_password_only_still_reads():
    data = build_pdf([[("line", "Readable text.")]], encrypt=("owner-pw", ""), running=False)
    assert parse_pdf(data, "perm.pdf").text == "Readable text."


def test_pdf_without_text_layer():
    with pytest.raises(DocumentError, match=r"scan\.pdf: no text layer: scanned\?"):
        parse_pdf(build_image_only_pdf(), "scan.pdf")


# ---------------------------------------------------------------- a long report
# (speed is measured in benchmarks/pdf_parse_speed.py, never asserted here)


def test_long_report_keeps_pages_and_sections():
    data = build_long_pdf(100)
    doc = parse_pdf(data, "long.pdf")
    assert len(doc.pages) == 100
    assert HEADER not in doc.text
    assert doc.section_at(doc.text.index("offsets of at least")).section == (
        "Government Procurement > Defense Offsets"
    )


# ---------------------------------------------------------------- layout robustness


def _wrapped_pdf() -> bytes:
    """Justified, auto-wrapped paragraphs starting close to the page top (10 mm margin)."""
    from fpdf import FPDF

    para = (
        "The Government of India maintains high basic customs duties, with an average "
        "applied tariff of 17 percent, and in the 2023-2024 fiscal year imposed additional "
        "cess charges on a range of goods. "
    ) * 3
    pdf = FPDF()
    pdf.set_auto_page_break(True, 25)
    pdf.add_page()
    pdf.set_font("Times", "B", 12)
    pdf.cell(0, 8, "INDIA", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 8, "IMPORT POLICIES", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "", 12)
    for i in range(12):
        pdf.multi_cell(0, 6, f"{i}. {para}", align="J")
        pdf.ln(4)
    return bytes(pdf.output())


def test_body_lines_near_the_top_are_not_running_headers():
    import io
    import re

    import pdfplumber

    data = _wrapped_pdf()
    doc = parse_pdf(data, "wrapped.pdf")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        reference = " ".join(page.extract_text() for page in pdf.pages)
    # same words in the same order as pdfplumber (nothing lost, nothing reordered)
    assert re.findall(r"\w+", doc.text) == re.findall(r"\w+", reference)
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[:2] == ["INDIA", "IMPORT POLICIES"]
    assert [p.split(" ")[0] for p in paragraphs[2:]] == [f"{i}." for i in range(12)]
    assert doc.section_at(doc.text.index("11. The")).section == "Import Policies"


# --- the pdfplumber engine ------------------------------------------------------------

DEMO_PDFS = sorted((Path(__file__).resolve().parent.parent / "corpus" / "demo" / "reports").glob("*.pdf"))


@pytest.mark.parametrize("path", DEMO_PDFS, ids=lambda p: p.name)
def test_pdfplumber_engine_gives_the_same_document(path):
    data = path.read_bytes()
    fast, plumber = parse_pdf(data, path.name), parse_pdf(data, path.name, engine="pdfplumber")
    assert plumber.text == fast.text
    assert plumber.pages == fast.pages
    assert plumber.sections == fast.sections


def test_pdfplumber_engine_reports_an_encrypted_pdf():
    data = build_pdf([[("line", "Offsets of 30 percent apply.")]], encrypt=("owner", "user"))
    with pytest.raises(DocumentError, match="encrypted"):
        parse_pdf(data, "locked.pdf", engine="pdfplumber")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine"):
        parse_pdf(b"%PDF-1.4", "x.pdf", engine="ocr")


LINE_JOINS = [json.loads(line) for line in (Path(__file__).parent / "data" / "pdf_line_joins.jsonl")
              .read_text("utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("engine", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("case", LINE_JOINS, ids=lambda c: c["id"])
def test_lines_of_a_paragraph_join_as_written(case, engine):
    """URLs broken at a line end, acronym compounds and hyphenation (tests/data/pdf_line_joins.jsonl)."""
    pdf = build_pdf([[("line", text) for text in case["lines"]]], running=False)
    assert parse_pdf(pdf, f"{case['id']}.pdf", engine=engine).text == case["text"]
