"""The feed sensor: one new partition and one run per NEW article of the registry's feeds.

Each tick fetches every ``[[feed]]`` of the registry (conditional GET: an unchanged
feed costs a 304), reads its entries and keys each article by its canonical URL
(:func:`sources.discovered.article_key`). An article is new when its key is neither
a partition of the instance nor in the sensor's cursor (the keys requested by
earlier ticks, the newest ``CURSOR_KEEP``). For new articles the tick

* records them in ``<data_dir>/discovered_sources.json``, so that the assets, in
  whatever process they run, resolve the partition key to the article's URL;
* returns a ``dynamic_partitions_requests`` adding their partitions, and one
  ``RunRequest`` per article (run key = partition key, so never requested twice).

A feed that cannot be fetched or read is logged and skipped; the other feeds go on.
"""
from __future__ import annotations

import json

import dagster as dg

from pipelines.defs.documents.automation import TRIGGER_TAG, URL_TAG
from pipelines.defs.documents.jobs import ingest_job
from pipelines.defs.documents.partitions import documents_partitions
from pipelines.resources import TradeclaimsConfig
from sources.discovered import add_discovered, article_source
from sources.feeds import canonical_url, dedupe_entries, read_feed

CURSOR_KEEP = 5000
# A tick must finish within Dagster's sensor timeout (60 s): few retries, short timeouts.
FEED_TIMEOUT = 15.0
FEED_RETRIES = 1


def _read_cursor(cursor: str | None) -> list[str]:
    if not cursor:
        return []
    try:
        return list(json.loads(cursor).get("seen", []))
    except (ValueError, AttributeError):
        return []


@dg.sensor(job=ingest_job, name="news_feed_sensor", minimum_interval_seconds=3600,
           default_status=dg.DefaultSensorStatus.STOPPED,
           description="Reads the registry's RSS/Atom feeds hourly; adds a partition and requests a run "
                       "for each new article.")
def news_feed_sensor(context: dg.SensorEvaluationContext, settings: TradeclaimsConfig):
    registry = settings.registry()
    if not registry.feeds:
        return dg.SkipReason(f"{settings.registry_path}: the registry lists no feeds")
    seen = _read_cursor(context.cursor)
    known = set(seen) | set(context.instance.get_dynamic_partitions(documents_partitions.name))
    registry_urls = {canonical_url(source.url): source.id for source in registry.sources}
    staging = settings.staging()
    new_sources = []
    with staging.fetcher(registry.fetch, timeout=FEED_TIMEOUT, retries=FEED_RETRIES) as fetcher:
        for feed in registry.feeds:
            result = fetcher.fetch(feed.url, expect="feed")
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
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=source.id, partition_key=source.id,
                                    tags={TRIGGER_TAG: "sensor:news_feed", URL_TAG: source.url})
                      for source in new_sources],
        dynamic_partitions_requests=[documents_partitions.build_add_request(keys)],
        cursor=json.dumps({"seen": (seen + keys)[-CURSOR_KEEP:]}),
    )
