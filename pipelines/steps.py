"""The work of each asset, as plain functions over staged files (no Dagster here).

Every step reads what the step before it staged under ``data/staging/`` and writes
its own result there, keyed by the document's content hash, so that

* steps can run in separate processes (Dagster's multiprocess executor),
* unchanged content is never parsed or extracted twice,
* only the warehouse writer opens the DuckDB file.

A failing document is recorded in ``staging/errors/<doc_key>.json`` with a message
that names it and the problem; the other documents go on.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import multiprocessing
import os
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from extractors.document import DocumentError, DocumentText, PageSpan, SectionSpan
from extractors.extraction import EXTRACTOR_VERSION, extract_claims
from extractors.parse import parse_document
from sources.addresses import AddressPolicy
from sources.atomic_write import write_atomically
from sources.fetch import Fetcher, FetchResult
from sources.fetch_many import FetchJob, FetchLimits, fetch_many
from sources.rawstore import RawStore
from sources.registry import FetchSettings, Registry, Source

_VERSION_TAG = EXTRACTOR_VERSION.replace("/", "_")
# A run's fetching ends after this many seconds unless the registry's [fetch] says otherwise.
RUN_FETCH_DEADLINE = 900.0
# A process pool costs more to start (each spawned worker imports spaCy and
# trafilatura and builds the pipeline: 1-2 s of CPU) than it saves below this many
# documents, or below this many bytes of them: 200 news pages (1.3 MB) parse and
# extract faster here than in two fresh processes (benchmarks/pipeline_full.py, step 2).
PARALLEL_MIN_DOCUMENTS = 12
PARALLEL_MIN_BYTES = 8_000_000


class Staging:
    """Paths of the staged files under ``data_dir``."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "staging"
        self.raw = RawStore(self.data_dir / "raw")

    def fetcher(self, settings: FetchSettings | None = None, **options) -> Fetcher:
        """A fetcher into the raw store, as a registry's ``[fetch]`` table says
        (allowed hosts and networks, deadline, size cap); ``options`` go to Fetcher."""
        settings = settings or FetchSettings()
        for name in ("deadline", "max_bytes", "timeout"):
            if getattr(settings, name):
                options.setdefault(name, getattr(settings, name))
        policy = AddressPolicy.allowing(settings.allow_hosts, settings.allow_networks)
        return Fetcher(self.raw, self.data_dir / "raw" / "http_state.json", address_policy=policy, **options)

    def manifest(self, key: str) -> Path:
        return self.root / "manifest" / f"{key}.json"

    def text(self, sha256: str) -> Path:
        # Keyed by content and by the extractors' version: new parsing rules re-parse.
        return self.root / "text" / f"{sha256}.{_VERSION_TAG}.json"

    def claims(self, sha256: str) -> Path:
        return self.root / "claims" / f"{sha256}.{_VERSION_TAG}.json"

    def error(self, key: str) -> Path:
        return self.root / "errors" / f"{key}.json"


def write_json(path: Path, data: Any) -> None:
    """Write JSON atomically: readers never see half a file."""
    write_atomically(path, json.dumps(data, ensure_ascii=False, default=str))


def read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def record_error(staging: Staging, key: str, stage: str, message: str, url: str | None) -> None:
    write_json(staging.error(key), {"doc_key": key, "stage": stage, "message": message, "url": url})


def clear_error(staging: Staging, key: str) -> None:
    staging.error(key).unlink(missing_ok=True)


def fetch_limits(settings: FetchSettings | None = None) -> FetchLimits:
    """How many fetches run at once (in all, per host) and the run's deadline, from a registry's [fetch]."""
    settings = settings or FetchSettings()
    defaults = FetchLimits()
    return FetchLimits(concurrency=settings.concurrency or defaults.concurrency,
                       per_host=settings.per_host or defaults.per_host,
                       run_deadline=settings.run_deadline or RUN_FETCH_DEADLINE)


