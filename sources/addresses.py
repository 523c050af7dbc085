"""Which hosts the fetcher may connect to: public addresses, plus what a registry allows.

A registry entry, a feed article or a redirect can name any host. Fetching one on
the machine's own networks (cloud metadata at 169.254.169.254, 10/8, 172.16/12,
192.168/16, loopback 127/8 and ::1, link-local, multicast) would let a document
source reach services that were never meant to be fetched, so the fetcher resolves
every host it is about to request (the first URL and each redirect) and refuses
unless **every** address it resolves to is public. ``ipaddress`` decides what is
public (``is_global``, which also excludes reserved, shared 100.64/10 and
documentation ranges); multicast is refused too, and an IPv4-mapped IPv6 address
is judged as the IPv4 address it maps.

Exceptions are explicit: a host allowed *by name* (``127.0.0.1``, ``localhost``,
``intranet.example``: the name as written in the URL, case-insensitive) or a
resolved address inside an allowed network (``10.20.0.0/16``). Registries set them
in a ``[fetch]`` table (see ``sources/registry.py``); the tests' local servers are
allowed by name in their fixtures, never by default.

The check runs twice for a direct connection: on the URL's host before each
request (httpx request hook, so every redirect hop is checked, also through a
proxy), and on the address actually connected to (:class:`GuardedBackend`), so a
DNS answer that changes between the check and the connection cannot slip through.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Iterable

import httpcore

__all__ = ["AddressPolicy", "AddressRefused", "GuardedBackend", "parse_networks", "system_resolver"]

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class AddressRefused(Exception):
    """A host the policy does not allow; the message names the host and the address."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6), as strings."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def parse_networks(networks: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """``["10.20.0.0/16", ...]`` as networks; ValueError names one that does not parse."""
    parsed = []
    for net in networks:
        try:
            parsed.append(ipaddress.ip_network(net, strict=False))
        except ValueError:
            raise ValueError(f"{net!r} is not an IP network (e.g. 10.20.0.0/16)") from None
    return tuple(parsed)


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _kind(address: Address) -> str:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for name in ("loopback", "link_local", "multicast", "private", "reserved", "unspecified"):
        if getattr(address, f"is_{name}"):
            return name.replace("_", "-")
    return "non-public"


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses only, except the hosts and networks allowed here.

    Attributes:
        allow_hosts: host names (or literal addresses) allowed whatever they resolve to.
        allow_networks: networks (``"10.20.0.0/16"``, ``"fd00::/8"``) whose addresses are allowed.
        resolver: ``(host, port) -> [address, ...]``; tests pass a stub.
    """

    allow_hosts: frozenset[str] = frozenset()
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    resolver: Resolver = field(default=system_resolver, compare=False)

    @classmethod
    def allowing(cls, hosts: Iterable[str] = (), networks: Iterable[str] = (),
                 resolver: Resolver | None = None) -> "AddressPolicy":
        """A policy from plain strings; ValueError names a network that does not parse."""
        return cls(frozenset(_host_key(h) for h in hosts), parse_networks(networks), resolver or system_resolver)

    def host_allowed_by_name(self, host: str) -> bool:
        return _host_key(host) in self.allow_hosts

    def check_address(self, host: str, address: str) -> None:
        """Raise :class:`AddressRefused` unless ``address`` (of ``host``) may be connected to."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
        if _is_public(ip) or any(ip in net for net in self.allow_networks):
            return
        shown = host if host == address else f"{host} ({address})"
        raise AddressRefused(f"refused to connect to {shown}: a {_kind(ip)} address; "
                             f"allow it in the registry's [fetch] table if it is meant to be fetched")

    def resolve(self, host: str, port: int) -> list[str]:
        """The addresses of ``host`` that may be connected to: all of them, or AddressRefused.

        A host allowed by name is not checked. A name that does not resolve raises
        ``httpx.ConnectError`` (the fetcher's usual "could not connect", retried).
        """
        try:
            addresses = self.resolver(host, port)
        except (socket.gaierror, UnicodeError) as exc:
            import httpx

            raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from None
        if not self.host_allowed_by_name(host):
            for address in addresses:
                self.check_address(host, address)
        return addresses

    def check_url_host(self, host: str, port: int) -> None:
        """The request-level check: the URL's host (before each request and redirect)."""
        if not self.host_allowed_by_name(host):
            self.resolve(host, port)


def _host_key(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend that connects only to addresses the policy allows.

    It resolves the host itself and connects to a checked address, so the address
    checked is the address connected to. TLS still verifies the certificate for the
    host name (httpcore passes the URL's host as the server name).
    """

    def __init__(self, policy: AddressPolicy, backend: httpcore.NetworkBackend | None = None):
        self.policy = policy
        self._backend = backend or httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.policy.resolve(host, port)
        error: Exception | None = None
        for address in addresses:
            try:
                return self._backend.connect_tcp(address, port, timeout=timeout, local_address=local_address,
                                                 socket_options=socket_options)
            except httpcore.ConnectError as exc:  # try the next address, as socket.create_connection does
                error = exc
        raise error or httpcore.ConnectError(f"{host} resolved to no address")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover - not used
        raise AddressRefused(f"refused to connect to the unix socket {path}")

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)
