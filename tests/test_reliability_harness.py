"""The reliability harness (benchmarks/reliability.py) as a user would run it (issue 16).

Its registry allows the loopback hosts in its [fetch] table (the fetcher is not patched),
its drip-fed and silent answers end at the fetch deadline, the address it does not allow
is refused without a request, and its report gives the total time per URL. The pages are
built here; the harness's own site (generated news and a report) is the benchmark's.
"""
from __future__ import annotations

import datetime as dt

import pytest

from benchmarks import reliability as harness
from pipelines.steps import Staging, fetch_limits, fetch_sources
from sources.registry import load_registry

HTML = b"<html><body><article><p>A tariff of 8 percent.</p></article></body></html>"


def page(name: str, fault: str | None, host: str) -> harness.Page:
    return harness.Page(f"/news/{name}.html", HTML, "text/html", fault, fault is not None, host)


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """The harness's servers and registry, with a 1 s deadline, fetched as source_snapshot does."""
    tmp = tmp_path_factory.mktemp("harness")
    pages = [page("good", None, harness.HOSTS[0]), page("good-2", None, harness.HOSTS[1]),
             page("drip", "drip", harness.SLOW_HOST), page("silent", "silent", harness.SLOW_HOST),
             page("refused", "refused-address", harness.REFUSED_HOST)]
    entries = [(f"news-{p.path[6:-5]}", "news", p) for p in pages]
    with harness.FaultServer({p.path: p for p in pages}) as server:
        harness.write_registry(tmp / "registry.toml", server, entries, {**harness.FETCH, "deadline": 1})
        registry = load_registry(tmp / "registry.toml")
        staging = Staging(tmp / "data")
        with staging.fetcher(registry.fetch) as fetcher:
            manifests = {m["doc_key"]: m for m in fetch_sources(staging, registry.sources, fetcher,
                                                                fetch_limits(registry.fetch))}
        answers = dict(server.answers)
    return {"manifests": manifests, "answers": answers, "server": server, "entries": entries}


def test_the_registry_allows_the_local_hosts_by_name_and_by_network(fetched):
    assert fetched["manifests"]["news-good"]["error"] is None  # 127.0.0.1, allowed by name
    assert fetched["manifests"]["news-good-2"]["error"] is None  # 127.0.0.2, by network


@pytest.mark.parametrize("key", ["news-drip", "news-silent"])
def test_drip_fed_and_silent_answers_end_at_the_fetch_deadline(fetched, key):
    manifest = fetched["manifests"][key]
    assert manifest["error"].startswith(f"{manifest['url']}: not fetched within the 1 s deadline")
    assert manifest["fetch"]["seconds"] > 0


def test_the_address_it_does_not_allow_is_refused_without_a_request(fetched):
    manifest = fetched["manifests"]["news-refused"]
    assert manifest["error"] == (f"{manifest['url']}: refused to connect to {harness.REFUSED_HOST}: a loopback "
                                 "address; allow it in the registry's [fetch] table if it is meant to be fetched")
    assert manifest["fetch"]["attempts"] == 1  # refused before sending, and not retried
    assert "/news/refused.html" not in fetched["answers"]


def test_the_report_gives_the_time_per_url_by_fault_and_host(fetched, capsys):
    urls = {fetched["server"].url(p): (key, p) for key, _, p in fetched["entries"]}
    now = dt.datetime(2026, 12, 1, 12, 0, 0)
    rows = [(m["url"], "run-1", now, m["fetch"]["seconds"], m["error"]) for m in fetched["manifests"].values()]
    slowest = harness.report_fetch_times(rows, urls, deadline=1)
    assert slowest == max(m["fetch"]["seconds"] for m in fetched["manifests"].values())
    out = capsys.readouterr().out
    assert "total fetch time per URL (5 fetches logged by the runs that loaded; deadline 1 s)" in out
    for label in ("drip (permanent)", "silent (permanent)", "no fault", f"host {harness.SLOW_HOST}"):
        assert label in out