def fetch_sources(staging: Staging, sources: list[Source], fetcher: Fetcher, limits: FetchLimits | None = None,
                  run_id: str | None = None):
    """Fetch ``sources`` concurrently (``sources/fetch_many.py``) and stage each one's manifest.

    ``run_id`` (the fetching Dagster run) is kept in the manifest, so that a later
    step of the same ``tradeclaims run`` can reuse the fetch (:func:`fetched_in_run`).

    Yields:
        each source's manifest as its fetch ends (see :func:`stage_manifest`). A source
        the registry found a problem with (an unsupported URL scheme, a path outside its
        allowed folders) is not fetched: the problem is its error.
    """
    by_id = {}
    for source in sources:
        if source.problem is None:
            by_id[source.id] = source
        else:
            yield stage_manifest(staging, source, None, run_id)
    jobs = [FetchJob(source.id, source.url, source.expect) for source in by_id.values()]
    for job, result in fetch_many(fetcher, jobs, limits):
        yield stage_manifest(staging, by_id[job.key], result, run_id)


def fetch_source(staging: Staging, source: Source, fetcher: Fetcher, run_id: str | None = None) -> dict:
    """Fetch one source into the raw store and stage its manifest (see :func:`fetch_sources`)."""
    [manifest] = fetch_sources(staging, [source], fetcher, run_id=run_id)
    return manifest


def stage_manifest(staging: Staging, source: Source, result: FetchResult | None, run_id: str | None) -> dict:
    """Stage the manifest of ``source`` after ``result`` (None: not fetched because of its problem).

    Returns:
        the manifest: source fields, the fetch row and ``error`` (None when fetched).
    """
    manifest = {
        "doc_key": source.id, "kind": source.kind, "url": source.url, "title": source.title,
        "publisher": source.publisher, "year": source.year, "sha256": None, "media_type": None,
        "content_type": None, "fetch": None, "error": source.problem,
        "fetched_in_run": run_id,
    }
    if result is not None:
        manifest.update({"sha256": result.sha256, "media_type": result.media_type,
                         "content_type": result.content_type, "fetch": result.to_row(),
                         "error": None if result.ok else result.error or f"{source.url}: fetch failed"})
    write_json(staging.manifest(source.id), manifest)
    if manifest["error"] is None:
        clear_error(staging, source.id)
    else:
        record_error(staging, source.id, "fetch", manifest["error"], source.url)
    return manifest


def fetched_in_run(staging: Staging, source: Source, run_id: str | None) -> dict | None:
    """The manifest ``run_id`` staged for ``source``, or None (then fetch it).

    ``tradeclaims run`` fetches every source in its ``source_snapshot`` run and then
    runs the documents' steps in a second run: fetching again there would try a
    failing source twice per command (two passes of retries against a dead server).
    """
    path = staging.manifest(source.id)
    if run_id is None or not path.exists():
        return None
    manifest = read_json(path)
    if manifest.get("fetched_in_run") != run_id or manifest.get("url") != source.url:
        return None
    return manifest


def fetch_for_run(staging: Staging, registry: Registry, keys: list[str], fetcher: Fetcher,
                  snapshot_run: str | None, run_id: str) -> tuple[dict[str, str], Iterator[dict]]:
    """The manifests of ``keys`` for the documents' steps of run ``run_id``.

    What ``snapshot_run`` fetched is reused (:func:`fetched_in_run`); the other sources
    are fetched concurrently (:func:`fetch_sources`). A key the registry does not list
    gets its error recorded.

    Returns:
        the unknown keys with their error, and the other keys' manifests: the reused
        ones first, then each fetched one as its fetch ends.
    """
    unknown: dict[str, str] = {}
    reused, to_fetch = [], []
    for key in keys:
        try:
            source = registry.source(key)
        except KeyError as exc:
            record_error(staging, key, "fetch", str(exc.args[0]), None)
            unknown[key] = str(exc.args[0])
            continue
        manifest = fetched_in_run(staging, source, snapshot_run)
        if manifest is None:
            to_fetch.append(source)
        else:
            reused.append(manifest)
    fetching = fetch_sources(staging, to_fetch, fetcher, fetch_limits(registry.fetch), run_id=run_id)
    return unknown, itertools.chain(reused, fetching)


