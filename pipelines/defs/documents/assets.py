"""source_snapshot → raw_documents → document_text → document_claims → warehouse_claims.

``source_snapshot`` fetches the registry's sources (all, or those its config names)
with conditional GETs and says which changed; one run of the partitioned assets then
covers those only (ingest.py: the same for ``tradeclaims run`` and the daemon). The
partitioned assets are partitioned by document. A run covers a range of partitions
(or one), so every asset loops over ``context.partition_keys``; their backfill
policy is a single run, so a backfill from the UI is one run over its range too. A
failing document is staged as an error and the loop goes on: one bad document
never fails the others.
"""

from datetime import datetime

import dagster as dg

from pipelines import steps
from pipelines.defs.documents.partitions import SINGLE_RUN, documents_partitions
from pipelines.resources import TradeclaimsConfig
from warehouse import store

# Fetches meet flaky servers: retry the step with backoff (the fetcher also
# retries each request; this covers a crash of the step itself).
FETCH_RETRY = dg.RetryPolicy(max_retries=2, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS)
WAREHOUSE_POOL = "warehouse_writer"
# Set by `tradeclaims run` on the run after the snapshot: raw_documents reuses what
# that snapshot run fetched instead of fetching each source a second time.
SNAPSHOT_RUN_TAG = "tradeclaims/snapshot_run"
# Fetched documents listed in the metadata of raw_documents (the rest are counted).
SOURCES_SHOWN = 20


def _errors_md(errors: dict[str, str]) -> dg.MetadataValue:
    lines = [f"- **{key}**: {message}" for key, message in sorted(errors.items())] or ["none"]
    return dg.MetadataValue.md("\n".join(lines))


class SnapshotConfig(dg.Config):
    """Which sources a snapshot checks (pipelines/defs/documents/ingest.py)."""

    keys: list[str] = []  # registry ids; none: every source of the registry


@dg.asset(group_name="documents", retry_policy=FETCH_RETRY, kinds={"http"})
def source_snapshot(context: dg.AssetExecutionContext, settings: TradeclaimsConfig,
                    config: SnapshotConfig) -> dg.MaterializeResult:
    """Fetch every registry source (conditional GET) into the raw store; count what changed.

    One materialization for the whole registry: Dagster records each partition's
    materialization separately (~20 ms each here), so checking 200 unchanged
    articles partition by partition would cost seconds of bookkeeping alone.
    Sources are fetched several at once within the registry's [fetch] limits
    (per host, and a deadline for the run: ``sources/fetch_many.py``).
    """
    staging = settings.staging()
    registry = settings.registry()
    wanted = set(config.keys)
    sources = [source for source in registry.sources if not wanted or source.id in wanted]
    status: dict[str, list[str]] = {"new": [], "changed": [], "unchanged": [], "failed": []}
    before = {}
    for source in sources:
        path = staging.manifest(source.id)
        before[source.id] = steps.read_json(path).get("sha256") if path.exists() else None
    limits = steps.fetch_limits(registry.fetch)
    slowest = (0.0, None)
    with staging.fetcher(registry.fetch) as fetcher:
        for manifest in steps.fetch_sources(staging, sources, fetcher, limits, run_id=context.run.run_id):
            key = manifest["doc_key"]
            seconds = (manifest["fetch"] or {}).get("seconds") or 0.0
            slowest = max(slowest, (seconds, key), key=lambda pair: pair[0])
            if manifest["error"]:
                status["failed"].append(key)
            elif before[key] is None:
                status["new"].append(key)
            else:
                status["changed" if before[key] != manifest["sha256"] else "unchanged"].append(key)
    context.log.info(", ".join(f"{len(keys)} {name}" for name, keys in status.items()))
    return dg.MaterializeResult(metadata={
        **{name: len(keys) for name, keys in status.items()},
        "slowest_fetch_s": round(slowest[0], 3),
        "slowest_fetch": slowest[1] or "none",
        "new_or_changed": dg.MetadataValue.md("\n".join(f"- {k}" for k in status["new"] + status["changed"]) or "none"),
    })


@dg.asset(partitions_def=documents_partitions, backfill_policy=SINGLE_RUN, group_name="documents",
          retry_policy=FETCH_RETRY, kinds={"http", "pdf", "html"}, deps=[source_snapshot])
