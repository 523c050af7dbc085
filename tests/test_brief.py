"""`tradeclaims brief`: one self-contained HTML file about a country, opened in headless Chromium.

The browser is Debian's Chromium driven by Playwright, as in tests/test_dagster_ui.py
(scripts/ensure-chromium.sh installs it for `make test`).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence.brief import BriefError, resolve_country, value_text
from tests.dagster_server import ARTIFACTS
from tests.test_dagster_ui import CHROMIUM, CHROMIUM_ARGS


def _cli(*args):
    from pipelines.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def korea(demo_copy, tmp_path):
    output = tmp_path / "korea.html"
    result = _cli("brief", "--country", "KOR", "--output", output, "--warehouse", demo_copy / "warehouse.duckdb")
    assert result.exit_code == 0, result.output
    return output


def test_the_brief_holds_everything_inline_and_nothing_from_outside(korea):
    html = korea.read_text("utf-8")
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", html, re.I), "a URL in the brief"
    assert "<script" not in html and "<link" not in html and "@import" not in html
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert all(h.startswith("#") for h in re.findall(r'\bhref="([^"]*)"', html))
    assert "<svg" in html and "<style>" in html
    # accessible tables: every table has a caption and column headers with a scope
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    assert len(tables) >= 5
    for table in tables:
        assert "<caption>" in table and '<th scope="col">' in table and '<th scope="row"' in table
    assert "@media print" in html and "display: table-header-group" in html


def test_the_brief_names_the_country_and_shows_the_findings(korea):
    html = korea.read_text("utf-8")
    assert "South Korea" in html and "(KOR)" in html  # pycountry's name
    assert "What changed between report editions" in html and "revised" in html
    assert "contradicts" in html  # the demo's news page that repeats the 2024 rate
    for topic in ("Defence offsets", "Tariffs", "Trade values"):
        assert f">{topic}</h2>" in html


def test_the_brief_renders_in_chromium_without_errors(korea):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    problems, requests = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(korea.as_uri(), wait_until="load")
            for name in ("What changed between report editions", "News figures checked against the report",
                         "Defence offsets"):
                expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
            tables = page.locator("table")
            assert tables.count() >= 5
            expect(tables.first).to_be_visible()
            images = page.locator("tr.evidence img")
            assert images.count() >= 40
            images.first.scroll_into_view_if_needed()
            expect(images.first).to_be_visible()
            loaded = images.evaluate_all("all => all.filter(i => i.complete && i.naturalWidth > 0).length")
            assert loaded == images.count()
            expect(page.locator("figure svg").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "brief-KOR.png"), full_page=False)
            # printing: the contents list goes, the tables stay
            page.emulate_media(media="print")
            expect(page.locator("nav")).to_be_hidden()
            pdf = page.pdf(format="A4")
        finally:
            browser.close()
    assert not problems, problems
    assert all(u.startswith(("file://", "data:")) for u in requests), requests
    assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") > 3
    (ARTIFACTS / "brief-KOR.pdf").write_bytes(pdf)
    assert (ARTIFACTS / "brief-KOR.png").stat().st_size > 20_000


def test_a_country_with_one_edition_and_no_news_says_the_findings_are_empty(demo_copy, tmp_path):
    output = tmp_path / "poland.html"
    result = _cli("brief", "--country", "Poland", "--output", output, "--warehouse", demo_copy / "warehouse.duckdb")
    assert result.exit_code == 0, result.output
    html = output.read_text("utf-8")
    assert "fewer than two report editions" in html
    assert "No measure is stated in more than one report edition" in html


def test_a_claim_whose_document_left_the_raw_store_is_shown_by_its_sentence(demo_copy, tmp_path):
    import duckdb

    con = duckdb.connect(str(demo_copy / "warehouse.duckdb"))
    con.execute("DELETE FROM evidence")  # nothing stored: every snapshot is rendered by the brief
    (sha,), = con.execute("SELECT sha256 FROM documents WHERE doc_key = 'nte-2024-korea'").fetchall()
    con.close()
    (demo_copy / "raw" / sha[:2] / sha).unlink()
    output = tmp_path / "korea.html"
    result = _cli("brief", "--country", "KOR", "--output", output, "--warehouse", demo_copy / "warehouse.duckdb")
    assert result.exit_code == 0, result.output
    html = output.read_text("utf-8")
    assert "no snapshot:" in html and "is no longer in the raw store" in html
    assert "data:image/png;base64," in html  # the other documents' claims keep theirs


# --------------------------------------------------------------------------- bad input


def _fails_cleanly(result, output: Path, *words):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]
    assert not output.exists()


@pytest.mark.parametrize("country, words", [
    ("Atlantis", ("'Atlantis'", "not a country")),
    ("XYZ", ("'XYZ'", "not a country")),
    ("NOR", ("NOR", "Norway", "no claim")),
])
def test_an_unknown_country_or_one_without_claims_is_named(demo_copy, tmp_path, country, words):
    output = tmp_path / "x.html"
    result = _cli("brief", "--country", country, "--output", output, "--warehouse", demo_copy / "warehouse.duckdb")
    _fails_cleanly(result, output, *words)


def test_a_busy_warehouse_is_said_and_nothing_is_written(demo_copy, tmp_path):
    from tests.test_warehouse_concurrency import hold_writer, release

    warehouse = demo_copy / "warehouse.duckdb"
    output = tmp_path / "x.html"
    writer = hold_writer(warehouse, "in-place")
    try:
        result = _cli("brief", "--country", "KOR", "--output", output, "--warehouse", warehouse, "--wait", "0.3")
        _fails_cleanly(result, output, str(warehouse), "busy")
        release(writer)
    finally:
        writer.kill()
        writer.wait()


def test_a_missing_warehouse_is_said(tmp_path):
    output = tmp_path / "x.html"
    result = _cli("brief", "--country", "KOR", "--output", output, "--warehouse", tmp_path / "none.duckdb")
    _fails_cleanly(result, output, "none.duckdb", "no warehouse yet")


def test_the_output_is_never_the_warehouse(demo_copy):
    warehouse = demo_copy / "warehouse.duckdb"
    size = warehouse.stat().st_size
    result = _cli("brief", "--country", "KOR", "--output", warehouse, "--warehouse", warehouse)
    assert result.exit_code != 0 and "is the warehouse itself" in result.output
    assert warehouse.stat().st_size == size


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize("value, code, name", [
    ("KOR", "KOR", "South Korea"), ("kr", "KOR", "South Korea"), ("Korea, Republic of", "KOR", "South Korea"),
    ("Poland", "POL", "Poland"), ("EU", "EU", "EU"),
])
def test_countries_are_resolved_by_pycountry_or_as_the_claims_name_them(value, code, name):
    country = resolve_country(value, subjects={"KOR", "POL", "EU"})
    assert (country.code, country.name) == (code, name)


def test_an_unknown_name_is_refused():
    with pytest.raises(BriefError, match="'Narnia': not a country"):
        resolve_country("Narnia", subjects={"KOR"})


@pytest.mark.parametrize("args, text", [
    (("money", "10000000", 10_000_000.0, None, None, "USD"), "USD 10,000,000"),
    (("money", None, None, 1.5e9, 2e9, "EUR"), "EUR 1,500,000,000–2,000,000,000"),
    (("percent", "13.4", 13.4, None, None, "percent"), "13.4 percent"),
    (("percent", "2", 2.0, None, None, "percentage_points"), "2 percentage points"),
    (("period", "2011/2015", None, None, None, None), "2011/2015"),
    (("date", "1982", None, None, None, None), "1982"),
])
def test_values_read_as_a_person_writes_them(args, text):
    assert value_text(*args) == text
