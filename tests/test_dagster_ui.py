"""The Dagster webserver for this project, after a demo run: GraphQL lineage and a real browser.

One webserver per module (tests/dagster_server.py). The browser is Debian's
Chromium driven by Playwright (browsers cannot be downloaded here; `make test` installs it,
scripts/ensure-chromium.sh).
"""
from __future__ import annotations

import time

import pytest

from tests.dagster_server import ARTIFACTS, dagster_webserver, graphql  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
CHECKS = {"claim_text_matches_document", "no_duplicate_claims", "claim_values_plausible",
          "report_chapters_have_claims", "failed_documents"}

GRAPH_QUERY = """
{
  instance { info poolConfig { defaultPoolLimit } runQueueConfig { maxConcurrentRuns } }
  assetNodes {
    assetKey { path }
    dependencyKeys { path }
    pools
    groupName
    partitionDefinition { name type }
    partitionKeys
    assetChecksOrError {
      ... on AssetChecks { checks { name executionForLatestMaterialization { status evaluation { success severity } } } }
    }
  }
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        schedules { name cronSchedule executionTimezone pipelineName }
        sensors { name minIntervalSeconds targets { pipelineName } }
      }
    }
  }
}
"""


@pytest.fixture(scope="module")
def graph(dagster_webserver):  # noqa: F811 (the imported fixture)
    return graphql(dagster_webserver.url, GRAPH_QUERY)


def test_the_running_instance_read_the_projects_dagster_yaml(graph):
    instance = graph["instance"]
    assert instance["poolConfig"]["defaultPoolLimit"] == 1
    assert instance["runQueueConfig"]["maxConcurrentRuns"] == 4
    info = " ".join(instance["info"].split())
    assert "telemetry: enabled: false" in info
    assert "base_dir: data/dagster/artifacts" in info


def test_lineage_runs_snapshot_raw_text_claims_warehouse(graph):
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graph["assetNodes"]}
    assert set(nodes) == {"source_snapshot", "raw_documents", "document_text", "document_claims", "warehouse_claims",
                          "evidence_snapshots", "edition_changes", "claim_checks", "alerts"}
    edges = {("/".join(dep["path"]), key) for key, node in nodes.items() for dep in node["dependencyKeys"]}
    assert edges == {("source_snapshot", "raw_documents"), ("raw_documents", "document_text"),
                     ("document_text", "document_claims"), ("document_claims", "warehouse_claims"),
                     ("warehouse_claims", "edition_changes"), ("warehouse_claims", "claim_checks"),
                     ("warehouse_claims", "evidence_snapshots"), ("edition_changes", "alerts")}
    # Only the writers of the DuckDB file share the single-writer pool.
    assert nodes["warehouse_claims"]["pools"] == ["warehouse_writer"] == nodes["alerts"]["pools"]
    assert nodes["evidence_snapshots"]["pools"] == ["warehouse_writer"]
    assert all(not nodes[k]["pools"] for k in ("source_snapshot", "raw_documents", "document_text", "document_claims",
                                               "edition_changes", "claim_checks"))
    # The whole registry is checked at once, the findings read the whole warehouse; every
    # other asset has a partition per document.
    for key in ("source_snapshot", "edition_changes", "claim_checks", "alerts"):
        assert nodes[key]["partitionDefinition"] is None
        assert nodes[key]["groupName"] == ("findings" if key != "source_snapshot" else "documents")
    for key, node in nodes.items():
        if key in ("source_snapshot", "edition_changes", "claim_checks", "alerts"):
            continue
        assert node["partitionDefinition"] == {"name": "documents", "type": "DYNAMIC"}
        assert "nte-2025-korea" in node["partitionKeys"] and len(node["partitionKeys"]) == 10


def test_the_checks_ran_on_the_demo_run_and_passed(graph):
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graph["assetNodes"]}
    checks = {c["name"]: c for c in nodes["warehouse_claims"]["assetChecksOrError"]["checks"]}
    assert set(checks) == CHECKS
    for name, check in checks.items():
        execution = check["executionForLatestMaterialization"]
        assert execution["status"] == "SUCCEEDED" and execution["evaluation"]["success"], name
    assert checks["failed_documents"]["executionForLatestMaterialization"]["evaluation"]["severity"] == "WARN"