def document_to_json(doc: DocumentText) -> dict:
    return dataclasses.asdict(doc)


def document_from_json(data: dict) -> DocumentText:
    data = dict(data)
    data["pages"] = [PageSpan(**p) for p in data.get("pages", [])]
    data["sections"] = [SectionSpan(**s) for s in data.get("sections", [])]
    return DocumentText(**data)


def parse_source(staging: Staging, key: str) -> dict | None:
    """Parse a fetched document into staged text (skipped when this content was parsed before).

    Returns:
        ``{"sha256", "chars", "pages", "reused"}`` (counts are None when reused), or
        None when the document has no fetched content or failed to parse (the error
        is staged).
    """
    manifest = read_json(staging.manifest(key))
    sha = manifest.get("sha256")
    if manifest.get("error") or not sha:
        return None
    target = staging.text(sha)
    if target.exists():
        return {"sha256": sha, "chars": None, "pages": None, "reused": True}
    try:
        data = staging.raw.get(sha)
        doc = parse_document(data, manifest["url"], content_type=manifest.get("content_type"),
                            expect="pdf" if manifest["kind"] == "report" and manifest.get("media_type") == "pdf" else None,
                            url=manifest["url"])
    except DocumentError as exc:
        record_error(staging, key, "parse", str(exc), manifest["url"])
        return None
    except Exception as exc:  # a parser bug must not stop the other documents
        record_error(staging, key, "parse", f"{manifest['url']}: unexpected parser failure: {exc!r}", manifest["url"])
        traceback.print_exc()
        return None
    write_json(target, document_to_json(doc))
    clear_error(staging, key)
    return {"sha256": sha, "chars": len(doc.text), "pages": len(doc.pages), "reused": False}


def extract_source(staging: Staging, key: str) -> dict | None:
    """Extract the claims of a parsed document into staged JSON (skipped when staged before).

    Returns:
        ``{"sha256", "claims", "by_kind", "top", "reused"}`` (counts are None/empty when
        reused; ``top``: the :data:`TOP_CLAIMS` claims :func:`top_claims` puts first, for the
        step's metadata, so that it need not read the staged file back) or None when there
        is no parsed text.
    """
    manifest = read_json(staging.manifest(key))
    sha = manifest.get("sha256")
    if manifest.get("error") or not sha or not staging.text(sha).exists():
        return None
    target = staging.claims(sha)
    if target.exists():
        return {"sha256": sha, "claims": None, "by_kind": {}, "top": [], "reused": True}
    doc = document_from_json(read_json(staging.text(sha)))
    try:
        claims = [c.to_dict() for c in extract_claims(doc, manifest["url"])]
    except Exception as exc:  # an extractor bug must not stop the other documents
        record_error(staging, key, "extract", f"{manifest['url']}: extraction failed: {exc!r}", manifest["url"])
        traceback.print_exc()
        return None
    write_json(target, {"extractor_version": EXTRACTOR_VERSION, "claims": claims})
    by_kind: dict[str, int] = {}
    for claim in claims:
        by_kind[claim["kind"]] = by_kind.get(claim["kind"], 0) + 1
    return {"sha256": sha, "claims": len(claims), "by_kind": by_kind, "top": top_claims(claims), "reused": False}


TOP_CLAIMS = 10


def top_claims(claims: list[dict], n: int = TOP_CLAIMS) -> list[dict]:
    """The ``n`` claims to show first: money and rates first, offsets first among them, then in text order."""
    return sorted(claims, key=lambda c: (c["kind"] not in ("money", "percent"), c["topic"] != "offset",
                                         c["start"]))[:n]


