"""The DuckDB warehouse: migrations, idempotent and atomic loading, pages and sections, views."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import duckdb
import pyarrow as pa
import pytest

from warehouse import migrate as migrate_module, store

NEWEST = migrate_module.migrations()[-1][0]


def claim(start: int, text: str = "$10 million", kind: str = "money", **extra) -> dict:
    data = {"source": "demo.pdf", "kind": kind, "text": text, "start": start, "end": start + len(text),
            "page": 1, "sentence": f"The offset threshold is {text}.", "value": 10_000_000, "low": None,
            "high": None, "unit": "USD", "qualifier": "exact", "qualifier_text": None, "topic": "offset",
            "subject": "KOR", "condition": None, "period": None, "rule": "money.currency_amount",
            "chapter": "Republic of Korea", "section": "Defense Offsets"}
    data.update(extra)
    return data


DOC = {"doc_key": "nte-kor", "sha256": "a" * 64, "doc_type": "report", "source_url": "file:///nte.pdf",
       "title": "NTE Korea", "publisher": "USTR", "report_year": 2025, "media_type": "pdf", "pages": 2,
       "chars": 200}
PAGES = [{"number": 1, "start": 0, "end": 100}, {"number": 2, "start": 101, "end": 200}]
SECTIONS = [{"start": 0, "end": 20, "chapter": "Republic of Korea", "section": None},
            {"start": 21, "end": 150, "chapter": "Republic of Korea", "section": "Defense Offsets"}]


def counts(con) -> tuple:
    return con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM claims),"
        " (SELECT count(*) FROM pages), (SELECT count(*) FROM sections)").fetchall()[0]


# --- migrations -------------------------------------------------------------------------------

def test_migrations_are_numbered_from_001_and_001_is_the_first_schema():
    found = migrate_module.migrations()
    numbers = [number for number, _, _ in found]
    assert numbers == sorted(set(numbers)) and numbers[0] == 1  # numbers are reserved per change: gaps are fine
    assert found[0][1] == "001_initial.sql"
    assert NEWEST >= 2


def test_a_fresh_warehouse_is_at_the_newest_version(db):
    assert migrate_module.current_version(db) == NEWEST
    tables = {t for (t,) in db.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "claims", "pages", "sections", "fetches", "errors", "runs", "schema_version",
            "latest_documents", "latest_claims", "offset_claims", "claims_with_documents",
            "claims_by_country_year", "report_vs_news"} <= tables


def test_a_migration_that_lands_after_a_higher_one_is_still_applied(tmp_path, monkeypatch):
    # Two independent migrations above the real ones: the higher lands (and is applied) first.
    # (The real ones may depend on each other, 009 on 007, so they are not reordered here.)
    path = tmp_path / "out-of-order.duckdb"
    everything = migrate_module.migrations()
    early, late = NEWEST + 1, NEWEST + 2
    higher = (late, f"{late:03d}_later.sql", "CREATE TABLE landed_first (x INTEGER)")
    lower = (early, f"{early:03d}_earlier.sql", "CREATE TABLE landed_second (x INTEGER)")
    monkeypatch.setattr(migrate_module, "migrations", lambda: [*everything, higher])
    con = duckdb.connect(str(path))
    assert migrate_module.migrate(con) == late
    monkeypatch.setattr(migrate_module, "migrations", lambda: [*everything, lower, higher])
    assert migrate_module.migrate(con) == late
    applied = [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert applied == [number for number, _, _ in everything] + [early, late]
    assert {"landed_first", "landed_second"} <= tables


def test_a_warehouse_built_by_001_is_upgraded_without_losing_data(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    first = migrate_module.migrations()[:1]
    monkeypatch.setattr(migrate_module, "migrations", lambda: first)
    con = duckdb.connect(str(path))
    assert migrate_module.migrate(con) == 1
    # What the first release's loader wrote: a document and its claims, no pages table yet.
    assert "pages" not in {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    con.execute("INSERT INTO documents (document_id, doc_key, version, sha256, doc_type, title, report_year,"
                " loaded_at) VALUES ('nte-kor@aaaa', 'nte-kor', 1, 'aaaa', 'report', 'NTE Korea', 2025, now())")
    con.execute("INSERT INTO claims (claim_id, document_id, doc_key, kind, text, start_offset, end_offset, value,"
                " value_num, unit, qualifier, topic, subject, rule, extractor_version) VALUES"
                " ('c1', 'nte-kor@aaaa', 'nte-kor', 'money', '$8 billion', 10, 20, '8000000000', 8e9, 'USD',"
                "  'approx', 'offset', 'KOR', 'money.currency_amount', 'v1'),"
                " ('c2', 'nte-kor@aaaa', 'nte-kor', 'percent', '30 percent', 30, 40, '30', 30, 'percent',"
                "  'exact', 'offset', 'KOR', 'percent.number_percent', 'v1')")
    con.execute("INSERT INTO errors VALUES ('x', NULL, 'fetch', 'x: HTTP 404', now(), 'r0')")
    con.close()
    monkeypatch.undo()

    con = store.connect(path)
    try:
        assert migrate_module.current_version(con) == NEWEST
        assert [v for (v,) in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] \
            == [number for number, _, _ in migrate_module.migrations()]
        assert con.execute("SELECT claim_id, text, value_num FROM claims ORDER BY 1").fetchall() == [
            ("c1", "$8 billion", 8e9), ("c2", "30 percent", 30.0)]
        assert con.execute("SELECT title FROM latest_documents").fetchall() == [("NTE Korea",)]
        assert con.execute("SELECT count(*) FROM errors").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM pages").fetchall() == [(0,)]
        # the new views work over the old rows
        assert con.execute("SELECT country, year, claims FROM claims_by_country_year WHERE kind = 'money'"
                           ).fetchall() == [("KOR", 2025, 1)]
        # and the upgraded file takes new loads
        store.write_document(con, DOC, [claim(5)], "v2", pages=PAGES, sections=SECTIONS)
        assert counts(con) == (2, 3, 2, 2)
    finally:
        con.close()
    # opening it again applies nothing twice
    con = store.connect(path)
    assert migrate_module.current_version(con) == NEWEST
    assert counts(con) == (2, 3, 2, 2)
    con.close()


# --- loading ----------------------------------------------------------------------------------

def test_write_document_writes_pages_and_sections(db):
    doc_id = store.write_document(db, DOC, [claim(30), claim(120)], "v1", "run-1", pages=PAGES, sections=SECTIONS)
    assert db.execute("SELECT page, start_offset, end_offset FROM pages WHERE document_id = ? ORDER BY page",
                      [doc_id]).fetchall() == [(1, 0, 100), (2, 101, 200)]
    assert db.execute("SELECT section_no, chapter, section, start_offset, end_offset, page, end_page FROM sections"
                      " ORDER BY section_no").fetchall() == [
        (0, "Republic of Korea", None, 0, 20, 1, 1),
        (1, "Republic of Korea", "Defense Offsets", 21, 150, 1, 2)]


def test_pages_and_sections_can_come_with_the_document_row(db):
    store.write_document(db, {**DOC, "page_spans": PAGES, "section_spans": SECTIONS}, [claim(30)], "v1")
    assert counts(db) == (1, 1, 2, 2)


def test_loading_twice_makes_no_duplicates(db):
    for _ in range(2):
        store.write_document(db, DOC, [claim(30), claim(120)], "v1", pages=PAGES, sections=SECTIONS)
    assert counts(db) == (1, 2, 2, 2)
    assert db.execute("SELECT version FROM documents").fetchall() == [(1,)]


def test_a_new_version_of_a_document_is_kept_beside_the_old(db):
    store.write_document(db, DOC, [claim(30)], "v1", pages=PAGES)
    store.write_document(db, {**DOC, "sha256": "b" * 64}, [claim(30), claim(60)], "v1", pages=PAGES)
    assert db.execute("SELECT version FROM documents ORDER BY 1").fetchall() == [(1,), (2,)]
    assert db.execute("SELECT count(*) FROM latest_claims").fetchall() == [(2,)]
    assert db.execute("SELECT count(*) FROM pages").fetchall() == [(4,)]


def test_a_failure_after_the_delete_leaves_the_previous_load_intact(db, monkeypatch):
    store.write_document(db, DOC, [claim(30), claim(120)], "v1", pages=PAGES, sections=SECTIONS)
    before = db.execute("SELECT * FROM claims ORDER BY claim_id").fetchall()
    real_insert = store._insert

    def insert_then_fail(con, target, table):
        real_insert(con, target, table)  # claims went in (after the delete) ...
        if target == "pages":
            raise RuntimeError("disk full")  # ... and then the load breaks

    monkeypatch.setattr(store, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.write_document(db, DOC, [claim(30, "$20 million")], "v2", pages=PAGES, sections=SECTIONS)
    monkeypatch.undo()
    assert db.execute("SELECT * FROM claims ORDER BY claim_id").fetchall() == before
    assert counts(db) == (1, 2, 2, 2)
    # the connection is usable again
    store.write_document(db, DOC, [claim(30)], "v3", pages=PAGES, sections=SECTIONS)
    assert counts(db) == (1, 1, 2, 2)


def test_a_claim_violating_not_null_leaves_the_previous_load_intact(db):
    store.write_document(db, DOC, [claim(30), claim(120)], "v1", pages=PAGES, sections=SECTIONS)
    with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
        store.write_document(db, DOC, [claim(30), claim(60, rule=None)], "v2", pages=PAGES)
    assert counts(db) == (1, 2, 2, 2)
    assert {v for (v,) in db.execute("SELECT extractor_version FROM claims").fetchall()} == {"v1"}
    # a broken new version does not hide the old one either
    with pytest.raises(duckdb.ConstraintException):
        store.write_document(db, {**DOC, "sha256": "c" * 64}, [claim(30, rule=None)], "v2")
    assert db.execute("SELECT count(*), min(version) FROM latest_documents").fetchall() == [(1, 1)]


KILL_WORKER = textwrap.dedent("""
    import sys
    from warehouse import store
    path, count, claims_per_doc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    con = store.connect(path, wait_seconds=10)
    pages = [{"number": n, "start": n * 1000, "end": n * 1000 + 999} for n in range(1, 6)]
    for i in range(count):
        doc = {"doc_key": f"doc-{i:04d}", "sha256": f"{i:064x}", "doc_type": "report", "title": f"doc {i}"}
        claims = [{"source": "s", "kind": "money", "text": "$1", "start": j * 10, "end": j * 10 + 2,
                   "page": 1, "sentence": "x " * 40, "value": j, "unit": "USD", "qualifier": "exact",
                   "topic": "offset", "subject": "KOR", "rule": "r"} for j in range(claims_per_doc)]
        store.write_document(con, doc, claims, "v1", "kill-test", pages=pages)
        print(i, flush=True)
    con.close()
    print("done", flush=True)
