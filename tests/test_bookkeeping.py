"""Counts that say what the README says (issue 16.2 and 16.4).

* a failing source is fetched once per ``tradeclaims run``, not once per pass;
* ``errors`` keeps one row per failing document (first_seen, last_seen, attempts);
* ``runs.started_at`` is when the run started, before ``finished_at``;
* identical content held by several sources counts once in ``latest_claims``, reports as news.
"""
from __future__ import annotations

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.resources import TradeclaimsConfig
from pipelines.runner import materialize_registry
from tests.conftest import FETCH_ALLOW_LOCAL_SERVERS, ROOT
from warehouse import migrate as migrate_module, store

KOREA_PDF = ROOT / "corpus" / "demo" / "reports" / "nte-2025-korea.pdf"
NEWS_PAGE = next((ROOT / "corpus" / "demo" / "news").glob("*seoul*.html"))


def rows(warehouse, sql, params=()):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def two_runs(make_httpserver, tmp_path_factory):
    """A registry with a good local report and a source that answers 404, run twice."""
    server = make_httpserver
    server.clear()
    server.expect_request("/gone.html").respond_with_data("gone", status=404)
    tmp = tmp_path_factory.mktemp("bookkeeping")
    shutil.copy(KOREA_PDF, tmp / KOREA_PDF.name)  # local sources live beside the registry
    registry = tmp / "registry.toml"
    registry.write_text(FETCH_ALLOW_LOCAL_SERVERS
                        + f'[[source]]\nid = "korea"\nkind = "report"\npath = "{KOREA_PDF.name}"\n\n'
                        + f'[[source]]\nid = "gone"\nkind = "news"\nurl = "{server.url_for("/gone.html")}"\n')
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp / "data"),
                                 warehouse_path=str(tmp / "data" / "warehouse.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    hits = []
    runs = []
    for _ in range(2):
        runs.append(materialize_registry(settings, instance, log_level="WARNING"))
        hits.append(sum(1 for request, _ in server.log if request.path == "/gone.html"))
    return {"runs": runs, "hits": hits, "warehouse": settings.warehouse_path}


def test_a_failing_source_is_fetched_once_per_run(two_runs):
    assert all(run.success for run in two_runs["runs"])
    assert two_runs["hits"] == [1, 2]  # the snapshot's fetch; the document steps reuse it


def test_errors_keep_one_row_per_failing_document(two_runs):
    (doc_key, stage, attempts, run_id, first, last), = rows(
        two_runs["warehouse"], "SELECT doc_key, stage, attempts, run_id, first_seen, last_seen FROM errors")
    assert (doc_key, stage, attempts) == ("gone", "fetch", 2)
    assert run_id == two_runs["runs"][1].run_id and first < last


def test_each_run_records_its_start_before_its_end(two_runs):
    recorded = rows(two_runs["warehouse"], "SELECT run_id, started_at, finished_at, errors FROM runs ORDER BY started_at")
    assert [r[0] for r in recorded] == [run.run_id for run in two_runs["runs"]]
    assert all(started < finished for _, started, finished, _ in recorded)
    assert [errors for *_, errors in recorded] == [1, 1]  # the one failing document, each run


def test_a_document_that_loads_again_clears_its_row(db):
    store.record_error(db, "fetch", "a: HTTP 503", "a", "http://x/a", "run-1")
    store.record_error(db, "fetch", "a: HTTP 503", "a", "http://x/a", "run-1")  # same run: no new attempt
    store.record_error(db, "parse", "a: damaged PDF", "a", "http://x/a", "run-2")
    assert db.execute("SELECT stage, message, attempts, run_id FROM errors").fetchall() == [
        ("parse", "a: damaged PDF", 2, "run-2")]
    store.clear_errors(db, "a")
    assert db.execute("SELECT count(*) FROM errors").fetchall() == [(0,)]


def test_migration_006_folds_the_old_rows_per_document(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    before = [m for m in migrate_module.migrations() if m[0] < 6]
    monkeypatch.setattr(migrate_module, "migrations", lambda: before)
    con = duckdb.connect(str(path))
    migrate_module.migrate(con)
    for day, run in ((1, "r1"), (2, "r2"), (3, "r3")):
        con.execute(f"INSERT INTO errors VALUES ('gone', 'http://x/gone', 'fetch', 'gone: HTTP 404', "
                    f"TIMESTAMP '2025-01-0{day} 06:00:00', '{run}')")
    con.execute("INSERT INTO errors VALUES ('other', NULL, 'parse', 'other: empty file', "
                "TIMESTAMP '2025-01-02 06:00:00', 'r2')")
    con.close()
    monkeypatch.undo()
    con = store.connect(path)
    try:
        assert con.execute("SELECT doc_key, attempts, first_seen::VARCHAR, last_seen::VARCHAR, run_id "
                           "FROM errors ORDER BY doc_key").fetchall() == [
            ("gone", 3, "2025-01-01 06:00:00", "2025-01-03 06:00:00", "r3"),
            ("other", 1, "2025-01-02 06:00:00", "2025-01-02 06:00:00", "r2")]
    finally:
        con.close()


@pytest.mark.parametrize("kind, source", [("report", KOREA_PDF), ("news", NEWS_PAGE)])
def test_identical_content_counts_once_for_reports_as_for_news(tmp_path, kind, source):
    mirrors = []
    for name in ("a-first", "b-mirror", "c-mirror"):
        copy = tmp_path / name / source.name
        copy.parent.mkdir()
        shutil.copy(source, copy)
        mirrors.append((name, copy))
    registry = tmp_path / "registry.toml"
    registry.write_text("".join(f'[[source]]\nid = "{name}"\nkind = "{kind}"\npath = "{path}"\n\n'
                                for name, path in mirrors))
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    assert materialize_registry(settings, dg.DagsterInstance.ephemeral(), log_level="WARNING").success
    warehouse = settings.warehouse_path
    (per_document,), = rows(warehouse, "SELECT count(*) FROM claims WHERE doc_key = 'a-first'")
    assert per_document > 0
    assert rows(warehouse, "SELECT count(*) FROM claims") == [(3 * per_document,)]  # every source keeps its rows
    assert rows(warehouse, "SELECT DISTINCT doc_key FROM latest_claims") == [("a-first",)]
    assert rows(warehouse, "SELECT count(*) FROM latest_claims") == [(per_document,)]
    assert rows(warehouse, "SELECT count(*), max(sources) FROM same_content") == [(3, 3)]


def test_each_fetch_logs_how_long_it_took(two_runs):
    seconds = rows(two_runs["warehouse"], "SELECT doc_key, seconds FROM fetches ORDER BY fetched_at")
    assert {key for key, _ in seconds} == {"korea", "gone"}
    assert all(value is not None and value >= 0 for _, value in seconds)
