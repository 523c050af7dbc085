"""The fetcher connects to public addresses only, unless a host or network is allowed (issue 16.1).

Names are resolved by a stub (no DNS needed); the connections that do happen go to
the local test server on 127.0.0.1, which each test allows by name.
"""
from __future__ import annotations

import socket

import pytest

from sources.addresses import AddressPolicy, GuardedBackend
from sources.fetch import Fetcher
from sources.fetch_many import FetchLimits
from sources.rawstore import RawStore
from sources.registry import RegistryError, load_registry
from tests.conftest import LOCAL_TEST_HOSTS

PAGE = b"<html><body><p>Tariffs of 25 percent.</p></body></html>"


def stub_resolver(table: dict[str, list[str]]):
    """A resolver that answers from ``table`` and records every question."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        asked.append(host)
        if host in table:
            return table[host]
        try:  # literal addresses resolve to themselves
            socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
            return [host]
        except OSError:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    resolve.asked = asked
    return resolve


@pytest.fixture
def fetcher_with(tmp_path):
    made = []

    def make(policy: AddressPolicy, **options) -> Fetcher:
        options = {"timeout": 2, "retries": 4, "backoff_initial": 0.01, "backoff_max": 0.02, **options}
        fetcher = Fetcher(RawStore(tmp_path / "raw"), tmp_path / "state.json", address_policy=policy, **options)
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


REFUSED = [
    ("metadata.internal", "169.254.169.254", "link-local"),
    ("intranet.example", "10.1.2.3", "private"),
    ("office.example", "172.16.0.9", "private"),
    ("router.example", "192.168.1.1", "private"),
    ("self.example", "127.0.0.2", "loopback"),
    ("v6-self.example", "::1", "loopback"),
    ("mapped.example", "::ffff:127.0.0.1", "loopback"),
    ("group.example", "224.0.0.251", "multicast"),
    ("v6-link.example", "fe80::1", "link-local"),
]


@pytest.mark.parametrize("host, address, kind", REFUSED)
def test_private_addresses_are_refused_before_connecting(fetcher_with, host, address, kind):
    resolver = stub_resolver({host: [address]})
    fetcher = fetcher_with(AddressPolicy.allowing(resolver=resolver))
    result = fetcher.fetch(f"http://{host}/latest/meta-data")
    assert not result.ok and result.attempts == 1  # final at once, never retried
    assert result.error == (f"http://{host}/latest/meta-data: refused to connect to {host} ({address}): "
                            f"a {kind} address; allow it in the registry's [fetch] table if it is meant to be fetched")


def test_a_name_with_one_private_address_among_public_ones_is_refused(fetcher_with):
    resolver = stub_resolver({"mixed.example": ["93.184.216.34", "10.0.0.7"]})
    result = fetcher_with(AddressPolicy.allowing(resolver=resolver)).fetch("http://mixed.example/")
    assert not result.ok and "10.0.0.7" in result.error


def test_a_literal_loopback_address_is_refused_without_retries(fetcher_with):
    # The audit saw a closed port on 127.0.0.2 tried five times; now it is refused before connecting.
    result = fetcher_with(AddressPolicy()).fetch("http://127.0.0.2:9/x.pdf")
    assert not result.ok and result.attempts == 1
    assert "refused to connect to 127.0.0.2: a loopback address" in result.error


def test_the_local_server_is_fetched_when_allowed_by_name(httpserver, fetcher_with):
    httpserver.expect_request("/page.html").respond_with_data(PAGE, content_type="text/html")
    fetcher = fetcher_with(AddressPolicy.allowing(hosts=LOCAL_TEST_HOSTS))
    assert fetcher.connections_guarded  # the connected address is checked too, not only the URL
    result = fetcher.fetch(httpserver.url_for("/page.html"))
    assert result.ok, result.error


def test_the_local_server_is_refused_when_not_allowed(httpserver, fetcher_with):
    httpserver.expect_request("/page.html").respond_with_data(PAGE, content_type="text/html")
    result = fetcher_with(AddressPolicy()).fetch(httpserver.url_for("/page.html"))
    assert not result.ok and "a loopback address" in result.error
    assert httpserver.log == []  # no request reached the server


@pytest.mark.parametrize("target, shown", [("http://metadata.internal/latest/meta-data",
                                            "metadata.internal (169.254.169.254)"),
                                           ("http://127.0.0.2:9/", "127.0.0.2")])
def test_a_redirect_to_a_private_address_is_refused(httpserver, fetcher_with, target, shown):
    httpserver.expect_request("/moved").respond_with_data("", status=302, headers={"Location": target})
    resolver = stub_resolver({"localhost": ["127.0.0.1"], "metadata.internal": ["169.254.169.254"]})
    fetcher = fetcher_with(AddressPolicy.allowing(hosts=LOCAL_TEST_HOSTS, resolver=resolver))
    result = fetcher.fetch(httpserver.url_for("/moved"))
    assert not result.ok and result.attempts == 1
    assert f"refused to connect to {shown}" in result.error
    assert len(httpserver.log) == 1  # the first hop was fetched, the redirect was not followed


def test_an_allowed_network_admits_its_addresses_only(fetcher_with):
    resolver = stub_resolver({"inside.example": ["10.20.3.4"], "outside.example": ["10.30.0.1"]})
    policy = AddressPolicy.allowing(networks=["10.20.0.0/16"], resolver=resolver)
    policy.check_address("inside.example", "10.20.3.4")
    assert "10.30.0.1" in fetcher_with(policy).fetch("http://outside.example/").error


def test_the_connection_goes_to_the_checked_address(httpserver):
    # A name that resolved to a public address at the request check but to a private
    # one when connecting (DNS rebinding) is caught by the guarded backend.
    answers = iter([["93.184.216.34"], ["169.254.169.254"]])
    policy = AddressPolicy.allowing(resolver=lambda host, port: next(answers))
    policy.check_url_host("rebind.example", 80)
    with pytest.raises(Exception, match=r"refused to connect to rebind\.example \(169\.254\.169\.254\)"):
        GuardedBackend(policy).connect_tcp("rebind.example", 80)


def test_a_name_that_does_not_resolve_is_a_connect_error(fetcher_with):
    result = fetcher_with(AddressPolicy.allowing(resolver=stub_resolver({})), retries=0).fetch("http://nowhere.invalid/")
    assert not result.ok and "could not connect" in result.error and "cannot resolve nowhere.invalid" in result.error


# ------------------------------------------------------------------ the registry option


def test_the_registry_fetch_table_sets_the_policy_the_deadline_and_the_cap(tmp_path):
    registry = tmp_path / "r.toml"
    registry.write_text('[fetch]\nallow_hosts = ["intranet.example", "127.0.0.1"]\n'
                        'allow_networks = ["10.20.0.0/16"]\ndeadline = 45\nmax_bytes = 1000000\n')
    settings = load_registry(registry).fetch
    assert settings.allow_hosts == ("intranet.example", "127.0.0.1")
    assert settings.allow_networks == ("10.20.0.0/16",)
    assert (settings.deadline, settings.max_bytes) == (45, 1_000_000)
    from pipelines.steps import Staging

    with Staging(tmp_path / "data").fetcher(settings) as fetcher:
        assert fetcher.deadline == 45 and fetcher.max_bytes == 1_000_000
        assert fetcher.address_policy.host_allowed_by_name("INTRANET.example")
        fetcher.address_policy.check_address("x", "10.20.9.9")


def test_the_registry_fetch_table_sets_the_timeout_and_the_concurrency(tmp_path):
    registry = tmp_path / "r.toml"
    registry.write_text("[fetch]\ntimeout = 1.5\nconcurrency = 16\nper_host = 3\nrun_deadline = 60\n")
    settings = load_registry(registry).fetch
    from pipelines.steps import Staging, fetch_limits

    assert fetch_limits(settings) == FetchLimits(concurrency=16, per_host=3, run_deadline=60)
    with Staging(tmp_path / "data").fetcher(settings) as fetcher:
        assert fetcher.timeout == 1.5


def test_without_a_fetch_table_the_limits_are_the_defaults(tmp_path):
    from pipelines.steps import RUN_FETCH_DEADLINE, fetch_limits

    registry = tmp_path / "r.toml"
    registry.write_text("")
    limits = fetch_limits(load_registry(registry).fetch)
    assert limits == FetchLimits(run_deadline=RUN_FETCH_DEADLINE)


def test_without_a_fetch_table_nothing_private_is_allowed(tmp_path):
    registry = tmp_path / "r.toml"
    registry.write_text('[[source]]\nid = "a"\nkind = "news"\nurl = "http://127.0.0.1/a"\n')
    from pipelines.steps import Staging

    with Staging(tmp_path / "data").fetcher(load_registry(registry).fetch) as fetcher:
        assert not fetcher.address_policy.host_allowed_by_name("127.0.0.1")


@pytest.mark.parametrize("table, problem", [
    ('allow_networks = ["10.20.0.0/33"]', "allow_networks: '10.20.0.0/33' is not an IP network (e.g. 10.20.0.0/16)"),
    ('allow_hosts = "localhost"', "allow_hosts must be a list of strings"),
    ("deadline = -1", "deadline must be a positive number"),
    ("allow_everything = true", "unknown key(s) allow_everything"),
    ("timeout = 0", "timeout must be a positive number"),
    ('run_deadline = "1h"', "run_deadline must be a positive number"),
    ("concurrency = 2.5", "concurrency must be a whole number"),
    ("concurrency = 500", "concurrency must be at most 100"),
    ("per_host = true", "per_host must be a positive number"),
])
def test_a_bad_fetch_table_is_a_clear_registry_error(tmp_path, table, problem):
    registry = tmp_path / "r.toml"
    registry.write_text(f"[fetch]\n{table}\n")
    with pytest.raises(RegistryError) as err:
        load_registry(registry)
    assert str(err.value) == f"{registry.resolve()}: [fetch]: {problem}"