def raw_documents(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Fetch each document into the content-addressed raw store (conditional GET, retries).

    After a ``source_snapshot`` of the same sources the fetch is a 304 (or a file
    read): the content is in the raw store already.
    """
    registry = settings.registry()
    staging = settings.staging()
    fetched = []
    with staging.fetcher(registry.fetch) as fetcher:
        errors, manifests = steps.fetch_for_run(staging, registry, list(context.partition_keys), fetcher,
                                                context.run.tags.get(SNAPSHOT_RUN_TAG), context.run.run_id)
        for manifest in manifests:
            key = manifest["doc_key"]
            if manifest["error"]:
                errors[key] = manifest["error"]
            else:
                fetched.append(manifest)
    fetched.sort(key=lambda manifest: manifest["doc_key"])  # fetches end in any order
    # One log line per step, not per document: each is an event Dagster stores on its own.
    context.log.info(f"{len(fetched)} fetched, {len(errors)} failed")
    for key, message in sorted(errors.items()):
        context.log.warning(message)
    metadata = {"documents": len(context.partition_keys), "fetched": len(fetched), "errors": _errors_md(errors)}
    if len(fetched) == 1:
        metadata.update({"url": dg.MetadataValue.url(fetched[0]["url"]), "sha256": fetched[0]["sha256"]})
    elif fetched:
        # Dagster gives every partition of the run this metadata: a row per document in each
        # of them grew as the square of the documents (30 KB per event for 200 articles).
        shown = fetched[:SOURCES_SHOWN]
        more = [f"\n{len(fetched) - len(shown)} more; each document's own row is in the warehouse's"
                " `fetches` table"] if len(fetched) > len(shown) else []
        metadata["sources"] = dg.MetadataValue.md("\n".join(
            ["| document | url | sha256 |", "|---|---|---|"]
            + [f"| {m['doc_key']} | {m['url']} | `{m['sha256']}` |" for m in shown] + more))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(partitions_def=documents_partitions, backfill_policy=SINGLE_RUN, group_name="documents",
          deps=[raw_documents], kinds={"python"})
def document_text(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Parse each fetched document into clean text with page and section maps."""
    staging = settings.staging()
    parsed = reused = chars = 0
    for result in steps.run_stage(staging, "parse", list(context.partition_keys)).values():
        if result is None:
            continue
        if result["reused"]:
            reused += 1
        else:
            parsed += 1
            chars += result["chars"]
    return dg.MaterializeResult(metadata={"parsed": parsed, "reused_unchanged": reused,
                                          "characters_parsed": chars})


@dg.asset(partitions_def=documents_partitions, backfill_policy=SINGLE_RUN, group_name="documents",
          deps=[document_text], kinds={"spacy"})
def document_claims(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Extract money, rate, date and period claims from each document's text."""
    staging = settings.staging()
    by_kind: dict[str, int] = {}
    total = 0
    top: list[tuple[str, dict]] = []
    reused = 0
    for key, result in steps.run_stage(staging, "extract", list(context.partition_keys)).items():
        if result is None:
            continue
        if result["reused"]:
            reused += 1  # unchanged content, same rules: its claims are staged already
            continue
        total += result["claims"]
        for kind, count in result["by_kind"].items():
            by_kind[kind] = by_kind.get(kind, 0) + count
        if len(top) < TOP_CLAIMS:
            top += [(key, claim) for claim in result["top"][:TOP_CLAIMS - len(top)]]
    metadata = {"claims_extracted": total, "reused_unchanged": reused,
                **{f"claims_{kind}": n for kind, n in sorted(by_kind.items())},
                "top_claims": _claims_md(top)}
    return dg.MaterializeResult(metadata=metadata)


TOP_CLAIMS = steps.TOP_CLAIMS


def _claims_md(top: list[tuple[str, dict]]) -> dg.MetadataValue:
    """A markdown table of claims: money and rates first, offsets first among them."""
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")
    rows = [f"| {key} | {cell(c['kind'])} | {cell(c['text'])} | {cell(c['value'])} | {cell(c['unit'])} "
            f"| {cell(c['topic'])} | {cell(c['subject'])} | {cell(c['page'])} |" for key, c in top]
    return dg.MetadataValue.md("\n".join(["| document | kind | claim | value | unit | topic | subject | page |",
                                          "|---|---|---|---|---|---|---|---|", *rows]))


def _run_started(context: dg.AssetExecutionContext) -> datetime | None:
    """When this Dagster run started (local time, as DuckDB's now() in the runs table)."""
    record = context.instance.get_run_record_by_id(context.run.run_id)
    return datetime.fromtimestamp(record.start_time) if record and record.start_time else None


@dg.asset(partitions_def=documents_partitions, backfill_policy=SINGLE_RUN, group_name="warehouse",
          deps=[document_claims], pool=WAREHOUSE_POOL, kinds={"duckdb"})
def warehouse_claims(context: dg.AssetExecutionContext, settings: TradeclaimsConfig) -> dg.MaterializeResult:
    """Load documents, claims, fetches and errors into DuckDB (the single writer)."""
    staging = settings.staging()
    to_load: list[tuple[str, tuple[dict, list[dict]]]] = []
    errors: dict[str, str] = {}
    swap: dict[str, float] = {}
    # The load goes into a copy that replaces the file when this block ends: readers
    # keep reading the last committed state meanwhile, and never hold this step up.
    with store.writer(settings.warehouse_path, timings=swap) as con:
        # Each statement on its own would be a commit (a WAL write) per document: the
        # documents of the step are read, recorded and checked in batches instead.
        manifests = {}
        for key in context.partition_keys:
            manifest_path = staging.manifest(key)
            manifests[key] = steps.read_json(manifest_path) if manifest_path.exists() else None
        store.record_fetches(con, [(m["fetch"], key) for key, m in manifests.items() if m and m.get("fetch")],
                             context.run.run_id)
        candidates = {}
        for key, manifest in manifests.items():
            error_path = staging.error(key)
            if error_path.exists():
                error = steps.read_json(error_path)
                store.record_error(con, error["stage"], error["message"], key, error.get("url"), context.run.run_id)
                errors[key] = error["message"]
            elif manifest and manifest.get("sha256"):
                candidates[key] = store.document_id(key, manifest["sha256"])
        already = store.loaded_ids(con, list(candidates.values()), steps.EXTRACTOR_VERSION)
        unchanged_keys = [key for key, doc_id in candidates.items() if doc_id in already]
        unchanged = len(unchanged_keys)  # same content, same rules: nothing to replace
        for key in [key for key, doc_id in candidates.items() if doc_id not in already]:
            staged = steps.document_row(staging, key)
            if staged is not None:
                to_load.append((key, staged))
        # One document: its own transaction. Many: one bulk transaction (column-wise
        # Arrow inserts), all or nothing, which is also atomic per document.
        if len(to_load) == 1:
            store.write_document(con, *to_load[0][1], steps.EXTRACTOR_VERSION, context.run.run_id)
        elif to_load:
            store.write_documents(con, [staged for _, staged in to_load], steps.EXTRACTOR_VERSION,
                                 context.run.run_id)
        store.clear_errors(con, *unchanged_keys, *(key for key, _ in to_load))
        loaded = len(to_load)
        store.record_run(con, context.run.run_id, settings.registry_path, started_at=_run_started(context))
        top = con.execute(
            "SELECT country, text, qualifier, condition, period FROM offset_claims "
            "WHERE kind IN ('money', 'percent') ORDER BY document, start_offset LIMIT 10"
        ).fetchall()
        counts = dict(con.execute("SELECT kind, count(*) FROM latest_claims GROUP BY kind").fetchall())
    preview = "\n".join(["| country | claim | qualifier | condition | period |", "|---|---|---|---|---|"]
                        + [f"| {c} | {t} | {q} | {cond or ''} | {p or ''} |" for c, t, q, cond, p in top])
    return dg.MaterializeResult(metadata={
        "documents_loaded": loaded,
        "documents_unchanged": unchanged,
        "warehouse": dg.MetadataValue.path(str(settings.warehouse_path)),
        # what the copy-and-swap cost this load (warehouse/connection.py)
        **{f"writer_{name}_s": round(seconds, 3) for name, seconds in swap.items() if name != "bytes"},
        "warehouse_bytes": int(swap.get("bytes", 0)),
        "errors": _errors_md(errors),
        "offset_claims_preview": dg.MetadataValue.md(preview),
        **{f"warehouse_{kind}": int(n) for kind, n in sorted(counts.items())},
    })
