"""`tradeclaims run` fetches concurrently within the registry's [fetch] limits (issue 13).

A registry whose first source is a server that never answers, then good sources on
another host: the snapshot's run deadline ends the silent fetch, the good sources load
in the same run, and a source whose turn had not come is that run's recorded error,
fetched by the next run. No test asserts on seconds (the silent server is released by
the fixture at its end; every deadline is far below the fixture's bounds).
"""
from __future__ import annotations

import socket

import dagster as dg

from pipelines.resources import TradeclaimsConfig
from pipelines.runner import materialize_registry
from tests.conftest import FETCH_ALLOW_LOCAL_SERVERS
from tests.test_bookkeeping import rows
from tests.test_fetch import raw_server  # noqa: F401  (fixture)

PAGE = ("<html><head><title>Tariffs</title></head><body><article><p>Korea applies a tariff of 8 percent "
        "on imported apples, and the quota is 12,000 tons a year.</p></article></body></html>").encode()


def ok_page(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % len(PAGE) + PAGE)


def test_a_silent_host_is_cut_at_the_run_deadline_and_the_rest_loads(raw_server, tmp_path):  # noqa: F811 (the imported fixture)
    answering = {"silent": True}

    def sometimes_silent(sock: socket.socket) -> None:
        if answering["silent"]:
            silent_srv.release.wait(30)
        else:
            ok_page(sock)

    silent_base, silent_srv = raw_server(sometimes_silent)
    good_base, _ = raw_server(ok_page)
    registry = tmp_path / "registry.toml"
    # One fetch at a time per host: the second source of the silent host waits for its turn,
    # which comes only after the run's deadline.
    registry.write_text(
        FETCH_ALLOW_LOCAL_SERVERS.replace("[fetch]\n", "[fetch]\nconcurrency = 4\nper_host = 1\n"
                                          "run_deadline = 1.5\ntimeout = 20\n")
        + "".join(f'[[source]]\nid = "{key}"\nkind = "news"\nurl = "{url}"\n\n' for key, url in [
            ("silent", f"{silent_base}/a.html"), ("waiting", f"{silent_base}/b.html"),
            ("good-1", f"{good_base}/1.html"), ("good-2", f"{good_base}/2.html")]))
    settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(tmp_path / "data"),
                                 warehouse_path=str(tmp_path / "data" / "warehouse.duckdb"))
    instance = dg.DagsterInstance.ephemeral()
    first = materialize_registry(settings, instance, log_level="WARNING")
    assert first.success
    warehouse = settings.warehouse_path
    assert rows(warehouse, "SELECT doc_key FROM latest_documents ORDER BY 1") == [("good-1",), ("good-2",)]
    errors = dict(rows(warehouse, "SELECT doc_key, message FROM errors"))
    assert errors == {
        "silent": f"{silent_base}/a.html: not fetched before the run's 1.5 s fetch deadline",
        "waiting": (f"{silent_base}/b.html: not fetched: the run's 1.5 s fetch deadline passed before its "
                    "turn (the next run fetches it)"),
    }
    assert silent_srv.hits == 1  # the waiting source was never requested, in neither step

    answering["silent"] = False
    assert materialize_registry(settings, instance, log_level="WARNING").success
    assert rows(warehouse, "SELECT count(*) FROM latest_documents") == [(4,)]
    assert rows(warehouse, "SELECT count(*) FROM errors") == [(0,)]
