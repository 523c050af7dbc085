"""Benchmark: analysts query the warehouse while ``tradeclaims run`` loads 200 new articles.

Run: .venv/bin/python benchmarks/readers_during_run.py [--pages 500] [--news 200] [--interval 0.5]

The corpus and the two runs of ``benchmarks/pipeline_full.py`` steps 1 and 2 (a
generated report, then 200 new news pages, served on 127.0.0.1), with readers
during the second run:

* ``tradeclaims query`` polled every ``--interval`` seconds (one command at a time,
  each bounded by ``--query-timeout``): the share that answered and their times,
  against the same command with no run going;
* the same query as ``warehouse.query.run_query`` runs it (what the command calls,
  without Python's start-up) every 0.1 s with no wait allowed (``wait_seconds=0``):
  a reader that met the writer's lock would be refused and counted, and its time
  is open + query under the run's CPU load;
* a long reader: one process that keeps the warehouse open with a slow aggregate,
  query after query, for the whole run (what made runs fail before, issue 15).

It prints the share of queries answered (target >= 99 %), the longest wait (target
<= 1 s) and the runs that failed or whose writer waited (target 0), with what the
writer's copy-and-swap cost (from the ``warehouse_claims`` metadata). Everything is
bounded: each run by ``--run-timeout``, each query by ``--query-timeout``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_server import CorpusServer  # noqa: E402
from benchmarks.news_corpus import write_news  # noqa: E402
from benchmarks.nte_report import build_report  # noqa: E402
from benchmarks.pipeline_full import TRADECLAIMS, write_registry  # noqa: E402

QUERY = "SELECT count(*) AS documents FROM latest_documents"
# A slow aggregate over the claims, repeated until told to stop: the warehouse is open
# (and being read) for the whole run.
LONG_READER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from warehouse import store
    stop = Path(sys.argv[2])
    queries = 0
    while not stop.exists():
        con = store.connect(sys.argv[1], read_only=True)
        con.execute("SET enable_progress_bar = false")
        con.execute("SELECT count(*), sum(hash(a.claim_id || b.claim_id) % 7) FROM "
                    "(SELECT claim_id FROM claims LIMIT 3000) a, (SELECT claim_id FROM claims LIMIT 3000) b").fetchall()
        con.close()
        queries += 1
    print(queries, flush=True)
""")


