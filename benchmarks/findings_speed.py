"""Findings benchmark: what the findings tables cost to keep and what they answer in.

    .venv/bin/python benchmarks/findings_speed.py [--claims 1000000] [--docs 5000] [--keep DIR]

A plain script, not a test. It builds the synthetic warehouse of
``benchmarks/warehouse_load.py`` (report chapters of 40 countries in consecutive
editions, news that states the same measures), then times, in one run:

1. deriving the measure columns in Python (``warehouse/frames.py``), rows/s;
2. the bulk load without the findings, then one full refresh of ``edition_changes``
   and ``claim_checks`` (``warehouse.findings.refresh``: every chapter and subject);
3. the analyst queries on the findings tables from a read-only connection (cold, and
   the median of five warm runs), beside the same questions computed at query time as
   the views of migration 007 did (the table macros ``edition_changes_of`` /
   ``claim_checks_of`` for one country), and ``report_vs_news``;
4. what a load of one document pays to keep the tables up to date: one report
   chapter and one news article loaded into the full warehouse with and without the
   refresh (``store.load_bulk(refresh_findings=...)``), 3 rounds.

Targets: <= 100 ms per findings query. Seconds depend on the machine and its load:
compare within one run.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.warehouse_load import QUERIES, WHOLE_WAREHOUSE, one_document, synthetic, timed  # noqa: E402
from warehouse import findings, store  # noqa: E402

FINDINGS_QUERIES = {title: sql for title, sql in QUERIES.items()
                    if "edition_changes" in sql or "claim_checks" in sql}
# The same questions computed at query time (what the 007 views did), for one country.
COMPUTED = {
    "edition changes, Korea, computed at query time": """
        SELECT topic, change, old_text, new_text, new_sentence FROM edition_changes_of(['KOR'])
        WHERE subject = 'KOR' AND new_report_year = 2024 AND change <> 'unchanged' ORDER BY topic, change""",
    "claim checks, Korea, computed at query time": """
        SELECT news_text, news_document, news_published, reason FROM claim_checks_of(['KOR'], [])
        WHERE subject = 'KOR' AND verdict = 'contradicts' ORDER BY news_published LIMIT 50""",
}
OTHER = {title: sql for title, sql in QUERIES.items() if "report_vs_news" in sql}


def time_queries(con: duckdb.DuckDBPyConnection, queries: dict[str, str], heading: str = "") -> None:
    for title, sql in queries.items():
        rows, cold = timed(lambda: con.execute(sql).fetchall())
        warm = statistics.median(timed(lambda: con.execute(sql).fetchall())[1] for _ in range(5))
        print(f"  {heading + title:<62} {len(rows):>6} rows  cold {cold * 1000:7.1f} ms  warm {warm * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--docs", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=3, help="one-document loads of each kind")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the warehouse file in")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="tradeclaims-findings-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "findings.duckdb"
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},"
          f" DuckDB {duckdb.__version__}, load average {os.getloadavg()[0]:.1f}")
    documents, claims = synthetic(args.claims, args.docs)
    n = claims.num_rows
    derived, seconds = timed(lambda: store.with_measures(claims))
    print(f"measure columns (warehouse/frames.py): {n:,} claims in {seconds:.2f} s = {n / seconds:,.0f} rows/s")

    con = store.connect(path)
    _, seconds = timed(lambda: store.load_bulk(con, documents, derived, refresh_findings=False))
    print(f"bulk load without findings: {n:,} claims in {seconds:.2f} s = {n / seconds:,.0f} rows/s")
    scope, seconds = timed(lambda: findings.refresh(con))
    rows = con.execute("SELECT (SELECT count(*) FROM edition_changes), (SELECT count(*) FROM claim_checks)").fetchall()[0]
    print(f"full findings refresh ({scope['chapters']} chapters, {scope['subjects']} subjects): {seconds:.2f} s;"
          f" edition_changes {rows[0]:,} rows, claim_checks {rows[1]:,} rows")
    con.execute("CHECKPOINT")
    con.close()

    con = store.connect(path, read_only=True)
    print(f"queries (read-only connection, load average {os.getloadavg()[0]:.1f};"
          " cold = first run, warm = median of 5):")
    time_queries(con, FINDINGS_QUERIES)
    time_queries(con, WHOLE_WAREHOUSE, "whole warehouse: ")
    time_queries(con, COMPUTED)
    time_queries(con, OTHER)
    con.close()

    print("one-document loads into the full warehouse (in place), with and without the findings refresh:")
    con = store.connect(path)
    first_news = next(i for i, t in enumerate(documents.column("doc_type").to_pylist()) if t == "news")
    for round_no in range(args.rounds):
        for kind, index in (("report", 0), ("news", first_news)):
            times = {}
            for refresh in (False, True):
                doc, doc_claims = one_document(documents.slice(index), derived, 10 * round_no + 2 * index + refresh)
                _, times[refresh] = timed(lambda: store.load_bulk(con, doc, doc_claims, refresh_findings=refresh))
            print(f"  round {round_no + 1}, one {kind} ({doc_claims.num_rows} claims): load {times[False]:.2f} s,"
                  f" load + refresh {times[True]:.2f} s (refresh {times[True] - times[False]:+.2f} s)")
    con.close()
    if not args.keep:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
