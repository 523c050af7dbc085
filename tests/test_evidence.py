"""Evidence snapshots: a claim's document offsets mapped back to its page's characters, the
highlight over exactly those characters, `tradeclaims evidence` and its bad input.

The mapping is tested on pdfium-like page texts (tests/data/evidence_alignment.jsonl: the
claim's characters marked ``[[…]]``), on the generated look-alike layouts of
tests/test_pdf_layout.py read by the real parser (three columns, footnotes, tables with dot
leaders, a turned page) and on the demo reports.
"""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from PIL import Image

from evidence.claims import Renderer, claim_rows, sentence_start
from evidence.page_chars import PageChars, keyed, locate
from evidence.snapshot import HIGHLIGHT, render_pdf_claim
from extractors.extraction import extract_claims
from extractors.pdf_text import parse_pdf
from tests.pdf_factory import build_columns_pdf, build_turned_pdf
from tests.test_pdf_layout import BRIEF, NOTICE, TABLES, TURNED, _notice

DATA = Path(__file__).parent / "data"
CASES = [json.loads(line) for line in (DATA / "evidence_alignment.jsonl").read_text("utf-8").splitlines() if line]


# --------------------------------------------------------------------------- the mapping


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_claim_characters_are_found_among_the_page_characters(case):
    marked = case["page"]
    first, last = marked.index("[["), marked.index("]]") - 2
    page_text = marked.replace("[[", "").replace("]]", "")
    page = PageChars(*keyed(page_text))  # a page's "character indices" are its text's positions here
    sentence, claim = case["sentence"], case["claim"]
    at = -1
    for _ in range(case.get("occurrence", 1)):
        at = sentence.index(claim, at + 1)
    base = 1000  # the sentence's offset in its document
    found = locate(page, sentence, base, base + at, base + at + len(claim), 0, 10 ** 6)
    expected = [i for i in range(first, last) if i in set(keyed(page_text[first:last], base=first)[1])]
    assert found.claim == expected and found.missing == 0


def _pdf_claims(data: bytes, name: str):
    doc = parse_pdf(data, name)
    claims = list(extract_claims(doc, name))
    spans = {span.number: span for span in doc.pages}
    return doc, claims, spans