class Poller(threading.Thread):
    """Call ``ask()`` every ``interval`` seconds until stopped; keep (seconds, answer or error) per call."""

    def __init__(self, ask, interval: float):
        super().__init__(daemon=True)
        self.ask, self.interval = ask, interval
        self.results: list[tuple[float, object, str | None]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            started = time.perf_counter()
            try:
                answer, error = self.ask(), None
            except Exception as exc:  # noqa: BLE001 - a refused query is a result
                answer, error = None, f"{type(exc).__name__}: {exc}"
            self.results.append((time.perf_counter() - started, answer, error))
            self.stopped.wait(max(0.0, self.interval - (time.perf_counter() - started)))

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def cli_query(warehouse: Path, timeout: float):
    """One ``tradeclaims query`` (default --wait): the count it prints, or an error."""
    done = subprocess.run([TRADECLAIMS, "query", "--format", "csv", "--warehouse", str(warehouse), QUERY],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
    return int(done.stdout.split()[-1])


PHASES: list[tuple[float, float, float, float]] = []  # (when, open, query, load average) per direct query


def direct_query(warehouse: Path):
    """``run_query``'s two parts, timed apart: opening the file, and the query on it."""
    from warehouse.connection import connect_sealed

    # No wait allowed: a reader that met a lock would be refused (WarehouseBusy), and counted.
    started = time.perf_counter()
    con = connect_sealed(warehouse, wait_seconds=0)
    opened = time.perf_counter()
    try:
        answer = con.execute(QUERY).fetchall()[0][0]
    finally:
        con.close()
    PHASES.append((started, opened - started, time.perf_counter() - opened, os.getloadavg()[0]))
    return answer


def slowest_phases(shown: int = 5) -> None:
    """Where the slowest direct queries spent their time, and the machine's load then."""
    if not PHASES:
        return
    print(f"    open: max {max(p[1] for p in PHASES):.3f} s; query: max {max(p[2] for p in PHASES):.3f} s")
    for when, open_s, query_s, load in sorted(PHASES, key=lambda p: -(p[1] + p[2]))[:shown]:
        print(f"    slow call at +{when - PHASES[0][0]:.1f} s: open {open_s:.3f} s, query {query_s:.3f} s,"
              f" load average {load:.1f}")


def summary(name: str, results: list, baseline: list[float] | None = None) -> float:
    """Print one poller's figures; return its longest call."""
    times = sorted(seconds for seconds, _, error in results if error is None)
    failed = [error for _, _, error in results if error is not None]
    share = 100 * len(times) / max(len(results), 1)
    line = (f"  {name}: {len(times)} of {len(results)} answered ({share:.1f} %), "
            f"median {statistics.median(times) if times else 0:.3f} s, "
            f"p99 {times[int(0.99 * (len(times) - 1))] if times else 0:.3f} s, max {max(times, default=0):.3f} s")
    if baseline:
        line += f"; with no run going: median {statistics.median(baseline):.3f} s, max {max(baseline):.3f} s"
    print(line)
    for error in sorted(set(failed))[:5]:
        print(f"    refused: {error}")
    answers = sorted({answer for _, answer, error in results if error is None})
    print(f"    answers seen (documents): {answers}")
    return max(times, default=0.0)


def writer_metadata(home: Path) -> list[dict]:
    """The copy-and-swap figures of every warehouse_claims materialization in the benchmark's instance."""
    import dagster as dg

    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        records = instance.fetch_materializations(dg.AssetKey("warehouse_claims"), limit=1000).records
        found = {}
        for record in records:  # one per partition; the same step's figures on each
            meta = record.asset_materialization.metadata
            found[record.run_id] = {key: meta[key].value for key in meta
                                    if key.startswith("writer_") or key == "warehouse_bytes"}
        return list(found.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--news", type=int, default=200)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between two `tradeclaims query`")
    parser.add_argument("--query-timeout", type=float, default=30.0)
    parser.add_argument("--run-timeout", type=float, default=900.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tradeclaims-readers-") as tmp:
        tmp = Path(tmp)
        home = tmp / "dagster_home"  # the project's dagster.yaml (pool limit, batched event log), storage of its own
        home.mkdir()
        shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
        site = tmp / "site"
        (site / "reports").mkdir(parents=True)
        print(f"generating a {args.pages}-page report and {args.news} news pages …")
        (site / "reports" / "nte-2025-full.pdf").write_bytes(build_report(args.pages))
        slugs = write_news(site / "news", args.news)
        registry, warehouse, data = tmp / "registry.toml", tmp / "warehouse.duckdb", tmp / "data"
        env = dict(os.environ, TRADECLAIMS_DATA=str(data), DAGSTER_HOME=str(home), COLUMNS="200")

        def tradeclaims_run() -> tuple[subprocess.CompletedProcess | None, float]:
            started = time.perf_counter()
            try:
                done = subprocess.run([TRADECLAIMS, "run", "--registry", str(registry), "--warehouse", str(warehouse)],
                                      capture_output=True, text=True, env=env, cwd=ROOT, timeout=args.run_timeout)
            except subprocess.TimeoutExpired:
                done = None
            return done, time.perf_counter() - started

        with CorpusServer(site) as server:
            write_registry(registry, server.base_url, [])
            first, seconds = tradeclaims_run()
            if first is None or first.returncode != 0:
                raise SystemExit(f"the first run (report alone) failed:\n{first and first.stderr}")
            print(f"1. the report alone: {seconds:.1f} s (no readers yet: there is no warehouse before it)")

            idle = []
            for _ in range(5):
                started = time.perf_counter()
                cli_query(warehouse, args.query_timeout)
                idle.append(time.perf_counter() - started)

            stop = tmp / "stop-long-reader"
            long_reader = subprocess.Popen([sys.executable, "-c", LONG_READER, str(warehouse), str(stop)],
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
            commands = Poller(lambda: cli_query(warehouse, args.query_timeout), args.interval)
            direct = Poller(lambda: direct_query(warehouse), 0.1)
            write_registry(registry, server.base_url, slugs)
            commands.start()
            direct.start()
            second, seconds = tradeclaims_run()
            commands.stop()
            direct.stop()
            stop.touch()
            try:
                long_out, long_err = long_reader.communicate(timeout=120)
            finally:
                long_reader.kill()
                long_reader.wait()

        failed = second is None or second.returncode != 0
        processed = " ".join(second.stderr.split()) if second else "timed out"
        print(f"2. the report (unchanged) and {args.news} new articles: {seconds:.1f} s, "
              f"{'FAILED' if failed else 'succeeded'}"
              + (f" ({processed[processed.find('Runs'):][:160]})" if not failed else f": {processed[-500:]}"))
        print("readers during run 2:")
        summary(f"`tradeclaims query` every {args.interval:g} s", commands.results, idle)
        longest = summary("open + query as warehouse.query.run_query does, every 0.1 s, no wait allowed (no start-up)",
                          direct.results)
        slowest_phases()
        print(f"  long reader: {long_out.strip() or '?'} slow aggregates in a row, the warehouse open all along"
              f"{'' if long_reader.returncode == 0 else ' (it failed: ' + long_err[-300:] + ')'}")
        swaps = writer_metadata(home)
        for meta in swaps:
            print(f"  writer step: lock wait {meta.get('writer_lock_wait_s', 0):.3f} s, copy {meta.get('writer_copy_s', 0):.3f} s,"
                  f" checkpoint + rename {meta.get('writer_swap_s', 0):.3f} s, file {meta.get('warehouse_bytes', 0) / 2**20:.1f} MiB")
        waited = [m for m in swaps if m.get("writer_lock_wait_s", 0) > 0.1]
        answered = [r for r in commands.results if r[2] is None]
        share = 100 * len(answered) / max(len(commands.results), 1)
        locked_out = [r for r in direct.results if r[2] is not None]
        print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
              f" on {os.cpu_count()} cores")
        print(f"result: {share:.1f} % of `tradeclaims query` answered (target >= 99 %); readers that met a lock"
              f" {len(locked_out)} of {len(direct.results)}; longest open + query {longest:.3f} s (target <= 1 s);"
              f" runs failed {int(failed)}, writer steps that waited {len(waited)} (target 0)")


if __name__ == "__main__":
    main()
