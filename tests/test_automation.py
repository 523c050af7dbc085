"""Schedules (news daily, USTR reports weekly in March–April and monthly otherwise), the feed sensor,
and the one orchestration path they share with `tradeclaims run`: a snapshot run, then one run over
the documents that changed (pipelines/defs/documents/ingest.py)."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg
import pytest
from dagster._utils.schedules import schedule_execution_time_iterator

from pipelines.definitions import build_definitions
from pipelines.defs.documents.assets import SNAPSHOT_RUN_TAG
from pipelines.defs.documents.automation import TRIGGER_TAG
from pipelines.defs.documents.ingest import snapshot_run_config
from pipelines.defs.documents.partitions import RANGE_END_TAG, RANGE_START_TAG
from pipelines.defs.documents.sensors import ingest_after_snapshot
from pipelines.defs.news import news_daily_schedule, news_feed_sensor
from pipelines.defs.ustr import ustr_reports_schedule
from pipelines.resources import TradeclaimsConfig
from pipelines.runner import materialize_registry
from pipelines.steps import read_json
from sources.discovered import article_key, load_discovered
from sources.feeds import FeedEntry
from sources.registry import Feed
from tests.conftest import FETCH_ALLOW_LOCAL_SERVERS

ROOT = Path(__file__).resolve().parent.parent
DEMO_REGISTRY = ROOT / "registries" / "demo.toml"
NEWS_PAGE = ROOT / "corpus" / "demo" / "news" / "2025-11-03-seoul-korea-defence-offsets-ustr.html"
NEW_YORK = ZoneInfo("America/New_York")


def ticks(schedule: dg.ScheduleDefinition, start: datetime, count: int) -> list[str]:
    times = schedule_execution_time_iterator(start.timestamp(), schedule.cron_schedule, schedule.execution_timezone)
    return [next(times).strftime("%Y-%m-%d %H:%M") for _ in range(count)]


def test_reports_are_checked_weekly_in_march_and_april_and_monthly_otherwise():
    assert ticks(ustr_reports_schedule, datetime(2025, 1, 2, tzinfo=NEW_YORK), 13) == [
        "2025-02-01 07:00",
        "2025-03-03 07:00", "2025-03-10 07:00", "2025-03-17 07:00", "2025-03-24 07:00", "2025-03-31 07:00",
        "2025-04-07 07:00", "2025-04-14 07:00", "2025-04-21 07:00", "2025-04-28 07:00",
        "2025-05-01 07:00", "2025-06-01 07:00", "2025-07-01 07:00",
    ]


def test_news_is_checked_daily():
    assert ticks(news_daily_schedule, datetime(2025, 12, 30, 12, tzinfo=NEW_YORK), 3) == [
        "2025-12-31 06:00", "2026-01-01 06:00", "2026-01-02 06:00"]


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def demo_settings(tmp_path: Path, registry: Path = DEMO_REGISTRY) -> TradeclaimsConfig:
    return TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                             warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))


@pytest.mark.parametrize(("schedule", "kind", "count"), [(ustr_reports_schedule, "report", 4),
                                                          (news_daily_schedule, "news", 6)])
def test_a_schedule_tick_requests_one_snapshot_of_the_sources_of_its_kind(tmp_path, instance, schedule, kind,
                                                                          count):
    settings = demo_settings(tmp_path)
    when = datetime(2025, 3, 31, 7, tzinfo=NEW_YORK)
    # `with`: the context opens its own instance from the ref; closing it restores Dagster's
    # context variables (left open, later tests meet a disposed instance).
    with dg.build_schedule_context(instance=instance, scheduled_execution_time=when,
                                   resources={"settings": settings},
                                   repository_def=build_definitions(settings).get_repository_def()) as context:
        data = schedule.evaluate_tick(context)
    expected = [s.id for s in settings.registry().sources if s.kind == kind]
    assert len(expected) == count
    request, = data.run_requests  # one run for all of them, not one per source
    assert request.run_config == snapshot_run_config(expected)
    assert request.run_key == f"{kind}@2025-03-31" and request.tags[TRIGGER_TAG] == f"schedule:{kind}"
    assert request.partition_key is None
    # The partitions were registered, so that the run over the changed ones can name them.
    assert set(expected) <= set(instance.get_dynamic_partitions("documents"))


def run_request(instance, definitions: dg.Definitions, job_name: str, request: dg.RunRequest):
    """Execute ``request`` in process, as the daemon would launch it."""
    return definitions.resolve_job_def(job_name).execute_in_process(
        instance=instance, run_config=request.run_config, tags=request.tags)


def after_snapshot(instance, settings, snapshot_result):
    """Evaluate ingest_after_snapshot on a finished snapshot run."""
    context = dg.build_run_status_sensor_context(
        sensor_name="ingest_after_snapshot", dagster_instance=instance, dagster_run=snapshot_result.dagster_run,
        dagster_event=snapshot_result.get_run_success_event(), resources={"settings": settings})
    return ingest_after_snapshot(context)


def warehouse_keys(settings) -> list[str]:
    import duckdb

    con = duckdb.connect(settings.warehouse_path, read_only=True)
    try:
        return [key for key, in con.execute("SELECT doc_key FROM latest_documents ORDER BY doc_key").fetchall()]
    finally:
        con.close()


def test_a_schedule_tick_then_runs_what_tradeclaims_run_runs(tmp_path):
    """The same two runs either way: a snapshot, then one ingest_documents run over the changed documents."""
    with dg.instance_for_test() as cli_instance:
        cli_settings = demo_settings(tmp_path / "cli")
        cli = materialize_registry(cli_settings, cli_instance)
        cli_runs = [cli_instance.get_run_by_id(run_id) for run_id in cli.run_ids]
        # With a daemon on the same instance, the sensor leaves the command's snapshot alone: no second run.
        skipped = after_snapshot(cli_instance, cli_settings, cli.results[0])
        assert isinstance(skipped, dg.SkipReason) and "tradeclaims run" in skipped.skip_message
    assert [run.job_name for run in cli_runs] == ["snapshot_sources", "ingest_documents"]

    with dg.instance_for_test() as instance:
        settings = demo_settings(tmp_path / "daemon")
        definitions = build_definitions(settings)
        with dg.build_schedule_context(instance=instance, scheduled_execution_time=datetime(2025, 3, 31, 7, tzinfo=NEW_YORK),
                                       resources={"settings": settings},
                                       repository_def=definitions.get_repository_def()) as context:
            reports, = ustr_reports_schedule.evaluate_tick(context).run_requests
            news, = news_daily_schedule.evaluate_tick(context).run_requests
        # The reports' snapshot, then what it says changed, in one run.
        snapshot = run_request(instance, definitions, "snapshot_sources", reports)
        ingest = after_snapshot(instance, settings, snapshot)
        assert ingest.run_key == f"ingest@{snapshot.run_id}"
        assert ingest.tags[SNAPSHOT_RUN_TAG] == snapshot.run_id  # the snapshot's fetches are reused
        assert ingest.tags[TRIGGER_TAG] == "schedule:report"
        report_keys = [s.id for s in settings.registry().sources if s.kind == "report"]
        assert (ingest.tags[RANGE_START_TAG], ingest.tags[RANGE_END_TAG]) == (report_keys[0], report_keys[-1])
        assert run_request(instance, definitions, "ingest_documents", ingest).success
        assert warehouse_keys(settings) == sorted(report_keys)

        # Nothing changed since: the next snapshot starts no run.
        again = run_request(instance, definitions, "snapshot_sources", reports)
        skipped = after_snapshot(instance, settings, again)
        assert isinstance(skipped, dg.SkipReason) and "nothing new or changed" in skipped.skip_message

        # The news tick: its snapshot, then one run, and the warehouse holds what `tradeclaims run` loaded.
        snapshot = run_request(instance, definitions, "snapshot_sources", news)
        run = run_request(instance, definitions, "ingest_documents", after_snapshot(instance, settings, snapshot))
        assert run.success and run.dagster_run.job_name == cli_runs[1].job_name
        assert warehouse_keys(settings) == warehouse_keys(cli_settings)
        # raw_documents fetched nothing again: every news manifest is the snapshot's.
        staging = settings.staging()
        news_keys = [s.id for s in settings.registry().sources if s.kind == "news"]
        assert {read_json(staging.manifest(key))["fetched_in_run"] for key in news_keys} == {snapshot.run_id}


def test_the_partitioned_assets_backfill_in_one_run():
    """A backfill of many documents from the UI is one run over their range (BackfillPolicy.single_run)."""
    definitions = build_definitions()
    job = definitions.resolve_job_def("ingest_documents")
    assert job.backfill_policy == dg.BackfillPolicy.single_run()
    graph = definitions.resolve_asset_graph()
    partitioned = [key for key in graph.get_all_asset_keys() if graph.get(key).partitions_def is not None]
    assert {key.to_user_string() for key in partitioned} == {"raw_documents", "document_text", "document_claims",
                                                             "warehouse_claims", "evidence_snapshots"}
    assert all(graph.get(key).backfill_policy == dg.BackfillPolicy.single_run() for key in partitioned)


def rss(items: list[tuple[str, str]]) -> str:
    entries = "".join(f"<item><title>{title}</title><link>{link}</link></item>" for title, link in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Trade news</title>'
            f"<link>http://127.0.0.1/</link><description>t</description>{entries}</channel></rss>")


def snapshot_keys(request: dg.RunRequest) -> list[str]:
    """The registry ids a snapshot_sources run request names."""
    return request.run_config["ops"]["source_snapshot"]["config"]["keys"]


def tick(instance, settings, cursor=None) -> dg.SensorResult:
    with dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings}) as context:
        return news_feed_sensor(context)


def test_the_feed_sensor_adds_a_partition_and_a_run_per_new_article_only(tmp_path, instance, httpserver):
    registry = tmp_path / "feeds.toml"
    registry.write_text(FETCH_ALLOW_LOCAL_SERVERS
                        + f'[[feed]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.rss")}"\npublisher = "Wire"\n')
    settings = demo_settings(tmp_path, registry)
    items = [("Offsets one", httpserver.url_for("/news/offsets-one")),
             ("Offsets two", httpserver.url_for("/news/offsets-two?utm_source=rss")),
             ("Offsets one again", httpserver.url_for("/news/offsets-one/"))]  # same article
    httpserver.expect_request("/feed.rss").respond_with_data(rss(items), content_type="application/rss+xml")

    first = tick(instance, settings)
    snapshot, = first.run_requests  # one snapshot of the new articles, then one run loads them
    keys = snapshot_keys(snapshot)
    assert len(keys) == 2 and all(key.startswith("feed-wire-offsets-") for key in keys)
    assert snapshot.tags[TRIGGER_TAG] == "sensor:news_feed"
    request, = first.dynamic_partitions_requests
    assert (request.partitions_def_name, list(request.partition_keys)) == ("documents", keys)
    # The keys resolve to the article URLs in the registry the assets load.
    assert {s.id: s.url for s in settings.registry().sources} == {keys[0]: items[0][1], keys[1]: items[1][1]}

    second = tick(instance, settings, first.cursor)
    assert second.run_requests == [] and second.dynamic_partitions_requests == []

    # Without the cursor, the instance's partitions (added by the daemon) tell what is known.
    instance.add_dynamic_partitions("documents", keys)
    assert tick(instance, settings).run_requests == []

    httpserver.clear()
    items.append(("Offsets three", httpserver.url_for("/news/offsets-three")))
    httpserver.expect_request("/feed.rss").respond_with_data(rss(items), content_type="application/rss+xml")
    third = tick(instance, settings, second.cursor)
    new_key, = snapshot_keys(*third.run_requests)
    assert third.run_requests[0].run_key != snapshot.run_key
    assert new_key not in keys and new_key.startswith("feed-wire-offsets-three-")
    assert list(third.dynamic_partitions_requests[0].partition_keys) == [new_key]
    assert json.loads(third.cursor)["seen"] == [*keys, new_key]
    assert len(load_discovered(settings.data_dir)) == 3


def test_a_feed_that_fails_is_skipped_and_the_others_are_read(tmp_path, instance, httpserver):
    registry = tmp_path / "feeds.toml"
    registry.write_text(FETCH_ALLOW_LOCAL_SERVERS + f'[[feed]]\nid = "broken"\nurl = "{httpserver.url_for("/missing.rss")}"\n'
                        f'[[feed]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.rss")}"\n')
    httpserver.expect_request("/missing.rss").respond_with_data("gone", status=404)
    httpserver.expect_request("/feed.rss").respond_with_data(
        rss([("A", httpserver.url_for("/a"))]), content_type="application/rss+xml")
    result = tick(instance, demo_settings(tmp_path, registry))
    expected = article_key(Feed("wire", httpserver.url_for("/feed.rss")), FeedEntry(httpserver.url_for("/a"), "A", None, "a"))
    assert snapshot_keys(*result.run_requests) == [expected]
    assert expected.startswith("feed-wire-a-")


def test_a_discovered_article_runs_through_the_whole_graph(tmp_path, instance, httpserver):
    registry = tmp_path / "feeds.toml"
    registry.write_text(FETCH_ALLOW_LOCAL_SERVERS + f'[[feed]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.rss")}"\n')
    settings = demo_settings(tmp_path, registry)
    url = httpserver.url_for("/news/korea-offsets")
    httpserver.expect_request("/feed.rss").respond_with_data(rss([("Korea offsets", url)]),
                                                             content_type="application/rss+xml")
    httpserver.expect_request("/news/korea-offsets").respond_with_data(NEWS_PAGE.read_bytes(),
                                                                       content_type="text/html")
    result = tick(instance, settings)
    request, = result.run_requests
    key, = snapshot_keys(request)
    instance.add_dynamic_partitions("documents", [key])  # what the daemon does with the sensor's request
    definitions = build_definitions(settings)
    ingest = after_snapshot(instance, settings, run_request(instance, definitions, "snapshot_sources", request))
    assert (ingest.tags[RANGE_START_TAG], ingest.tags[RANGE_END_TAG]) == (key, key)
    assert run_request(instance, definitions, "ingest_documents", ingest).success
    import duckdb

    con = duckdb.connect(settings.warehouse_path, read_only=True)
    try:
        (source_url, claims), = con.execute(
            "SELECT d.source_url, count(c.claim_id) FROM documents d JOIN claims c USING (document_id) "
            "WHERE d.doc_key = ? GROUP BY 1", [key]).fetchall()
    finally:
        con.close()
    assert source_url == url and claims > 0


def test_without_feeds_the_sensor_skips(tmp_path, instance):
    result = tick(instance, demo_settings(tmp_path))
    assert isinstance(result, dg.SkipReason) and "no feeds" in result.skip_message


class SilentFeedHost:
    """A feed host on 127.0.0.1 that reads a request and answers nothing until ``release`` is set.

    ``overlapped`` tells whether ``release`` was set while its first connection was still
    open, i.e. whether another feed was fetched while this one hung.
    """

    def __init__(self) -> None:
        import socket
        import threading

        self.release = threading.Event()
        self.overlapped = False
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        first = True
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                if first:
                    first = False
                    conn.recv(65536)
                    self.overlapped = self.release.wait(20)
                # later attempts: closed at once

    def close(self) -> None:
        self._sock.close()


def test_a_silent_feed_host_does_not_hold_up_the_other_feeds(tmp_path, instance, httpserver):
    """Feeds are fetched at once (sources/fetch_many.py): the good feed is read while the silent one hangs."""
    silent = SilentFeedHost()
    try:
        registry = tmp_path / "feeds.toml"
        registry.write_text(FETCH_ALLOW_LOCAL_SERVERS
                            + f'[[feed]]\nid = "hangs"\nurl = "http://127.0.0.1:{silent.port}/feed.rss"\n'
                            + f'[[feed]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.rss")}"\n')

        def good_feed(request):
            from werkzeug import Response

            silent.release.set()
            return Response(rss([("A", httpserver.url_for("/a"))]), content_type="application/rss+xml")

        httpserver.expect_request("/feed.rss").respond_with_handler(good_feed)
        result = tick(instance, demo_settings(tmp_path, registry))
    finally:
        silent.close()
    assert silent.overlapped, "the second feed was fetched only after the silent one gave up"
    key, = snapshot_keys(*result.run_requests)
    assert key.startswith("feed-wire-a-")
