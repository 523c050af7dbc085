"""One news article at two URLs (syndication, a mirror) is counted once in every view and in export."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from tests.test_warehouse import claim
from warehouse import store
from warehouse.query import export_claims

ARTICLE_SHA = "e" * 64
REPORT = {"doc_key": "nte-kor", "sha256": "a" * 64, "doc_type": "report", "title": "NTE Korea",
          "report_year": 2025, "source_url": "file:///nte.pdf"}


def article(key: str, url: str) -> dict:
    return {"doc_key": key, "sha256": ARTICLE_SHA, "doc_type": "news", "title": "Korea offsets",
            "published": "2025-04-02", "source_url": url}


NEWS_CLAIMS = [claim(0, "30%", kind="percent", value=30, unit="percent"), claim(40, "$8 billion", value=8e9)]
REPORT_CLAIMS = [claim(0, "30%", kind="percent", value=30, unit="percent"), claim(50, "$8 billion", value=8e9)]


@pytest.fixture
def syndicated(tmp_path):
    """A warehouse file holding one report and one article loaded from two sources."""
    path = tmp_path / "warehouse.duckdb"
    con = store.connect(path)
    store.write_document(con, REPORT, REPORT_CLAIMS, "v1")
    store.write_document(con, article("news-wire", "https://wire.example.test/a"), NEWS_CLAIMS, "v1")
    store.write_document(con, article("news-mirror", "https://mirror.example.test/a"), NEWS_CLAIMS, "v1")
    yield con, path
    con.close()


# Each view and the number of rows the two-source article may contribute to it: its claims once.
VIEWS = {
    "latest_claims": "SELECT count(*) FROM latest_claims WHERE document_id LIKE 'news-%'",
    "claims_with_documents": "SELECT count(*) FROM claims_with_documents WHERE doc_type = 'news'",
    "offset_claims": "SELECT count(*) FROM offset_claims WHERE doc_type = 'news'",
    "claims_by_country_year": "SELECT sum(claims) FROM claims_by_country_year WHERE doc_type = 'news'",
    # Each news claim pairs with the one report claim of its kind and unit.
    "report_vs_news": "SELECT count(*) FROM report_vs_news",
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_a_syndicated_article_counts_once_in_every_view(syndicated, view):
    con, _ = syndicated
    assert con.execute("SELECT count(*) FROM claims WHERE doc_key LIKE 'news-%'").fetchone()[0] == 4  # both kept
    assert con.execute(VIEWS[view]).fetchone()[0] == len(NEWS_CLAIMS)


def test_the_article_counts_under_its_first_source_and_same_content_lists_both(syndicated):
    con, _ = syndicated
    keys = {k for (k,) in con.execute("SELECT DISTINCT doc_key FROM claims_with_documents WHERE doc_type = 'news'").fetchall()}
    assert keys == {"news-mirror"}  # the first by doc_key
    assert con.execute("SELECT count(*) FROM same_content").fetchone()[0] == 2
    assert con.execute("SELECT count(DISTINCT documents) FROM claims_by_country_year WHERE doc_type = 'news'"
                       ).fetchone()[0] == 1
    assert con.execute("SELECT max(documents) FROM claims_by_country_year WHERE doc_type = 'news'").fetchone()[0] == 1


def test_export_writes_a_syndicated_article_once(syndicated, tmp_path):
    con, path = syndicated
    con.close()
    out = tmp_path / "claims.parquet"
    assert export_claims(path, out, where="doc_type = 'news'") == len(NEWS_CLAIMS)
    assert pq.read_table(out).num_rows == len(NEWS_CLAIMS)
