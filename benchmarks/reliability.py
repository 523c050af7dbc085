"""Reliability harness: fetch faults and kill -9 against `tradeclaims run`, then a clean comparison.

What it does (everything on 127.0.0.1, bounded in time, stops by itself):

1. Generates news pages (benchmarks/news_corpus.py) and a small NTE-style PDF, and serves
   them from local HTTP servers on four loopback hosts (127.0.0.1-4) that inject faults per
   URL: 5xx, 429 with Retry-After, connection resets, truncated bodies and timeouts (a
   stalled answer) that pass (``transient``: the first two answers fail, then the page is
   served, so a retrying fetch still loads it), and 5xx, resets, truncation, wrong media
   types, redirect loops, oversize bodies, gzip bombs, timeouts, a body dripped a byte at a
   time and a server that never answers, which never pass (``permanent``: a recorded error
   expected). The answers that stall (timeouts, drip, silence) all come from one host,
   127.0.0.4, so that the run shows whether one slow host holds the others up. One more
   source is on a loopback address the registry does not allow (127.0.0.9): its fetch must
   be refused by the address check without a request.
2. Runs `tradeclaims run` over that registry and kills it with ``kill -9`` (its whole process
   group) ``--kills`` times: at random moments within the first 20 s (a run of this site takes
   about 25 s on a quiet machine: start-up, then ~20 s of fetching), and the last time as soon
   as the writer step has made its copy of the warehouse (``warehouse.duckdb.loading``, polled
   every 10 ms: the step takes well under a second, too short to find by polling Dagster's
   event log); then runs it to the end, twice.
3. Loads the same sources from a fault-free server into a fresh warehouse (the reference)
   and compares: documents expected / loaded / duplicated, claims, and whether the
   faulted-and-killed warehouse converged to the reference (same document versions, same
   claim ids, every permanent fault a recorded error naming its URL).
4. Reports each run's time, and the total time of each fetch (the ``fetches.seconds`` the
   warehouse logged) by fault, against the fetch deadline.

The runs are the real command, configured only as a user would: the registry's ``[fetch]``
table allows the loopback hosts (127.0.0.1 by name, the others by network), shortens the
timeout and the deadline (so a stalled answer costs seconds, not 30 s per attempt) and sets
the cap, the fetches at once and the run's deadline. Nothing in the fetcher is patched.

    .venv/bin/python benchmarks/reliability.py [--news 24] [--kills 5] [--seed 7] [--deadline 1500]
        [--concurrency 8] [--per-host 2]
"""
from __future__ import annotations

import argparse
import functools
import gzip
import hashlib
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warehouse.connection import loading_copy  # noqa: E402

# Random kills land within this many seconds of a run's start (see step 2 of the docstring).
RANDOM_KILL_WITHIN = 20.0
# The registry's [fetch] table of the runs: what a user serving documents on local hosts would write.
FETCH = {"timeout": 1.5, "deadline": 10, "max_bytes": 2_000_000, "run_deadline": 300}
HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4")
SLOW_HOST = "127.0.0.4"  # serves every answer that stalls
ALLOW = {"allow_hosts": ["127.0.0.1"], "allow_networks": ["127.0.0.2/31", "127.0.0.4/32"]}
REFUSED_HOST = "127.0.0.9"  # loopback too, but not allowed: the address check must refuse it
STALL = 3.0  # seconds a "timeout" answer stalls: longer than the timeout
DRIP_BYTES, DRIP_EVERY = 7_500, 0.05  # a body of 7.5 KB at a byte per 50 ms: 375 s
SILENCE_BOUND = 120.0  # a silent answer's thread ends by then, or when the server stops
TRANSIENT_FAILURES = 2  # answers a transient fault fails before the page is served

TRANSIENT = ["500", "503", "429", "reset", "truncate", "timeout"]
PERMANENT = ["500", "reset", "truncate", "wrong-type", "redirect-loop", "oversize", "gzip-bomb", "timeout",
             "drip", "silent", "refused-address"]
