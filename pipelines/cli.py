"""The ``tradeclaims`` command line.

click (already a Dagster dependency, well kept, with help pages and argument
checking for free) parses the arguments; rich prints tables and progress.
Commands that need no Dagster (``extract``, ``text``, ``query``, ``export``) import none,
so they start fast.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from pipelines import project

console = Console(stderr=True)
# Wide enough for the summary tables when stdout is a file or a pipe (CI logs).
out = Console(width=None if sys.stdout.isatty() else 160)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """tradeclaims: checkable claims (offsets, rates, dates, dollar figures) from USTR
    trade-barrier reports and news, extracted into a DuckDB warehouse."""


@main.command()
@click.option("--registry", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Registry TOML listing the sources (default: registries/demo.toml, the bundled demo corpus).")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file to load (default: data/warehouse.duckdb).")
@click.option("-v", "--verbose", is_flag=True, help="Show Dagster's step logs.")
@click.option("--workers", "on_workers", is_flag=True,
              help="Fetch, parse and extract on the Celery workers of `tradeclaims workers start` "
                   "(dagster-distributed.yaml); the load stays in this process.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Documents per worker task with --workers (default 4).")
def run(registry: Path | None, warehouse: Path | None, verbose: bool, on_workers: bool,
        batch_size: int | None) -> None:
    """Fetch, parse, extract and load every source of a registry through Dagster."""
    registry = (registry or project.default_registry()).resolve()
    warehouse = (warehouse or project.default_warehouse()).resolve()
    project.use_project_dagster_home()
    with console.status("Loading Dagster and the extraction pipeline…"):
        import dagster as dg

        from pipelines.resources import TradeclaimsConfig
        from pipelines.runner import materialize_registry
        from sources.registry import RegistryError

        instance = dg.DagsterInstance.get()
        settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(project.data_dir()),
                                     warehouse_path=str(warehouse))
        try:
            sources = settings.registry().sources
        except RegistryError as exc:
            raise click.ClickException(str(exc)) from None
    started = time.monotonic()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["result"] = materialize_registry(settings, instance, raise_on_error=False,
                                                     log_level="DEBUG" if verbose else "WARNING",
                                                     on_workers=on_workers, batch_size=batch_size)
        except BaseException as exc:  # shown by the main thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    with console.status(f"{len(sources)} documents: starting Dagster…") as status:
        worker.start()
        while worker.is_alive():
            worker.join(timeout=0.5)
            status.update(f"{len(sources)} documents: {current_step(instance, started)} "
                          f"({time.monotonic() - started:.0f} s)")
    if "error" in outcome:
        from warehouse.store import WarehouseBusy

        if isinstance(outcome["error"], WarehouseBusy):
            raise click.ClickException(str(outcome["error"])) from None
        raise outcome["error"]
    result = outcome["result"]
    if not result.success:
        raise click.ClickException(f"the Dagster run {result.run_id} failed; see `tradeclaims ui` for its logs")
    console.print(f"[green]Runs {', '.join(result.run_ids)} finished in {time.monotonic() - started:.1f} s; "
                  f"{len(result.changed)} of {len(sources)} documents needed parsing/extraction/loading[/green]")
    durations: dict[str, float] = {}
    for run_id in result.run_ids:
        durations.update(step_durations(instance, run_id))
    # markup=False: step keys such as process_documents[batch_0000] are not rich style tags
    out.print("Stage times: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in durations.items()),
              soft_wrap=True, markup=False)
    print_summary(warehouse, result.run_id)


def _iso_date(value: str | None) -> str | None:
    """Check ``--doc-date``: an ISO date, or a clear error naming the value."""
    from extractors.dates import as_date

    if value is None:
        return None
    day = as_date(value)
    if day is None:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD")
    return day.isoformat()


def current_step(instance, since: float) -> str:
    """What the newest run is doing, for the progress line: the step it last started."""
    from dagster import DagsterEventType

    runs = instance.get_runs(limit=1)
    if not runs:
        return "starting Dagster…"
    records = instance.get_records_for_run(runs[0].run_id, of_type=DagsterEventType.STEP_START).records
    return f"running {records[-1].event_log_entry.dagster_event.step_key}" if records else "starting a run…"


def step_durations(instance, run_id: str) -> dict[str, float]:
    """Seconds each step of a run took, from the Dagster event log."""
    from dagster import DagsterEventType

    durations: dict[str, float] = {}
    for record in instance.get_records_for_run(run_id, of_type=DagsterEventType.STEP_SUCCESS).records:
        event = record.event_log_entry.dagster_event
        durations[event.step_key] = event.event_specific_data.duration_ms / 1000
    return durations


def print_summary(warehouse: Path, run_id: str | None = None) -> None:
    """Print documents, claims by kind, errors, the offset claims and the findings of a warehouse."""
    from warehouse import findings, store

    con = store.connect(warehouse, read_only=True)
    try:
        docs = con.execute("SELECT doc_type, count(*) FROM latest_documents GROUP BY 1 ORDER BY 1").fetchall()
        kinds = con.execute("SELECT kind, count(*) FROM latest_claims GROUP BY 1 ORDER BY 1").fetchall()
        errors = con.execute("SELECT DISTINCT doc_key, stage, message FROM errors ORDER BY doc_key").fetchall()
        offsets = con.execute(
            "SELECT country, text, qualifier, coalesce(condition, ''), coalesce(period, ''), "
            "split_part(document_id, '@', 1), page "
            "FROM offset_claims WHERE kind IN ('money', 'percent') ORDER BY document_id, start_offset"
        ).fetchall()
        changes, verdicts = findings.counts(con, "edition_changes"), findings.counts(con, "claim_checks")
        changed = con.execute(
            "SELECT subject, topic, change, old_report_year || '→' || new_report_year, coalesce(old_text, ''),"
            " coalesce(new_text, '') FROM edition_changes WHERE change <> 'unchanged'"
            " ORDER BY subject, topic = 'offset' DESC, topic, change, coalesce(new_claim_id, old_claim_id)"
            f" LIMIT {FINDINGS_SHOWN}").fetchall()
        contradictions = con.execute(
            "SELECT subject, news_text, news_document, reason FROM claim_checks WHERE verdict = 'contradicts'"
            f" ORDER BY subject, news_claim_id LIMIT {FINDINGS_SHOWN}").fetchall()
    finally:
        con.close()
    out.print(f"Warehouse: {warehouse}")
    out.print("Documents: " + ", ".join(f"{n} {t}" for t, n in docs))
    out.print("Claims by kind: " + ", ".join(f"{k} {n}" for k, n in kinds))
    if errors:
        out.print(f"[red]Documents with errors: {len(errors)}[/red]")
        for key, stage, message in errors:
            out.print(f"  {key} ({stage}): {message}")
    table = Table(title="Offset claims (money and rates)", expand=False)
    for column in ("country", "claim", "qualifier", "condition", "period", "document", "page"):
        table.add_column(column)
    for row in offsets:
        table.add_row(*[("" if v is None else str(v)) for v in row])
    out.print(table)
    out.print("Findings: edition changes " + ", ".join(f"{n} {c}" for c, n in changes.items())
              + "; news figures " + ", ".join(f"{n} {v}" for v, n in verdicts.items()))
    if changed:
        table = Table(title="What changed between report editions (edition_changes)", expand=False)
        for column in ("subject", "topic", "change", "editions", "old", "new"):
            table.add_column(column)
        for row in changed:
            table.add_row(*[str(v) for v in row])
        out.print(table)
    for subject, text, document, reason in contradictions:
        out.print(f"[yellow]contradicts[/yellow] {subject} {text!r} in {document!r}: {reason}", soft_wrap=True)


FINDINGS_SHOWN = 12


class DocumentArguments:
    """The FILES arguments of a command that reads local documents (``extract``, ``text``).

    Iterating yields ``(path, DocumentText)`` for each argument that is a readable
    document, in order. Any other argument (missing, a directory, a device or named
    pipe, over ``--max-bytes``, unreadable, not parseable) gets one error line on
    stderr naming it and the problem, and the others are still read: click's own
    ``exists=True`` check would stop the whole command before the first file.
    :meth:`finish` exits with code 1 when any argument failed.
    """

    def __init__(self, files: tuple[Path, ...], pdf_engine: str = "pdfium", max_bytes: int | None = None):
        from sources.local_files import MAX_DOCUMENT_BYTES

        self.files = files
        self.pdf_engine = pdf_engine
        self.max_bytes = max_bytes or MAX_DOCUMENT_BYTES
        self.failures = 0

    def __iter__(self):
        from extractors.document import DocumentError
        from extractors.parse import parse_file

        for path in self.files:
            try:
                yield path, parse_file(path, pdf_engine=self.pdf_engine, max_bytes=self.max_bytes)
            except DocumentError as exc:
                # One line per bad argument, however long: scripts grep these.
                console.print(f"[red]error[/red]: {exc}", highlight=False, soft_wrap=True)
                self.failures += 1

    def finish(self) -> None:
        if self.failures:
            sys.exit(1)

    @staticmethod
    def options(command):
        """The FILES argument and the options that say how they are read."""
        from sources.local_files import MAX_DOCUMENT_BYTES

        for decorate in reversed((
            click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)),
            click.option("--pdf-engine", type=click.Choice(["pdfium", "pdfplumber"]), default="pdfium",
                         show_default=True,
                         help="How PDF text is read: pypdfium2 (fast) or pdfplumber (pdfminer layout, slower)."),
            click.option("--max-bytes", type=click.IntRange(min=1), default=MAX_DOCUMENT_BYTES, show_default=True,
                         help="Largest file read; a larger one is refused before reading (as the fetcher's cap)."),
        )):
            command = decorate(command)
        return command


@main.command()
@DocumentArguments.options
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per claim per line (the stable contract); table: for reading.")
@click.option("--doc-date", default=None, metavar="YYYY-MM-DD", callback=lambda ctx, param, value: _iso_date(value),
              help="Document date for partial and relative dates (default: the document's own date).")
def extract(files: tuple[Path, ...], fmt: str, doc_date: str | None, pdf_engine: str, max_bytes: int) -> None:
    """Extract claims from local .pdf, .html/.htm and .txt FILES.

    A FILE that cannot be read is reported on stderr and the others are still
    extracted; the exit code is then 1.
    """
    from extractors.extraction import extract_claims

    documents = DocumentArguments(files, pdf_engine=pdf_engine, max_bytes=max_bytes)
    rows = []
    for path, document in documents:
        for claim in extract_claims(document, str(path), doc_date=doc_date):
            data = claim.to_dict()
            if fmt == "jsonl":
                sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            else:
                rows.append(data)
    if fmt == "table":
        table = Table()
        for column in ("source", "page", "kind", "text", "value", "unit", "qualifier", "topic", "subject"):
            table.add_column(column)
        for data in rows:
            table.add_row(*[("" if data[c] is None else str(data[c])) for c in
                            ("source", "page", "kind", "text", "value", "unit", "qualifier", "topic", "subject")])
        out.print(table)
    documents.finish()


@main.command()
@DocumentArguments.options
@click.option("--pages", "markers", is_flag=True,
              help="Add page and section markers on lines of their own (for reading; offsets then no longer match).")
def text(files: tuple[Path, ...], markers: bool, pdf_engine: str, max_bytes: int) -> None:
    """Print the text extracted from local .pdf, .html/.htm and .txt FILES, exactly as claim offsets index it.

    With several files, each text follows a line "==> FILE <==".
    """
    from extractors.document import with_markers

    documents = DocumentArguments(files, pdf_engine=pdf_engine, max_bytes=max_bytes)
    for path, document in documents:
        if len(files) > 1:
            sys.stdout.write(f"==> {path} <==\n")
        body = with_markers(document) if markers else document.text
        sys.stdout.write(body if body.endswith("\n") else body + "\n")
    documents.finish()


@main.command()
@click.argument("sql")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file (default: data/warehouse.duckdb).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=3.0, show_default=True,
              help="Seconds to wait while a run is writing the warehouse before giving up.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Stop the query after this many seconds (0: no limit).")
def query(sql: str, warehouse: Path | None, fmt: str, wait_seconds: float, timeout: float) -> None:
    """Run a read-only SQL query against the warehouse and print the result."""
    from warehouse.query import QueryRefused, QueryTimeout, run_query
    from warehouse.store import WarehouseBusy

    warehouse = warehouse or project.default_warehouse()
    try:
        columns, rows = run_query(warehouse, sql, wait_seconds=wait_seconds, timeout=timeout or None)
    except (QueryRefused, QueryTimeout, FileNotFoundError, WarehouseBusy) as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # DuckDB's own errors say what is wrong with the SQL
        raise click.ClickException(f"query failed: {exc}") from None
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table()
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*[("" if v is None else str(v)) for v in row])
        out.print(table)
        console.print(f"{len(rows)} row(s)")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["parquet", "csv"]), default="parquet", show_default=True,
              help="File format of the export.")
@click.option("--where", default=None, metavar="CONDITION",
              help="SQL condition on the columns of the claims_with_documents view, e.g. \"subject = 'KOR' AND unit = 'USD'\".")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (replaced if it exists; never the warehouse or another DuckDB file).")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file (default: data/warehouse.duckdb).")
@click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=3.0, show_default=True,
              help="Seconds to wait while a run is writing the warehouse before giving up.")
def export(fmt: str, where: str | None, output: Path, warehouse: Path | None, wait_seconds: float) -> None:
    """Export the claims of the newest document versions, with their documents, to a Parquet or CSV file."""
    from warehouse.query import QueryRefused, export_claims
    from warehouse.store import WarehouseBusy

    warehouse = warehouse or project.default_warehouse()
    try:
        count = export_claims(warehouse, output, fmt, where=where, wait_seconds=wait_seconds)
    except (QueryRefused, FileNotFoundError, WarehouseBusy) as exc:
        raise click.ClickException(str(exc)) from None
    console.print(f"{count} claim(s) written to {output}")


def _evidence_options(kind: str):
    """--output (a ``kind`` file), --warehouse and --wait of the evidence commands (``evidence``, ``brief``)."""
    options = (
        click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
                     help=f"{kind} file to write (replaced if it exists; never the warehouse or another DuckDB file)."),
        click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="DuckDB file (default: data/warehouse.duckdb). Documents are read from the raw store, and "
                          "snapshots stored under evidence/, of the data folder (TRADECLAIMS_DATA, default data/)."),
        click.option("--wait", "wait_seconds", type=click.FloatRange(min=0), default=3.0, show_default=True,
                     help="Seconds to wait while another process writes the warehouse before giving up."),
    )

    def decorate(command):
        for option in reversed(options):
            command = option(command)
        return command
    return decorate


@main.command("evidence")
@click.argument("claim_id")
@_evidence_options("PNG")
def evidence_command(claim_id: str, output: Path, warehouse: Path | None, wait_seconds: float) -> None:
    """Write a snapshot of CLAIM_ID's evidence to a PNG: its region of the PDF page with the claim's
    characters highlighted, or its sentence (HTML, TXT) with the claim highlighted.

    The snapshot is also stored under data/evidence/ (named by its SHA-256) and listed in the
    warehouse table `evidence`.
    """
    from evidence.claims import EvidenceError, snapshot_to_file
    from warehouse.query import QueryRefused
    from warehouse.store import WarehouseBusy

    warehouse = warehouse or project.default_warehouse()
    try:
        row = snapshot_to_file(warehouse, project.data_dir(), claim_id, output, wait_seconds=wait_seconds)
    except (EvidenceError, WarehouseBusy, FileNotFoundError, QueryRefused) as exc:
        raise click.ClickException(str(exc)) from None
    where = f"page {row['page']}, " if row["page"] else ""
    console.print(f"{output}: {where}{row['width']}x{row['height']} px (stored as {row['path']})",
                  highlight=False, soft_wrap=True)


@main.command()
@click.option("--country", required=True, metavar="COUNTRY",
              help="ISO 3166 code or name (KOR, KR, Korea), or a subject the claims name (EU).")
@_evidence_options("HTML")
def brief(country: str, output: Path, warehouse: Path | None, wait_seconds: float) -> None:
    """Write one self-contained HTML brief about a country: its claims by topic with their evidence
    snapshots, the edition changes, the news checks and a chart of each measure across editions."""
    from evidence.brief import BriefError, write_brief
    from warehouse.query import QueryRefused
    from warehouse.store import WarehouseBusy

    warehouse = warehouse or project.default_warehouse()
    try:
        summary = write_brief(warehouse, project.data_dir(), country, output, wait_seconds=wait_seconds)
    except (BriefError, WarehouseBusy, FileNotFoundError, QueryRefused) as exc:
        raise click.ClickException(str(exc)) from None
    console.print(f"{output}: {summary['claims']} claims, {summary['images']} snapshots, {summary['charts']} charts, "
                  f"{summary['changes']} edition changes, {summary['checks']} news checks "
                  f"({summary['bytes'] / 1e6:.1f} MB)", highlight=False, soft_wrap=True)


@main.command()
@click.option("--port", default=3000, show_default=True, help="Port of the Dagster webserver on 127.0.0.1.")
def ui(port: int) -> None:
    """Start the Dagster webserver and daemon for this project on 127.0.0.1 (Ctrl-C stops both)."""
    project.use_project_dagster_home()
    # `dg dev`, which supersedes `dagster dev` (that prints so), with the code location named
    # by module: it then runs from any TRADECLAIMS_HOME, with or without the checkout's pyproject.
    command = [str(Path(sys.executable).parent / "dg"), "dev", "-m", "pipelines.definitions",
               "--host", "127.0.0.1", "--port", str(port)]
    # A process started in the background (`tradeclaims ui &`, nohup, some CI runners)
    # inherits SIGINT *ignored*: Python then never raises KeyboardInterrupt, and
    # `dg dev` (Dagster's dev server) maps SIGTERM to that ignored handler too. Install
    # real handlers here; a caught signal is reset to the default in the child, so
    # `dg dev` starts with working Ctrl-C and SIGTERM handling as well.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)
    # Its own process group, so that stopping reaches the webserver, the daemon and
    # the code servers together, whoever else gets the terminal's signals.
    process = subprocess.Popen(command, start_new_session=True)
    console.print(f"Dagster UI: http://127.0.0.1:{port}  (Ctrl-C to stop)")
    try:
        process.wait()
    except KeyboardInterrupt:
        console.print("Stopping Dagster…")
    finally:
        # Ignore further Ctrl-C while the children shut down, so they are never orphaned.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_process_group(process)


@main.group()
def workers() -> None:
    """Start or stop the Celery workers and their Redis on this machine (distributed mode)."""


@workers.command("start")
@click.option("--count", type=click.IntRange(min=1), default=2, show_default=True, help="Celery workers to start.")
@click.option("--timeout", type=click.FloatRange(min=1), default=180.0, show_default=True,
              help="Seconds to wait for every worker to answer.")
def workers_start(count: int, timeout: float) -> None:
    """Start redis-server on 127.0.0.1 (installed when missing) and COUNT workers; pids under data/workers/."""
    project.use_project_dagster_home()
    from pipelines.distributed import workers as cluster
    from pipelines.distributed.config import DistributedConfigError

    try:
        with console.status(f"Starting redis-server and {count} worker(s)…"):
            started = cluster.start(count, timeout=timeout)
    except (cluster.WorkersError, DistributedConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    for entry in started:
        console.print(f"{entry.name}: pid {entry.pid}, log {entry.log}")
    if not any(entry.name == "redis" for entry in started):
        console.print("redis: already answering at the broker's address, left as it was")
    console.print("Run with them: tradeclaims run --workers; stop them: tradeclaims workers stop")


@workers.command("stop")
@click.option("--grace", type=click.FloatRange(min=0), default=20.0, show_default=True,
              help="Seconds a worker may finish its task before it is killed (the task is then redelivered).")
def workers_stop(grace: float) -> None:
    """Stop the workers and the redis-server that `workers start` recorded, by pid."""
    project.use_project_dagster_home()
    from pipelines.distributed import workers as cluster

    said = cluster.stop(grace=grace)
    for line in said or ["nothing recorded under " + str(cluster.state_dir())]:
        console.print(line)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(signum).name)


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies do not count: an
    orphan's zombie waits for PID 1 to reap it, which not every container's init does)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return True
    return False


def _wait_group(process: subprocess.Popen, deadline: float) -> bool:
    """Wait until the leader has exited and no process of its group is left; True if so."""
    while time.monotonic() < deadline:
        process.poll()
        if process.returncode is not None and not _group_alive(process.pid):
            return True
        time.sleep(0.1)
    process.poll()
    return process.returncode is not None and not _group_alive(process.pid)


def stop_process_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a process group as Ctrl-C in a terminal would, then harder.

    SIGINT to the whole group (``dg dev`` shuts its webserver and daemon down
    in order), then SIGTERM after ``grace`` seconds, then SIGKILL. Processes of the
    group that outlive the leader (code servers) are stopped the same way.
    """
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None and not _group_alive(process.pid):
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        if _wait_group(process, time.monotonic() + grace):
            break
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass


if __name__ == "__main__":
    main()
