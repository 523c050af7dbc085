"""The asset graph materialized in-process into a temporary DuckDB file."""
from __future__ import annotations

import duckdb

from pipelines.runner import materialize_registry


def rows(path, sql):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_run_succeeds_and_loads_every_demo_document(demo_run):
    assert demo_run["result"].success
    docs = dict(rows(demo_run["warehouse"], "SELECT doc_type, count(*) FROM latest_documents GROUP BY 1"))
    assert docs == {"report": 4, "news": 6}
    assert rows(demo_run["warehouse"], "SELECT count(*) FROM errors") == [(0,)]


def test_all_four_kinds_are_loaded(demo_run):
    kinds = {k for (k,) in rows(demo_run["warehouse"], "SELECT DISTINCT kind FROM claims")}
    assert kinds == {"money", "percent", "date", "period"}


def test_offset_claims_view_holds_the_seed_facts(demo_run):
    found = rows(demo_run["warehouse"],
                 "SELECT country, text, value_num, unit, qualifier, period FROM offset_claims "
                 "WHERE document_id LIKE 'nte-2025-korea@%'")
    assert ("KOR", "$8 billion", 8e9, "USD", "approx", "2011/2015") in found
    assert ("KOR", "$800 million", 8e8, "USD", "approx", "2016/2020") in found
    assert ("KOR", "30 percent", 30.0, "percent", "exact", None) in found
    assert ("KOR", "50 percent", 50.0, "percent", "exact", None) in found


def test_report_claims_carry_page_chapter_and_section(demo_run):
    (page, chapter, section), = rows(
        demo_run["warehouse"],
        "SELECT page, chapter, section FROM claims WHERE doc_key = 'nte-2025-korea' AND text = '$800 million'")
    assert page >= 1
    assert chapter == "Republic of Korea"
    assert section.endswith("Defense Offsets")


def test_claim_text_matches_the_staged_document_text(demo_run):
    from pipelines.steps import document_from_json, read_json

    staging = demo_run["settings"].staging()
    for key, sha, text, start, end in rows(
        demo_run["warehouse"],
        "SELECT c.doc_key, d.sha256, c.text, c.start_offset, c.end_offset FROM claims c JOIN documents d USING (document_id)"):
        doc = document_from_json(read_json(staging.text(sha)))
        assert doc.text[start:end] == text, key


def test_second_run_changes_no_count(demo_run):
    query = ("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims),"
             " (SELECT count(*) FROM errors)")
    before = rows(demo_run["warehouse"], query)
    again = materialize_registry(demo_run["settings"], demo_run["instance"])
    assert again.success
    assert rows(demo_run["warehouse"], query) == before


def test_materializations_are_recorded_per_partition(demo_run):
    import dagster as dg

    done = demo_run["instance"].get_materialized_partitions(dg.AssetKey("warehouse_claims"))
    assert "nte-2025-korea" in done and "news-2025-11-03-seoul-korea-offsets" in done