""")


def test_sigkill_during_loads_leaves_a_warehouse_that_opens_and_a_rerun_completes(tmp_path):
    path = tmp_path / "killed.duckdb"
    docs, per_doc = 400, 1500
    worker = subprocess.Popen([sys.executable, "-c", KILL_WORKER, str(path), str(docs), str(per_doc)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        loaded = 0
        deadline = time.monotonic() + 120
        while loaded < 5 and time.monotonic() < deadline:
            line = worker.stdout.readline()
            assert line, worker.stderr.read()
            loaded = int(line) + 1
        assert loaded >= 5
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    con = store.connect(path)  # replays or discards the write-ahead log; the lock is free again
    try:
        per_document = con.execute(
            "SELECT d.document_id, count(c.claim_id), (SELECT count(*) FROM pages p WHERE p.document_id = d.document_id)"
            " FROM documents d LEFT JOIN claims c USING (document_id) GROUP BY 1").fetchall()
        assert len(per_document) >= loaded  # every load reported as done survived the kill
        # every document that is there is there whole: no half-loaded document
        assert all(n == per_doc and p == 5 for _, n, p in per_document), per_document[:3]
        assert con.execute("SELECT count(*) FROM claims WHERE document_id NOT IN"
                           " (SELECT document_id FROM documents)").fetchall() == [(0,)]
    finally:
        con.close()

    rerun = subprocess.run([sys.executable, "-c", KILL_WORKER, str(path), "40", str(per_doc)],
                           capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.splitlines()[-1] == "done"
    con = store.connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents WHERE doc_key < 'doc-0040'").fetchall() == [(40,)]
        assert con.execute("SELECT count(*) FROM claims WHERE doc_key < 'doc-0040'").fetchall() == [(40 * per_doc,)]
        assert con.execute("SELECT max(version) FROM documents").fetchall() == [(1,)]
    finally:
        con.close()


# --- the bulk path ----------------------------------------------------------------------------

def bulk_tables(n_docs: int, per_doc: int, sha: str = "s") -> tuple[pa.Table, pa.Table]:
    ids = [f"d{i}@{sha}" for i in range(n_docs)]
    documents = pa.table({"document_id": ids, "doc_key": [f"d{i}" for i in range(n_docs)],
                          "sha256": [f"{sha}{i}" for i in range(n_docs)], "doc_type": ["report"] * n_docs})
    rows = [(doc_id, f"d{i}", j) for i, doc_id in enumerate(ids) for j in range(per_doc)]
    claims = pa.table({
        "claim_id": [f"{d}:{j}" for d, _, j in rows], "document_id": [d for d, _, _ in rows],
        "doc_key": [k for _, k, _ in rows], "kind": ["percent"] * len(rows), "text": ["5%"] * len(rows),
        "start_offset": pa.array([j for _, _, j in rows], pa.int32()),
        "end_offset": pa.array([j + 2 for _, _, j in rows], pa.int32()),
        "qualifier": ["exact"] * len(rows), "rule": ["r"] * len(rows), "extractor_version": ["v"] * len(rows),
    })
    return documents, claims


def test_bulk_load_is_idempotent_and_versions_documents(db, tmp_path):
    documents, claims = bulk_tables(3, 4)
    assert store.load_bulk(db, documents, claims) == 12
    assert store.load_bulk(db, documents, claims) == 12
    assert counts(db)[:2] == (3, 12)
    assert db.execute("SELECT DISTINCT version FROM documents").fetchall() == [(1,)]
    # a new version of the same documents, from a Parquet file
    import pyarrow.parquet as pq

    documents2, claims2 = bulk_tables(3, 2, sha="t")
    pq.write_table(claims2, tmp_path / "claims.parquet")
    assert store.load_bulk(db, documents2, str(tmp_path / "claims.parquet")) == 6
    assert db.execute("SELECT DISTINCT version FROM latest_documents").fetchall() == [(2,)]
    assert db.execute("SELECT count(*) FROM latest_claims").fetchall() == [(6,)]


def test_bulk_load_refuses_claims_without_their_document_and_changes_nothing(db):
    documents, claims = bulk_tables(2, 3)
    store.load_bulk(db, documents, claims)
    _, stray = bulk_tables(3, 3)
    with pytest.raises(ValueError, match="belong to no document"):
        store.load_bulk(db, documents, stray)
    assert counts(db)[:2] == (2, 6)


# --- the demo warehouse: pages, sections and the analyst views ---------------------------------

def demo_rows(demo_run, sql):
    con = store.connect(demo_run["warehouse"], read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_demo_pages_and_sections_match_the_staged_text(demo_run):
    from pipelines.steps import document_from_json, read_json

    staging = demo_run["settings"].staging()
    by_doc = demo_rows(demo_run, "SELECT d.doc_type, d.sha256, d.pages, count(p.page) FROM latest_documents d"
                                 " LEFT JOIN pages p USING (document_id) GROUP BY ALL")
    for doc_type, sha, page_count, loaded in by_doc:
        doc = document_from_json(read_json(staging.text(sha)))
        assert loaded == len(doc.pages) == (page_count or 0)
        assert (loaded > 0) == (doc_type == "report")
    (section,) = demo_rows(demo_run, "SELECT s.chapter, s.section, s.page FROM sections s JOIN latest_documents d"
                                     " USING (document_id) WHERE d.doc_key = 'nte-2025-korea'"
                                     " AND s.section LIKE '%Defense Offsets'")
    assert section[0] == "Republic of Korea" and section[2] >= 1
    # every report claim falls in a section with its chapter and section, and on its page
    mismatches = demo_rows(demo_run, """
        SELECT c.claim_id FROM latest_claims c JOIN latest_documents d USING (document_id)
        WHERE d.doc_type = 'report' AND (NOT EXISTS (
            SELECT 1 FROM sections s WHERE s.document_id = c.document_id
              AND c.start_offset >= s.start_offset AND c.start_offset < s.end_offset
              AND s.chapter IS NOT DISTINCT FROM c.chapter AND s.section IS NOT DISTINCT FROM c.section)
          OR NOT EXISTS (SELECT 1 FROM pages p WHERE p.document_id = c.document_id AND p.page = c.page))""")
    assert mismatches == []


def test_report_vs_news_puts_the_korea_offset_figures_side_by_side(demo_run):
    pairs = demo_rows(demo_run, "SELECT report_text, news_text, report_period, news_period, same_value, news_url"
                                " FROM report_vs_news WHERE subject = 'KOR' AND topic = 'offset' AND kind = 'money'")
    assert ("$8 billion", "$8 billion", "2011/2015", "2011/2015", True) in [p[:5] for p in pairs]
    assert pairs and all(p[5] for p in pairs)  # the news article to read
    assert not any(p[0] == "$8 billion" and p[1] == "$800 million" and p[4] for p in pairs)
    kinds = demo_rows(demo_run, "SELECT DISTINCT r.doc_type, n.doc_type FROM report_vs_news v"
                                " JOIN claims_with_documents r ON r.claim_id = v.report_claim_id"
                                " JOIN claims_with_documents n ON n.claim_id = v.news_claim_id")
    assert kinds == [("report", "news")]


def test_claims_by_country_year_counts_add_up(demo_run):
    total = demo_rows(demo_run, "SELECT sum(claims) FROM claims_by_country_year")[0][0]
    assert total == demo_rows(demo_run, "SELECT count(*) FROM latest_claims WHERE subject IS NOT NULL")[0][0]
    years = {y for (y,) in demo_rows(demo_run, "SELECT DISTINCT year FROM claims_by_country_year")}
    assert years == {2024, 2025, 2026}


def doc_row(key: str, sha_char: str) -> dict:
    return {"doc_key": key, "sha256": sha_char * 64, "doc_type": "news"}


def test_content_that_comes_back_becomes_the_newest_version_again(db):
    for sha_char, text in (("a", "$1 million"), ("b", "$2 million"), ("a", "$1 million")):
        store.write_document(db, doc_row("story", sha_char), [claim(0, text)], "v1")
    latest = db.execute("SELECT sha256, version FROM latest_documents").fetchall()
    assert latest == [("a" * 64, 3)]
    assert db.execute("SELECT text FROM latest_claims").fetchall() == [("$1 million",)]
    assert store.is_loaded(db, store.document_id("story", "a" * 64), "v1")
    assert not store.is_loaded(db, store.document_id("story", "b" * 64), "v1")


def test_a_document_without_claims_is_reloaded_by_new_rules(db):
    doc_id = store.write_document(db, doc_row("empty", "c"), [], "old-rules")
    assert store.is_loaded(db, doc_id, "old-rules")
    assert not store.is_loaded(db, doc_id, "new-rules")


def test_bulk_load_numbers_versions_after_what_is_loaded(db):
    store.write_document(db, doc_row("s", "1"), [claim(0)], "v1")
    store.write_documents(db, [(doc_row("s", "1"), [claim(0)]), (doc_row("t", "2"), [claim(0)])], "v1")
    versions = dict(db.execute("SELECT doc_key, version FROM documents").fetchall())
    assert versions == {"s": 1, "t": 1}
    store.write_documents(db, [(doc_row("s", "3"), [claim(0)])], "v1")
    assert db.execute("SELECT sha256 FROM latest_documents WHERE doc_key = 's'").fetchall() == [("3" * 64,)]


def test_a_bulk_load_derives_each_documents_measures_as_a_load_of_it_alone(tmp_path):
    # Same chapters, subjects and measures in both documents: chapter subjects and key
    # occurrences are counted per document, whether the documents load together or apart.
    def claims(shift: int) -> list[dict]:
        return [claim(shift), claim(shift + 40, subject="JPN"), claim(shift + 80, subject="JPN"),
                claim(shift + 120, "12 percent", kind="percent", unit="percent", value=12),
                claim(shift + 160, chapter="Japan", subject="JPN")]

    items = [(doc_row("s", "1"), claims(0)), (doc_row("t", "2"), claims(7)), (doc_row("u", "3"), [])]
    together, apart = (store.connect(tmp_path / name) for name in ("together.duckdb", "apart.duckdb"))
    store.write_documents(together, items, "v1")
    for doc, doc_claims in items:
        store.write_document(apart, doc, doc_claims, "v1")
    sql = ("SELECT claim_id, claim_frame, condition_frame, measure_terms, measure_bits, claim_key, chapter_subject,"
           " key_occurrence FROM claims ORDER BY claim_id")
    rows = together.execute(sql).fetchall()
    assert len(rows) == 10 and {row[6] for row in rows} == {"JPN"}
    assert max(row[7] or 0 for row in rows) > 1  # a measure stated twice in one document
    assert rows == apart.execute(sql).fetchall()
