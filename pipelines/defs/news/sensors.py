"""The feed sensor: a new partition per NEW article of the registry's feeds, and one snapshot of them.

Each tick fetches every ``[[feed]]`` of the registry (conditional GET: an unchanged
feed costs a 304), reads its entries and keys each article by its canonical URL
(:func:`sources.discovered.article_key`). An article is new when its key is neither
a partition of the instance nor in the sensor's cursor (the keys requested by
earlier ticks, the newest ``CURSOR_KEEP``). For new articles the tick

* records them in ``<data_dir>/discovered_sources.json``, so that the assets, in
  whatever process they run, resolve the partition key to the article's URL;
* returns a ``dynamic_partitions_requests`` adding their partitions, and one
  ``RunRequest`` of the ``snapshot_sources`` job over them (its run key names the
  articles, so never requested twice); the ``ingest_after_snapshot`` sensor then
  loads them in one run, as ``tradeclaims run`` does (pipelines/defs/documents/ingest.py).

Feeds are fetched at once, as the sources of a run are (``sources/fetch_many.py``, the
registry's ``[fetch]`` concurrency and per-host limits), within :data:`FEEDS_DEADLINE`
seconds for all of them, so a slow or silent feed host holds up neither the other feeds nor
the tick past Dagster's sensor timeout. A feed that cannot be fetched or read is logged and
skipped; the other feeds go on.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import dagster as dg

from pipelines.defs.documents.automation import TRIGGER_TAG
from pipelines.defs.documents.ingest import snapshot_run_config
from pipelines.defs.documents.jobs import snapshot_job
from pipelines.defs.documents.partitions import documents_partitions
from pipelines.resources import TradeclaimsConfig
from pipelines.steps import fetch_limits
from sources.discovered import add_discovered, article_source
from sources.feeds import canonical_url, dedupe_entries, read_feed
from sources.fetch_many import FetchJob, fetch_many

CURSOR_KEEP = 5000
# A tick must finish within Dagster's sensor timeout (60 s): few retries, short timeouts,
# and a deadline for all the feeds' fetches (the registry's run_deadline when shorter).
FEED_TIMEOUT = 15.0
FEED_RETRIES = 1
FEEDS_DEADLINE = 40.0


def _read_cursor(cursor: str | None) -> list[str]:
    if not cursor:
        return []
    try:
        return list(json.loads(cursor).get("seen", []))
    except (ValueError, AttributeError):
        return []


@dg.sensor(job=snapshot_job, name="news_feed_sensor", minimum_interval_seconds=3600,
           default_status=dg.DefaultSensorStatus.STOPPED,
           description="Reads the registry's RSS/Atom feeds hourly; adds a partition for each new article "
                       "and requests one snapshot of them (then one run loads them).")
def news_feed_sensor(context: dg.SensorEvaluationContext, settings: TradeclaimsConfig):
    registry = settings.registry()
    if not registry.feeds:
        return dg.SkipReason(f"{settings.registry_path}: the registry lists no feeds")
    seen = _read_cursor(context.cursor)
    known = set(seen) | set(context.instance.get_dynamic_partitions(documents_partitions.name))
    registry_urls = {canonical_url(source.url): source.id for source in registry.sources}
    staging = settings.staging()
    new_sources = []
    limits = fetch_limits(registry.fetch)
    limits = replace(limits, run_deadline=min(limits.run_deadline or FEEDS_DEADLINE, FEEDS_DEADLINE))
    with staging.fetcher(registry.fetch, timeout=FEED_TIMEOUT, retries=FEED_RETRIES) as fetcher:
        jobs = [FetchJob(index, feed.url, "feed") for index, feed in enumerate(registry.feeds)]
        results = {job.key: result for job, result in fetch_many(fetcher, jobs, limits)}
        for index, feed in enumerate(registry.feeds):  # read in the registry's order, once all ended
            result = results[index]
            if not result.ok or not result.sha256:
                context.log.warning(f"feed {feed.id}: {result.error}")
                continue
            try:
                entries = dedupe_entries(read_feed(staging.raw.get(result.sha256), result.final_url or feed.url))
            except ValueError as exc:
                context.log.warning(f"feed {feed.id}: {exc}")
                continue
            for entry in entries:
                source = article_source(feed, entry)
                if source.id in known or registry_urls.get(canonical_url(entry.url), source.id) != source.id:
                    continue
                known.add(source.id)
                new_sources.append(source)
    if not new_sources:
        return dg.SensorResult(skip_reason="no new articles in the feeds",
                               cursor=json.dumps({"seen": seen[-CURSOR_KEEP:]}))
    add_discovered(settings.data_dir, new_sources)
    keys = [source.id for source in new_sources]
    context.log.info(f"{len(keys)} new article(s): {', '.join(keys)}")
    run_key = "feed@" + hashlib.sha256("\n".join(keys).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=run_key, run_config=snapshot_run_config(keys),
                                    tags={TRIGGER_TAG: "sensor:news_feed"})],
        dynamic_partitions_requests=[documents_partitions.build_add_request(keys)],
        cursor=json.dumps({"seen": (seen + keys)[-CURSOR_KEEP:]}),
    )