STALLING = {"timeout", "drip", "silent"}
ONE_EACH = {"timeout", "drip", "silent", "refused-address"}  # permanent faults with one source each


@dataclass
class Page:
    path: str
    body: bytes
    content_type: str
    fault: str | None = None  # a kind of TRANSIENT or PERMANENT
    permanent: bool = False
    host: str = HOSTS[0]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up on a fault (a reset, a cap, a timeout) are what we test


class FaultServer:
    """HTTP servers on the loopback ``HOSTS`` that answer each path with its page or its fault."""

    def __init__(self, pages: dict[str, Page], faults: bool = True):
        self.pages = pages
        self.faults = faults
        self.answers: Counter[str] = Counter()  # requests per path
        self.injected: Counter[str] = Counter()  # faults served, by kind
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # ends the answers that drip or stay silent
        if faults and any(page.fault == "gzip-bomb" for page in pages.values()):
            _bomb()  # made before serving: it takes seconds, which would count as the first bomb's fetch time
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.answer(self)

        self.httpds = {host: _QuietServer((host, 0), Handler) for host in HOSTS}
        self.threads = [threading.Thread(target=h.serve_forever, daemon=True) for h in self.httpds.values()]

    def url(self, page: Page) -> str:
        if page.host == REFUSED_HOST:  # nothing listens there: the fetch must never get that far
            return f"http://{REFUSED_HOST}:9{page.path}"
        return f"http://{page.host}:{self.httpds[page.host].server_address[1]}{page.path}"

    def __enter__(self) -> "FaultServer":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for httpd in self.httpds.values():
            httpd.shutdown()
            httpd.server_close()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        page = self.pages.get(handler.path)
        if page is None:
            return self._send(handler, 404, b"not found", "text/plain")
        with self.lock:
            self.answers[page.path] += 1
            count = self.answers[page.path]
        fault = page.fault if self.faults else None
        if fault and (page.permanent or count <= TRANSIENT_FAILURES):
            with self.lock:
                self.injected[fault] += 1
            try:
                return self._fault(handler, fault, page)
            except OSError:
                return None  # the client gave up (oversize, bomb): expected
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:32] + '"'
        if handler.headers.get("If-None-Match") == etag:
            return self._send(handler, 304, b"", None, {"ETag": etag})
        self._send(handler, 200, page.body, page.content_type, {"ETag": etag})

    @staticmethod
    def _send(handler, status: int, body: bytes, ctype: str | None, headers: dict | None = None) -> None:
        handler.send_response(status)
        if ctype:
            handler.send_header("Content-Type", ctype)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _fault(self, handler, fault: str, page: Page) -> None:
        if fault in ("500", "503"):
            return self._send(handler, int(fault), b"server error", "text/plain")
        if fault == "429":
            return self._send(handler, 429, b"slow down", "text/plain", {"Retry-After": "1"})
        if fault == "reset":
            # SO_LINGER 0: close sends a TCP RST instead of a FIN.
            handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            handler.close_connection = True
            return None
        if fault == "truncate":
            handler.send_response(200)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(len(page.body)))
            handler.end_headers()
            handler.wfile.write(page.body[: len(page.body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return None
        if fault == "timeout":
            time.sleep(STALL)
            return self._send(handler, 200, page.body, page.content_type)
        if fault == "wrong-type":  # a report URL that answers with an HTML page
            return self._send(handler, 200, b"<html><body><p>Moved: see our new site.</p></body></html>",
                              "text/html")
        if fault == "redirect-loop":
            handler.send_response(302)
            handler.send_header("Location", page.path)
            handler.send_header("Content-Length", "0")
            return handler.end_headers()
        if fault == "oversize":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()  # no length: the fetcher must stop at its cap
            chunk = b"<p>" + b"x" * 65_536 + b"</p>"
            for _ in range(3 * FETCH["max_bytes"] // len(chunk)):
                handler.wfile.write(chunk)
            handler.close_connection = True
            return None
        if fault == "gzip-bomb":
            return self._send(handler, 200, _bomb(), "text/html", {"Content-Encoding": "gzip"})
        if fault == "drip":  # never a pause long enough for a read timeout; the whole takes 375 s
            handler.send_response(200)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(DRIP_BYTES))
            handler.end_headers()
            for _ in range(DRIP_BYTES):
                if self.stopping.wait(DRIP_EVERY):
                    break
                handler.wfile.write(b" ")
                handler.wfile.flush()
            handler.close_connection = True
            return None
        if fault == "silent":  # reads the request, never answers
            self.stopping.wait(SILENCE_BOUND)
            handler.close_connection = True
            return None
        raise ValueError(fault)


@functools.cache
def _bomb() -> bytes:
    """~200 KB that inflate to 200 MB (made once)."""
    return gzip.compress(b"\0" * 200_000_000, compresslevel=9)


def build_site(news: int, seed: int) -> tuple[dict[str, Page], list[tuple[str, str, Page]]]:
    """The pages and the registry entries (id, kind, page): good, transient and permanent faults."""
    from benchmarks.news_corpus import article
    from benchmarks.nte_report import build_report

    rng = random.Random(seed)
    pages: dict[str, Page] = {}
    entries = []
    report = build_report(12)
    faults = ([(None, False)] * news + [(k, False) for k in TRANSIENT for _ in range(max(2, news // 8))]
              + [(k, True) for k in PERMANENT for _ in range(1 if k in ONE_EACH else max(2, news // 16))])
    rng.shuffle(faults)
    fast_hosts = [h for h in HOSTS if h != SLOW_HOST]
    for i, (fault, permanent) in enumerate(faults):
        if i % 25 == 0 or fault == "wrong-type":  # a report: its URL must answer with a PDF
            page = Page(f"/reports/nte-{i:04d}.pdf", report, "application/pdf", fault, permanent)
            key, kind = f"report-{i:04d}", "report"
        else:
            slug, html = article(i, seed)
            page = Page(f"/news/{slug}.html", html.encode("utf-8"), "text/html; charset=utf-8", fault, permanent)
            key, kind = f"news-{slug}", "news"
        page.host = (REFUSED_HOST if fault == "refused-address" else SLOW_HOST if fault in STALLING
                     else fast_hosts[i % len(fast_hosts)])
        pages[page.path] = page
        entries.append((key, kind, page))
    return pages, entries


def write_registry(path: Path, server: FaultServer, entries, fetch: dict) -> None:
    """The registry of ``entries``, with the ``[fetch]`` table that allows the local hosts."""
    def toml(value) -> str:
        return "[" + ", ".join(f'"{v}"' for v in value) + "]" if isinstance(value, list) else str(value)

    lines = ["[fetch]", *(f"{key} = {toml(value)}" for key, value in {**ALLOW, **fetch}.items()), ""]
    for key, kind, page in entries:
        lines += ["[[source]]", f'id = "{key}"', f'kind = "{kind}"', f'url = "{server.url(page)}"',
                  "year = 2025", ""]
    path.write_text("\n".join(lines), "utf-8")


def home(folder: Path) -> dict[str, str]:
    """A tradeclaims home (a copy of dagster.yaml) and the environment of runs in it."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", folder / "dagster.yaml")
    (folder / "registries").mkdir(exist_ok=True)
    return {**os.environ, "TRADECLAIMS_HOME": str(folder), "DAGSTER_HOME": str(folder),
            "TRADECLAIMS_DATA": str(folder / "data"), "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def start_run(env: dict, folder: Path, log: Path) -> subprocess.Popen:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "run", "--registry",
               str(folder / "registry.toml"), "--warehouse", str(folder / "warehouse.duckdb")]
    with open(log, "ab") as out:
        return subprocess.Popen(command, env=env, cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def finish(process: subprocess.Popen, deadline: float) -> int:
    try:
        return process.wait(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise SystemExit("a run did not finish before --deadline; stopped")


def warehouse_state(path: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        return {
            "documents": {(k, s) for k, s in q("SELECT doc_key, sha256 FROM latest_documents")},
            "claims": {c for (c,) in q("SELECT claim_id FROM latest_claims")},
            "claim_rows": q("SELECT count(*) FROM claims")[0][0],
            "duplicated_documents": q("SELECT count(*) FROM (SELECT doc_key, sha256 FROM documents "
                                      "GROUP BY ALL HAVING count(*) > 1)")[0][0],
            "duplicated_claims": q("SELECT count(*) - count(DISTINCT (document_id, start_offset, end_offset, kind))"
                                   " FROM claims")[0][0],
            "errors": dict(q("SELECT doc_key, any_value(message) FROM errors GROUP BY doc_key")),
        }
    finally:
        con.close()


def _instance(folder: Path):
    import dagster as dg

    os.chdir(folder)  # dagster.yaml's storage paths are relative to the home
    return dg.DagsterInstance.from_config(str(folder))


def killed_steps(folder: Path) -> list[str]:
    """For each run a later run found dead (pipelines/stale_runs.py), the last step it had started."""
    import dagster as dg

    steps = []
    with _instance(folder) as instance:
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.FAILURE])):
            failure = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.RUN_FAILURE).records
            if not failure or "no longer running" not in (failure[-1].event_log_entry.dagster_event.message or ""):
                continue
            started = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.STEP_START).records
            steps.append(started[-1].event_log_entry.dagster_event.step_key if started else "(before any step)")
    os.chdir(ROOT)
    return steps


def runs_created(folder: Path) -> int:
    """How many Dagster runs the instance holds, whatever their status: a run killed before
    the command had created its run leaves none."""
    with _instance(folder) as instance:
        count = instance.get_runs_count()
    os.chdir(ROOT)
    return count


def snapshot_seconds(log: Path) -> str:
    """The ``source_snapshot`` step's time in the last run's summary in ``log`` (the fetching of a run)."""
    found = re.findall(r"Stage times: source_snapshot ([0-9.]+ s)", log.read_text("utf-8", "replace"))
    return found[-1] if found else "?"


def fetch_rows(path: Path) -> list[tuple]:
    """``(url, run_id, fetched_at, seconds, error)`` of every fetch the warehouse logged."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT url, run_id, fetched_at, seconds, error FROM fetches ORDER BY fetched_at").fetchall()
    finally:
        con.close()


DEADLINE_SLACK = 1.0  # seconds past the deadline a fetch may end (the thread that reports it must run)


def report_fetch_times(rows: list[tuple], urls: dict[str, tuple[str, Page]], deadline: float) -> float:
    """Print the total time per URL by fault and per host, and each run's fetching; return the slowest."""
    by_fault: dict[str, list[float]] = {}
    by_host: dict[str, list[float]] = {}
    for url, _, _, seconds, _ in rows:
        _, page = urls[url]
        fault = f"{page.fault} ({'permanent' if page.permanent else 'transient'})" if page.fault else "no fault"
        by_fault.setdefault(fault, []).append(seconds or 0.0)
        by_host.setdefault(page.host, []).append(seconds or 0.0)
    slowest = max((s for times in by_fault.values() for s in times), default=0.0)
    print(f"total fetch time per URL ({len(rows)} fetches logged by the runs that loaded; deadline {deadline:g} s): "
          f"slowest {slowest:.2f} s, {'within' if slowest <= deadline + DEADLINE_SLACK else 'OVER'} the deadline")
    for fault, times in sorted(by_fault.items(), key=lambda item: -max(item[1])):
        times.sort()
        print(f"  {fault:28} {len(times):3} fetches, median {times[len(times) // 2]:6.2f} s, max {times[-1]:6.2f} s")
    for host, times in sorted(by_host.items()):
        print(f"  host {host:23} {len(times):3} fetches, sum {sum(times):7.1f} s, max {max(times):6.2f} s")
    # Per run: when its first fetch started, and when each host's last fetch ended.
    started: dict[str, float] = {}
    ended: dict[str, dict[str, float]] = {}
    for url, run_id, fetched_at, seconds, _ in rows:
        begin = fetched_at.timestamp()
        started[run_id] = min(started.get(run_id, begin), begin)
        host = urls[url][1].host
        ended.setdefault(run_id, {})[host] = max(ended.get(run_id, {}).get(host, 0.0), begin + (seconds or 0.0))
    print("  each run's fetching, from its first fetch (1 s resolution): each host's last fetch ended after")
    for run_id, hosts in ended.items():
        print("    " + ", ".join(f"{host}{' (slow)' if host == SLOW_HOST else ''} {end - started[run_id]:.0f} s"
                               for host, end in sorted(hosts.items())))
    return slowest


def child(argv: list[str]) -> None:
    """Run the tradeclaims command of this checkout, as it is (the registry configures the fetches)."""
    from pipelines.cli import main as cli

    cli(argv, prog_name="tradeclaims")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--news", type=int, default=24, help="fault-free news pages (faulty ones are added)")
    parser.add_argument("--kills", type=int, default=5, help="runs killed with kill -9 at random moments")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--deadline", type=float, default=1500.0, help="seconds for everything")
    parser.add_argument("--concurrency", type=int, help="the registry's [fetch] concurrency (default: the code's)")
    parser.add_argument("--per-host", type=int, help="the registry's [fetch] per_host (default: the code's)")
    args = parser.parse_args()
    fetch = {**FETCH, **{key: value for key, value in (("concurrency", args.concurrency),
                                                       ("per_host", args.per_host)) if value}}
    began = time.monotonic()
    deadline = began + args.deadline
    rng = random.Random(args.seed)
    pages, entries = build_site(args.news, args.seed)
    expected = {key for key, _, page in entries if not (page.fault and page.permanent)}
    failing = {key for key, _, page in entries if page.fault and page.permanent}
    print(f"{len(entries)} sources: {len(entries) - sum(1 for *_, p in entries if p.fault)} fault-free, "
          f"{sum(1 for *_, p in entries if p.fault and not p.permanent)} with a transient fault, "
          f"{len(failing)} with a permanent fault")
    with tempfile.TemporaryDirectory(prefix="tradeclaims-reliability-") as tmp:
        tmp = Path(tmp)
        faulty, clean = tmp / "faulty", tmp / "reference"
        env = home(faulty)
        log = tmp / "runs.log"
        with FaultServer(pages) as server:
            write_registry(faulty / "registry.toml", server, entries, fetch)
            urls = {server.url(page): (key, page) for key, _, page in entries}
            kills = []
            for trial in range(args.kills):
                runs_before = runs_created(faulty)
                process = start_run(env, faulty, log)
                # The last trial waits for the load step itself; the others kill at a random moment.
                in_load = trial == args.kills - 1
                loading = loading_copy(faulty / "warehouse.duckdb")
                delay = rng.uniform(2.0, RANDOM_KILL_WITHIN)
                started = time.monotonic()

                def due() -> bool:
                    if in_load:
                        return loading.exists()
                    return time.monotonic() - started >= delay

                while process.poll() is None and not due():
                    time.sleep(0.01)
                waited = time.monotonic() - started
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                    # A command killed while still importing (Python, Dagster, spaCy) has made no
                    # Dagster run, so no later run can find it dead: say so per kill.
                    no_run = runs_created(faulty) == runs_before
                    kills.append(f"{waited:.1f} s" + (" (before its Dagster run existed)" if no_run else ""))
                else:
                    kills.append(f"finished before {waited:.1f} s (exit {process.returncode})")
            outcomes = []
            for _ in range(2):
                started = time.monotonic()
                code = finish(start_run(env, faulty, log), deadline)
                outcomes.append((code, time.monotonic() - started, snapshot_seconds(log)))
            injected = dict(server.injected)
        if any(code != 0 for code, *_ in outcomes):
            print(log.read_text()[-6000:])
            raise SystemExit(f"a run after the kills failed ({outcomes}); its log is above")
        state = warehouse_state(faulty / "warehouse.duckdb")
        fetches = fetch_rows(faulty / "warehouse.duckdb")
        interrupted = killed_steps(faulty)
        reference_env = home(clean)
        with FaultServer(pages, faults=False) as server:
            write_registry(clean / "registry.toml", server,
                           [(k, kind, p) for k, kind, p in entries if k in expected], fetch)
            started = time.monotonic()
            reference_code = finish(start_run(reference_env, clean, tmp / "reference.log"), deadline)
            reference_seconds = time.monotonic() - started, snapshot_seconds(tmp / "reference.log")
        reference = warehouse_state(clean / "warehouse.duckdb")
        if reference_code != 0:
            print((tmp / "reference.log").read_text()[-6000:])
    loaded = {key for key, _ in state["documents"]}
    url_of = {key: url for url, (key, _) in urls.items()}
    unnamed = [k for k in failing if url_of[k] not in state["errors"].get(k, "")]
    refused = [k for k, _, page in entries if page.fault == "refused-address"
               and f"refused to connect to {REFUSED_HOST}: a loopback address" in state["errors"].get(k, "")]
    print(f"faults injected: {sum(injected.values())} ({', '.join(f'{k} {n}' for k, n in sorted(injected.items()))})")
    print(f"kill -9 of runs at: {', '.join(kills)}")
    print(f"runs found dead and marked failed by the next run: {len(interrupted)}"
          + (", killed in " + ", ".join(f"{step} {n}" for step, n in sorted(Counter(interrupted).items()))
             if interrupted else ""))
    print(f"[fetch] of the runs: {fetch}")
    print("runs after the kills: " + ", ".join(f"exit {c} in {s:.0f} s (fetching, the source_snapshot step: {f})"
                                               for c, s, f in outcomes)
          + f"; the reference run: {reference_seconds[0]:.0f} s (fetching {reference_seconds[1]})")
    print(f"documents expected {len(expected)}, loaded {len(loaded)} "
          f"(missing {len(expected - loaded)}, unexpected {len(loaded - expected)}), "
          f"duplicated {state['duplicated_documents']}; claims {len(state['claims'])} "
          f"(duplicated claim rows {state['duplicated_claims']})")
    print(f"permanent faults recorded as errors naming their URL: {len(failing) - len(unnamed)} of {len(failing)}"
          f"; refused by the address check without a request: {len(refused)} of 1")
    slowest = report_fetch_times(fetches, urls, fetch["deadline"])
    converged = (reference_code == 0 and state["documents"] == reference["documents"]
                 and state["claims"] == reference["claims"])
    print(f"reference load (no faults, no kills): {len(reference['documents'])} documents, "
          f"{len(reference['claims'])} claims; converged to it: {'yes' if converged else 'NO'}")
    if not converged:
        print(f"  only faulted: {sorted(state['documents'] - reference['documents'])[:5]}; "
              f"only reference: {sorted(reference['documents'] - state['documents'])[:5]}")
    print(f"harness time: {time.monotonic() - began:.0f} s; load average at the end (1, 5, 15 min): "
          + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    # The whole site must load: a reference with fewer documents (every fetch refused, say)
    # would "converge" to an equally empty warehouse.
    complete = len(reference["documents"]) == len(expected) == len(loaded)
    within = slowest <= fetch["deadline"] + DEADLINE_SLACK
    if not complete:
        print(f"  the reference loaded {len(reference['documents'])} of the {len(expected)} documents expected")
    ok = converged and complete and within and refused and not unnamed and not state["duplicated_documents"]
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
    else:
        main()