def document_row(staging: Staging, key: str) -> tuple[dict, list[dict]] | None:
    """The ``documents`` row and claims of a staged document, or None when it has none.

    The row also carries the staged page and section spans as ``page_spans``
    (``{"number", "start", "end"}``) and ``section_spans`` (``{"start", "end",
    "chapter", "section"}``), which ``warehouse.store.write_document`` loads into
    the ``pages`` and ``sections`` tables.
    """
    manifest = read_json(staging.manifest(key))
    sha = manifest.get("sha256")
    if manifest.get("error") or not sha or not staging.claims(sha).exists():
        return None
    staged_text = read_json(staging.text(sha))
    doc = document_from_json(staged_text)
    claims = read_json(staging.claims(sha))["claims"]
    row = {
        "doc_key": key, "sha256": sha, "doc_type": manifest["kind"], "source_url": manifest["url"],
        "canonical_url": doc.canonical_url, "title": doc.title or manifest.get("title"),
        "publisher": doc.publisher or manifest.get("publisher"), "published": doc.published,
        "report_year": manifest.get("year"), "media_type": doc.media_type,
        "pages": len(doc.pages) or None, "chars": len(doc.text),
        "page_spans": staged_text.get("pages", []), "section_spans": staged_text.get("sections", []),
    }
    if manifest["kind"] == "report":
        row["title"] = manifest.get("title") or doc.title
    return row, claims


def _pending(staging: Staging, key: str, stage: str) -> bool:
    """Whether ``stage`` still has work for ``key`` (its output is not staged yet)."""
    path = staging.manifest(key)
    if not path.exists():
        return False
    sha = read_json(path).get("sha256")
    if not sha:
        return False
    return not (staging.text(sha) if stage == "parse" else staging.claims(sha)).exists()


def _run_one(args: tuple[str, str, str]) -> tuple[str, dict | None]:
    stage, data_dir, key = args
    staging = Staging(Path(data_dir))
    step = parse_source if stage == "parse" else extract_source
    return key, step(staging, key)


def run_stage(staging: Staging, stage: str, keys: list[str], workers: int | None = None) -> dict[str, dict | None]:
    """Run ``parse`` or ``extract`` for ``keys``; documents are independent, so many run in parallel.

    Args:
        staging: the staging area.
        stage: ``"parse"`` or ``"extract"``.
        keys: the documents.
        workers: processes for the pending documents (default: the CPUs, at most 4);
            below :data:`PARALLEL_MIN_DOCUMENTS` pending documents, or
            :data:`PARALLEL_MIN_BYTES` of them, everything runs here.
    Returns:
        each key's result (see :func:`parse_source` / :func:`extract_source`).
    """
    workers = workers or min(os.cpu_count() or 1, 4)
    pending = [k for k in keys if _pending(staging, k, stage)]
    results: dict[str, dict | None] = {}
    if (workers > 1 and len(pending) >= PARALLEL_MIN_DOCUMENTS
            and sum(_staged_size(staging, key) for key in pending) >= PARALLEL_MIN_BYTES):
        # spawn, not fork: the parent may hold Dagster's threads and locks.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            jobs = [(stage, str(staging.data_dir), k) for k in pending]
            # Largest first, so that a big report does not start last and run alone.
            jobs.sort(key=lambda job: -_staged_size(staging, job[2]))
            for key, result in pool.map(_run_one, jobs, chunksize=1):
                results[key] = result
    for key in keys:
        if key not in results:
            results[key] = _run_one((stage, str(staging.data_dir), key))[1]
    return results


def _staged_size(staging: Staging, key: str) -> int:
    sha = read_json(staging.manifest(key)).get("sha256")
    path = staging.raw.path_for(sha) if sha else None
    return path.stat().st_size if path and path.exists() else 0
