"""The pipeline over real HTTP: a registry served by a local server, good and bad documents.

Every bad document must end with a recorded error that names it and the problem,
while the good documents of the same run still load.
"""
from __future__ import annotations

import dagster as dg
import duckdb
import pytest

from pipelines.resources import TradeclaimsConfig
from pipelines.runner import materialize_registry
from tests.conftest import FETCH_ALLOW_LOCAL_SERVERS, ROOT
from tests.pdf_factory import build_image_only_pdf, build_pdf

KOREA_PDF = (ROOT / "corpus/demo/reports/nte-2025-korea.pdf").read_bytes()
NEWS_HTML = (ROOT / "corpus/demo/news").glob("*seoul*.html")
NEWS_HTML = next(iter(NEWS_HTML)).read_bytes()

CP1252_HTML = (
    '<html><head><meta charset="windows-1252"><title>Levy</title>'
    '<meta property="article:published_time" content="2025-06-02T08:00:00Z"></head>'
    "<body><article><h1>Levy raised</h1><p>Brussels set a levy of \u20ac5 million on the "
    "caf\u00e9 sector, about 12% of turnover.</p></article></body></html>"
).encode("cp1252")

BAD = {
    "empty-pdf": ("/bad/empty.pdf", b"", "application/pdf", "report"),
    "truncated-pdf": ("/bad/truncated.pdf", KOREA_PDF[: len(KOREA_PDF) // 2], "application/pdf", "report"),
    "encrypted-pdf": ("/bad/encrypted.pdf", build_pdf([[("line", "Secret text of 5 percent.")]], encrypt=("owner", "user")),
                      "application/pdf", "report"),
    "scanned-pdf": ("/bad/scanned.pdf", build_image_only_pdf(), "application/pdf", "report"),
    "no-article": ("/bad/no-article.html", b"<html><body><nav>Home | News</nav><footer>(c) 2025</footer></body></html>",
                   "text/html", "news"),
    "binary-as-html": ("/bad/binary.html", bytes(range(256)) * 8, "text/html", "news"),
    "html-for-pdf": ("/bad/error-page.pdf", b"<!doctype html><html><body><h1>Not found</h1></body></html>",
                     "text/html", "report"),
    "missing": ("/bad/missing.pdf", None, None, "report"),
}
EXPECTED_PROBLEM = {
    "empty-pdf": "empty", "truncated-pdf": "truncated", "encrypted-pdf": "encrypted",
    "scanned-pdf": "text layer", "no-article": "no article", "binary-as-html": "binary",
    "html-for-pdf": "expected a PDF", "missing": "404",
}


def write_registry(path, entries):
    lines = [FETCH_ALLOW_LOCAL_SERVERS]
    for key, url, kind in entries:
        lines += ["[[source]]", f'id = "{key}"', f'kind = "{kind}"', f'url = "{url}"', ""]
    path.write_text("\n".join(lines), "utf-8")


@pytest.fixture(scope="module")
def served(make_httpserver, tmp_path_factory):
    """One run over the served registry, shared by the tests of this module (the last
    two change the served content, so they come last)."""
    httpserver = make_httpserver
    httpserver.clear()
    tmp_path = tmp_path_factory.mktemp("http-run")
    httpserver.expect_request("/reports/korea.pdf").respond_with_data(KOREA_PDF, content_type="application/octet-stream")
    httpserver.expect_request("/news/seoul.html").respond_with_data(NEWS_HTML, content_type="text/html; charset=utf-8")
    httpserver.expect_request("/news/levy.html").respond_with_data(CP1252_HTML, content_type="text/html")
    entries = [("korea", httpserver.url_for("/reports/korea.pdf"), "report"),
               ("seoul", httpserver.url_for("/news/seoul.html"), "news"),
               ("levy", httpserver.url_for("/news/levy.html"), "news")]
    for key, (path, body, ctype, kind) in BAD.items():
        if body is not None:
            httpserver.expect_request(path).respond_with_data(body, content_type=ctype)
        else:
            httpserver.expect_request(path).respond_with_data("gone", status=404)
        entries.append((key, httpserver.url_for(path), kind))
    registry = tmp_path / "registry.toml"
    write_registry(registry, entries)
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    result = materialize_registry(settings, dg.DagsterInstance.ephemeral())
    con = duckdb.connect(settings.warehouse_path, read_only=True)
    state = {"result": result, "con": con, "settings": settings, "server": httpserver}
    yield state
    state["con"].close()
    httpserver.clear()


def test_good_documents_load_over_http(served):
    assert served["result"].success
    loaded = {k for (k,) in served["con"].execute("SELECT doc_key FROM documents").fetchall()}
    assert loaded == {"korea", "seoul", "levy"}


def test_a_pdf_served_as_octet_stream_is_parsed_as_pdf(served):
    media, pages = served["con"].execute("SELECT media_type, pages FROM documents WHERE doc_key = 'korea'").fetchall()[0]
    assert media == "pdf" and pages >= 2


def test_non_utf8_html_is_decoded_by_its_charset(served):
    texts = {t for (t,) in served["con"].execute("SELECT text FROM claims WHERE doc_key = 'levy'").fetchall()}
    assert "€5 million" in texts and "12%" in texts


def test_news_published_date_becomes_the_document_date(served):
    (published,), = served["con"].execute("SELECT published FROM documents WHERE doc_key = 'levy'").fetchall()
    assert str(published) == "2025-06-02"


@pytest.mark.parametrize("key", sorted(BAD))
def test_each_bad_document_has_a_clear_recorded_error(served, key):
    rows = served["con"].execute("SELECT stage, message, url FROM errors WHERE doc_key = ?", [key]).fetchall()
    assert len(rows) == 1, f"{key}: {rows}"
    stage, message, url = rows[0]
    assert BAD[key][0] in message or BAD[key][0].rsplit("/", 1)[-1] in message, message
    assert EXPECTED_PROBLEM[key].lower() in message.lower(), message


def test_fetch_log_is_in_the_warehouse(served):
    rows = served["con"].execute("SELECT doc_key, status, ok, sha256 FROM fetches ORDER BY doc_key").fetchall()
    by_key = {r[0]: r for r in rows}
    assert by_key["korea"][1:3] == (200, True) and len(by_key["korea"][3]) == 64
    assert by_key["missing"][1:3] == (404, False)


def test_unchanged_second_run_adds_no_version(served):
    settings = served["settings"]
    served["con"].close()
    again = materialize_registry(settings, dg.DagsterInstance.ephemeral())
    assert again.success
    con = duckdb.connect(settings.warehouse_path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(3,)]
        assert con.execute("SELECT count(*) FROM errors WHERE doc_key = 'korea'").fetchall() == [(0,)]
    finally:
        con.close()
    served["con"] = duckdb.connect(settings.warehouse_path, read_only=True)


def test_changed_content_at_a_url_is_a_new_version(served):
    settings, server = served["settings"], served["server"]
    served["con"].close()
    server.clear()
    changed = CP1252_HTML.replace(b"12%", b"15%")
    server.expect_request("/news/levy.html").respond_with_data(changed, content_type="text/html")
    result = materialize_registry(settings, dg.DagsterInstance.ephemeral(), keys=["levy"])
    assert result.success
    con = duckdb.connect(settings.warehouse_path, read_only=True)
    try:
        versions = con.execute("SELECT version FROM documents WHERE doc_key = 'levy' ORDER BY version").fetchall()
        latest = {t for (t,) in con.execute("SELECT text FROM latest_claims WHERE doc_key = 'levy'").fetchall()}
    finally:
        con.close()
    assert versions == [(1,), (2,)]
    assert "15%" in latest and "12%" not in latest
    served["con"] = duckdb.connect(settings.warehouse_path, read_only=True)


def test_same_news_content_at_two_urls_is_stored_and_counted_once(make_httpserver, tmp_path):
    server = make_httpserver
    server.clear()
    server.expect_request("/a/story.html").respond_with_data(CP1252_HTML, content_type="text/html")
    server.expect_request("/b/mirror.html").respond_with_data(CP1252_HTML, content_type="text/html")
    registry = tmp_path / "registry.toml"
    write_registry(registry, [("story", server.url_for("/a/story.html"), "news"),
                              ("mirror", server.url_for("/b/mirror.html"), "news")])
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    assert materialize_registry(settings, dg.DagsterInstance.ephemeral()).success
    blobs = [p for p in (tmp_path / "data" / "raw").rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(blobs) == 1  # stored once
    con = duckdb.connect(settings.warehouse_path, read_only=True)
    try:
        rows = con.execute("SELECT doc_key, sources FROM same_content ORDER BY doc_key").fetchall()
        stored = dict(con.execute("SELECT doc_key, count(*) FROM claims GROUP BY 1").fetchall())
        counted = dict(con.execute("SELECT doc_key, count(*) FROM latest_claims GROUP BY 1").fetchall())
    finally:
        con.close()
    server.clear()
    assert rows == [("mirror", 2), ("story", 2)]
    # a news article under two URLs keeps its claims under both, and counts them once
    assert stored == {"mirror": 2, "story": 2}
    assert counted == {"mirror": 2}
