"""The ``tradeclaims`` command line.

click (already a Dagster dependency, well kept, with help pages and argument
checking for free) parses the arguments; rich prints tables and progress.
Commands that need no Dagster (``extract``, ``query``, ``export``) import none,
so they start fast.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
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
def run(registry: Path | None, warehouse: Path | None, verbose: bool) -> None:
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
    with console.status(f"Materializing {len(sources)} documents (raw → text → claims → warehouse)…"):
        result = materialize_registry(settings, instance, raise_on_error=False,
                                      log_level="DEBUG" if verbose else "WARNING")
    if not result.success:
        raise click.ClickException(f"the Dagster run {result.run_id} failed; see `tradeclaims ui` for its logs")
    console.print(f"[green]Run {result.run_id} finished in {time.monotonic() - started:.1f} s[/green]")
    print_summary(warehouse, result.run_id)


def print_summary(warehouse: Path, run_id: str | None = None) -> None:
    """Print documents, claims by kind, errors and the offset claims of a warehouse."""
    from warehouse import store

    con = store.connect(warehouse, read_only=True)
    try:
        docs = con.execute("SELECT doc_type, count(*) FROM latest_documents GROUP BY 1 ORDER BY 1").fetchall()
        kinds = con.execute("SELECT kind, count(*) FROM latest_claims GROUP BY 1 ORDER BY 1").fetchall()
        errors = con.execute("SELECT doc_key, stage, message FROM errors ORDER BY doc_key").fetchall()
        offsets = con.execute(
            "SELECT country, text, qualifier, coalesce(condition, ''), coalesce(period, ''), "
            "split_part(document_id, '@', 1), page "
            "FROM offset_claims WHERE kind IN ('money', 'percent') ORDER BY document_id, start_offset"
        ).fetchall()
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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="jsonl: one JSON object per claim per line (the stable contract); table: for reading.")
@click.option("--doc-date", default=None, metavar="YYYY-MM-DD",
              help="Document date for partial and relative dates (default: the document's own date).")
def extract(files: tuple[Path, ...], fmt: str, doc_date: str | None) -> None:
    """Extract claims from local .pdf, .html/.htm and .txt FILES."""
    from extractors.document import DocumentError
    from extractors.loader import load_file
    from extractors.pipeline import extract_claims

    failures = 0
    rows = []
    for path in files:
        try:
            document = load_file(path)
        except DocumentError as exc:
            console.print(f"[red]error[/red]: {exc}")
            failures += 1
            continue
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
    if failures:
        sys.exit(1)


@main.command()
@click.argument("sql")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="DuckDB file (default: data/warehouse.duckdb).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "jsonl"]), default="table", show_default=True)
def query(sql: str, warehouse: Path | None, fmt: str) -> None:
    """Run a read-only SQL query against the warehouse and print the result."""
    from warehouse.query import QueryRefused, run_query

    warehouse = warehouse or project.default_warehouse()
    try:
        columns, rows = run_query(warehouse, sql)
    except (QueryRefused, FileNotFoundError) as exc:
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
@click.option("--port", default=3000, show_default=True, help="Port of the Dagster webserver on 127.0.0.1.")
def ui(port: int) -> None:
    """Start the Dagster webserver and daemon for this project on 127.0.0.1 (Ctrl-C stops both)."""
    project.use_project_dagster_home()
    command = [sys.executable, "-m", "dagster", "dev", "-m", "pipelines.definitions", "--host", "127.0.0.1",
               "--port", str(port)]
    # Its own process group, so that Ctrl-C can stop the webserver, the daemon and
    # the code server together: `dagster dev` in the background may ignore SIGINT.
    process = subprocess.Popen(command, start_new_session=True)
    console.print(f"Dagster UI: http://127.0.0.1:{port}  (Ctrl-C to stop)")
    try:
        process.wait()
    except KeyboardInterrupt:
        console.print("Stopping Dagster…")
    finally:
        stop_process_group(process)


def stop_process_group(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop a process group: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    main()