LAYOUTS = {
    "three-column notice": lambda: _notice(NOTICE),
    "two columns with footnotes": lambda: build_columns_pdf(BRIEF, columns=2, font=10),
    "tables with dot leaders": lambda: build_columns_pdf(TABLES, columns=1),
    "a turned page": lambda: build_turned_pdf(TURNED),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_claim_of_a_generated_layout_is_located_as_its_text(layout):
    data = LAYOUTS[layout]()
    doc, claims, spans = _pdf_claims(data, f"{layout}.pdf")
    assert claims
    siblings = {}
    for c in claims:
        siblings.setdefault(c.sentence, []).append((c.text, c.start, c.end))
    pdf = pdfium.PdfDocument(data)
    try:
        for c in claims:
            textpage = pdf[c.page - 1].get_textpage()
            begin = sentence_start(c.sentence, c.text, c.start, siblings[c.sentence])
            assert doc.text[begin:begin + len(c.sentence)] == c.sentence
            span = spans[c.page]
            found = locate(PageChars.read(textpage), c.sentence, begin, c.start, c.end, span.start, span.end)
            located = "".join(textpage.get_text_range(i, 1) for i in found.claim)
            on_page = doc.text[c.start:min(c.end, span.end)]
            assert keyed(located)[0] == keyed(on_page)[0], (c.text, located)
    finally:
        pdf.close()


def test_sentence_start_uses_the_sentences_other_claims():
    sentence = "It was 5 percent in 2019 and 7 percent, then 5 percent."
    # the second "5 percent" (offset 45 in the sentence) at document offset 1045
    siblings = [("5 percent", 1007, 1016), ("2019", 1020, 1024), ("7 percent", 1029, 1038), ("5 percent", 1045, 1054)]
    assert sentence_start(sentence, "5 percent", 1045, siblings) == 1000
    assert sentence_start(sentence, "5 percent", 1007, siblings) == 1000


# --------------------------------------------------------------------------- the highlight


def _rgb(png: bytes) -> Image.Image:
    import io

    return Image.open(io.BytesIO(png)).convert("RGB")


def _is_marker(pixel) -> bool:
    """Tinted marker yellow: grey pixels (white, ink, anti-aliased edges) have r = g = b."""
    r, g, b = pixel
    return r >= 60 and b < 0.5 * r and g > 0.6 * r


def _marker_share(image: Image.Image, snapshot, box) -> float | None:
    """Share of the light pixels inside a character's box (PDF points) that are marker yellow."""
    left, bottom, right, top = box
    region, scale = snapshot.region, snapshot.scale
    x0, x1 = int((left - region[0]) * scale) + 1, int((right - region[0]) * scale) - 1
    y0, y1 = int((region[3] - top) * scale) + 1, int((region[3] - bottom) * scale) - 1
    light = marked = 0
    for x in range(max(x0, 0), min(x1, image.width)):
        for y in range(max(y0, 0), min(y1, image.height)):
            pixel = image.getpixel((x, y))
            if pixel[0] < 60:  # ink too dark to show a tint either way
                continue
            light += 1
            marked += _is_marker(pixel)
    return marked / light if light else None


@pytest.mark.parametrize("layout", ["three-column notice", "tables with dot leaders"])
def test_the_highlight_lies_over_the_claims_characters_and_nowhere_else(layout):
    """Ground truth from pdfium's own text search, not from the alignment: the claim's text
    where it stands once on its page, and the characters of the rest of its sentence."""
    data = LAYOUTS[layout]()
    doc, claims, spans = _pdf_claims(data, f"{layout}.pdf")
    pdf = pdfium.PdfDocument(data)
    checked = 0
    try:
        for c in claims:
            page = pdf[c.page - 1]
            textpage = page.get_textpage()
            hits = []
            searcher = textpage.search(c.text, match_case=True)
            while (hit := searcher.get_next()) is not None:
                hits.append(hit)
            if len(hits) != 1 or "\n" in c.text:
                continue  # the claim's text stands elsewhere on the page too: no independent truth
            index, count = hits[0]
            begin = sentence_start(c.sentence, c.text, c.start, [(c.text, c.start, c.end)])
            span = spans[c.page]
            snapshot = render_pdf_claim(page, textpage, PageChars.read(textpage), c.sentence, begin, c.start, c.end,
                                        c.page, span.start, span.end)
            image = _rgb(snapshot.png)
            inside = [i for i in range(index, index + count) if textpage.get_text_range(i, 1).strip()]
            shares = [(textpage.get_text_range(i, 1), _marker_share(image, snapshot, textpage.get_charbox(i)))
                      for i in inside]
            known = [s for _, s in shares if s is not None]  # a comma's box may hold no whole pixel
            assert len(known) >= 0.8 * len(inside) and min(known) > 0.9, (c.text, shares)
            # the sentence's other words are not highlighted
            outside = [i for i in range(textpage.count_chars()) if not index <= i < index + count
                       and textpage.get_text_range(i, 1).isalnum()]
            shares = [_marker_share(image, snapshot, textpage.get_charbox(i)) for i in outside]
            shown = [s for s in shares if s is not None]
            assert shown and max(shown) < 0.05, c.text
            checked += 1
    finally:
        pdf.close()
    assert checked >= 3


def test_the_marker_colour_is_the_one_tested_for():
    assert _is_marker(HIGHLIGHT)


# --------------------------------------------------------------------------- the command


def _cli(*args):
    from pipelines.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


def _one(warehouse: Path, sql: str, params=()):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


OFFSET_PDF_CLAIM = ("SELECT c.claim_id, c.page, c.text FROM latest_claims c JOIN documents d USING (document_id)"
                    " WHERE d.media_type = 'pdf' AND c.topic = 'offset' AND c.kind = 'percent'"
                    " AND c.doc_key = 'nte-2025-korea' ORDER BY c.start_offset LIMIT 1")


def _state(data: Path) -> tuple:
    """What a failed command must leave as it was: the evidence files and rows."""
    files = sorted(p.relative_to(data).as_posix() for p in (data / "evidence").rglob("*") if p.is_file())
    rows = _one(data / "warehouse.duckdb", "SELECT claim_id, sha256 FROM evidence ORDER BY claim_id")
    return files, rows


def test_evidence_writes_the_png_of_a_pdf_offset_claim(demo_copy, tmp_path):
    warehouse = demo_copy / "warehouse.duckdb"
    (claim_id, page, text), = _one(warehouse, OFFSET_PDF_CLAIM)
    output = tmp_path / "out" / "claim.png"
    result = _cli("evidence", claim_id, "--output", output, "--warehouse", warehouse)
    assert result.exit_code == 0, result.output
    png = output.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    image = _rgb(png)
    assert image.width >= 600 and image.height >= 80  # a readable region, not a thumbnail
    assert any(_is_marker(p) for p in image.getdata())
    (path, stored_page, x0, y0, x1, y1, units), = _one(
        warehouse, "SELECT path, page, x0, y0, x1, y1, units FROM evidence WHERE claim_id = ?", [claim_id])
    assert (demo_copy / path).read_bytes() == png and path.startswith("evidence/")
    assert stored_page == page and units == "pt" and x0 < x1 and y0 < y1
    # the stored box is where pdfium finds the claim's text on the page
    pdf = pdfium.PdfDocument(_raw_pdf(demo_copy, claim_id))
    try:
        textpage = pdf[page - 1].get_textpage()
        searcher = textpage.search(text, match_case=True)
        boxes = []
        while (hit := searcher.get_next()) is not None:
            boxes.append([textpage.get_charbox(i) for i in range(hit[0], hit[0] + hit[1])])
        assert any(abs(b[0][0] - x0) < 1 and abs(b[-1][2] - x1) < 1 for b in boxes)
    finally:
        pdf.close()


def _raw_pdf(data: Path, claim_id: str) -> bytes:
    (sha,), = _one(data / "warehouse.duckdb",
                   "SELECT d.sha256 FROM claims c JOIN documents d USING (document_id) WHERE c.claim_id = ?", [claim_id])
    return (data / "raw" / sha[:2] / sha).read_bytes()


def test_evidence_of_a_news_claim_is_its_sentence(demo_copy, tmp_path):
    warehouse = demo_copy / "warehouse.duckdb"
    (claim_id, text), = _one(warehouse, "SELECT claim_id, text FROM latest_claims WHERE doc_key LIKE 'news-%'"
                                        " AND kind = 'money' ORDER BY claim_id LIMIT 1")
    output = tmp_path / "news.png"
    result = _cli("evidence", claim_id, "--output", output, "--warehouse", warehouse)
    assert result.exit_code == 0, result.output
    image = _rgb(output.read_bytes())
    marked = [x for x in range(image.width) if any(_is_marker(image.getpixel((x, y))) for y in range(image.height))]
    from evidence.snapshot import TEXT_FONT_SIZE, _font

    # the marker is as wide as the claim's text set in the snapshot's font (a pixel either side)
    assert abs((marked[-1] - marked[0] + 1) - _font(TEXT_FONT_SIZE).getlength(text)) <= 4
    (units, page), = _one(warehouse, "SELECT units, page FROM evidence WHERE claim_id = ?", [claim_id])
    assert units == "px" and page is None


def test_a_claim_of_the_same_page_is_rendered_from_the_page_read_once(demo_copy):
    from sources.rawstore import RawStore

    warehouse = demo_copy / "warehouse.duckdb"
    ids = [r[0] for r in _one(warehouse, "SELECT claim_id FROM latest_claims WHERE doc_key = 'nte-2025-korea'"
                                         " AND page = 2 ORDER BY start_offset")]
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = claim_rows(con, ids)
    con.close()
    with Renderer(RawStore(demo_copy / "raw")) as renderer:
        snapshots = [renderer.render(rows[i]) for i in ids]
        assert len(renderer._pages) == 1
    assert all(s.missing == 0 and s.page == 2 for s in snapshots)
    assert len({s.png for s in snapshots}) == len(ids)  # each its own highlight


# --------------------------------------------------------------------------- bad input


def _fails_cleanly(result, *words):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def test_an_unknown_claim_id_is_named_and_nothing_is_written(demo_copy, tmp_path):
    before = _state(demo_copy)
    output = tmp_path / "x.png"
    result = _cli("evidence", "nte-2025-korea@0000:1:2:money", "--output", output,
                  "--warehouse", demo_copy / "warehouse.duckdb")
    _fails_cleanly(result, "nte-2025-korea@0000:1:2:money", "no such claim")
    assert not output.exists() and _state(demo_copy) == before


def test_a_document_gone_from_the_raw_store_is_named_and_nothing_is_written(demo_copy, tmp_path):
    warehouse = demo_copy / "warehouse.duckdb"
    (claim_id, _, _), = _one(warehouse, OFFSET_PDF_CLAIM)
    (sha,), = _one(warehouse, "SELECT d.sha256 FROM claims JOIN documents d USING (document_id) WHERE claim_id = ?",
                   [claim_id])
    (demo_copy / "raw" / sha[:2] / sha).unlink()
    before = _state(demo_copy)
    output = tmp_path / "x.png"
    result = _cli("evidence", claim_id, "--output", output, "--warehouse", warehouse)
    _fails_cleanly(result, claim_id, "nte-2025-korea", "no longer in the raw store")
    assert not output.exists() and _state(demo_copy) == before


def test_a_busy_warehouse_is_said_and_nothing_is_written(demo_copy, tmp_path):
    from tests.test_warehouse_concurrency import hold_writer, release

    warehouse = demo_copy / "warehouse.duckdb"
    (claim_id, _, _), = _one(warehouse, OFFSET_PDF_CLAIM)
    before = _state(demo_copy)
    output = tmp_path / "x.png"
    for how, words in (("in-place", ("busy", "another process is writing")), ("copy", ("another writer",))):
        writer = hold_writer(warehouse, how)
        try:
            result = _cli("evidence", claim_id, "--output", output, "--warehouse", warehouse, "--wait", "0.3")
            _fails_cleanly(result, str(warehouse), *words)
            release(writer)
        finally:
            writer.kill()
            writer.wait()
        assert not output.exists()
        files, rows = _state(demo_copy)
        assert files == before[0] and rows == before[1]


def test_the_output_is_never_the_warehouse(demo_copy):
    warehouse = demo_copy / "warehouse.duckdb"
    (claim_id, _, _), = _one(warehouse, OFFSET_PDF_CLAIM)
    size = warehouse.stat().st_size
    result = _cli("evidence", claim_id, "--output", warehouse, "--warehouse", warehouse)
    _fails_cleanly(result, "is the warehouse itself")
    assert warehouse.stat().st_size == size


def test_the_readme_example_names_a_demo_claim(demo_run):
    """The claim id in README's `tradeclaims evidence` example is a PDF offset claim of the demo."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    claim_id, = re.findall(r"tradeclaims evidence '([^']+)'", readme)
    rows = _one(demo_run["warehouse"], "SELECT c.topic, d.media_type FROM claims c JOIN documents d USING (document_id)"
                                       " WHERE c.claim_id = ?", [claim_id])
    assert rows == [("offset", "pdf")]


@pytest.mark.parametrize(("partitions", "pictures"), [(1, 6), (10, 6), (20, 6), (21, 1), (201, 1)])
def test_the_asset_metadata_stays_small_for_runs_over_many_documents(tmp_path, partitions, pictures):
    """Dagster copies a run's metadata into each partition: a large run shows one picture and 20 rows."""
    from evidence.claims import Shown
    from pipelines.defs.documents.evidence import ROWS_SHOWN, _evidence_md

    shown = [Shown(doc_key=f"doc-{n:03d}", claim_id=f"c{n}", kind="money", text=f"${n} million", page=n % 3 or None,
                   topic="offset", path=tmp_path / f"{n}.png", png=b"\x89PNG" + bytes([n]), new=True)
             for n in range(30)]
    md = _evidence_md(shown, {}, str(tmp_path), partitions)
    assert md.count("data:image/png;base64,") == pictures
    assert md.count("| money |") == ROWS_SHOWN
    assert f"{len(shown) - ROWS_SHOWN} more" in md