def test_schedules_and_sensors_start_a_snapshot_then_the_ingest_job(graph):
    repository, = graph["repositoriesOrError"]["nodes"]
    schedules = {s["name"]: s for s in repository["schedules"]}
    assert set(schedules) == {"news_daily_schedule", "ustr_reports_schedule"}
    assert schedules["news_daily_schedule"]["cronSchedule"] == "0 6 * * *"
    assert "0 7 * 3,4 1" in schedules["ustr_reports_schedule"]["cronSchedule"]
    assert all(s["pipelineName"] == "snapshot_sources" for s in schedules.values())
    sensors = {s["name"]: s for s in repository["sensors"]}
    assert set(sensors) == {"news_feed_sensor", "offset_alerts_sensor", "ingest_after_snapshot"}
    assert sensors["news_feed_sensor"]["targets"] == [{"pipelineName": "snapshot_sources"}]
    assert sensors["ingest_after_snapshot"]["targets"] == [{"pipelineName": "ingest_documents"}]
    assert sensors["offset_alerts_sensor"]["targets"] == [{"pipelineName": "findings"}]


def test_the_news_check_warns_on_the_demos_stale_figure(graph):
    nodes = {"/".join(n["assetKey"]["path"]): n for n in graph["assetNodes"]}
    check, = nodes["claim_checks"]["assetChecksOrError"]["checks"]
    assert check["name"] == "news_agrees_with_report"
    evaluation = check["executionForLatestMaterialization"]["evaluation"]
    assert evaluation["severity"] == "WARN" and not evaluation["success"]


def test_the_lineage_view_renders_in_chromium(dagster_webserver):  # noqa: F811 (the imported fixture)
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            # Upstream of the warehouse: the per-document graph (the findings below it would
            # zoom the graph out until the node details are no longer drawn).
            page.goto(f"{dagster_webserver.url}/assets/warehouse_claims?view=lineage&lineageScope=upstream&lineageDepth=4",
                      wait_until="domcontentloaded")
            # The four asset nodes of the graph, and the check status of the warehouse node.
            expect(page.get_by_text("5 / 5 Passed")).to_be_visible(timeout=60_000)
            graph = page.locator("body")
            for name in ("raw_documents", "document_text", "document_claims", "warehouse_claims", "10 partitions"):
                expect(graph).to_contain_text(name)
            # Group boxes are drawn by asset group: documents (3 assets) and warehouse.
            expect(page.get_by_text("warehouse", exact=True).first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "lineage-document_claims.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "lineage-document_claims.png").stat().st_size > 10_000
    print(f"browser test: {time.monotonic() - started:.1f} s; server start "
          f"{dagster_webserver.start_seconds:.1f} s; demo run {dagster_webserver.materialize_seconds:.1f} s")


def test_the_evidence_snapshots_show_on_the_assets_page_in_chromium(dagster_webserver):  # noqa: F811 (the imported fixture)
    """The evidence_snapshots materialization's metadata holds the top claims' pictures inline."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(f"{dagster_webserver.url}/assets/evidence_snapshots", wait_until="domcontentloaded")
            page.get_by_text("[Show Markdown]").first.click(timeout=60_000)
            images = page.locator("img[src^='data:image/png;base64,']")
            expect(images.first).to_be_visible(timeout=30_000)
            # the first picture is a report page's (reports first), drawn at its natural size
            assert images.count() >= 3
            width, complete = images.first.evaluate("e => [e.naturalWidth, e.complete]")
            assert complete and width >= 600
            images.first.scroll_into_view_if_needed()
            expect(page.get_by_text("nte-2024-korea").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "evidence-snapshots-metadata.png"))
        finally:
            browser.close()
    assert (ARTIFACTS / "evidence-snapshots-metadata.png").stat().st_size > 10_000
