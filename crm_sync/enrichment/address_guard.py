"""Server-side request forgery protection: only public hosts on allowed ports, checked after DNS resolution.

A lead's website field is attacker-controlled, so every URL the website reader fetches (including each
redirect hop) goes through `AddressGuard.check`, which refuses IP literals, localhost, and any host whose
resolved addresses are private, loopback, link-local, multicast or reserved. The fetcher then connects to
the checked address itself, so a DNS answer cannot change between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from store.normalize import InvalidDomainError, normalize_domain

Resolver = Callable[[str, int], list[str]]
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa")


class RefusedAddressError(ValueError):
    """The URL points somewhere the reader must not go."""


class UnresolvableHostError(RefusedAddressError):
    """DNS has no answer for the host (yet): worth retrying later, unlike a refusal."""


@dataclass(frozen=True, slots=True)
class CheckedTarget:
    """A URL that passed the guard, with the address to connect to."""

    scheme: str
    host: str
    port: int
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver returns for a host (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnresolvableHostError(f"cannot resolve {host}: {exc}") from None
    return [str(info[4][0]) for info in infos]


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, Teredo client, NAT64), which is what it reaches."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public(address: str) -> bool:
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        ip = _embedded_ipv4(ip) or ip
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class AddressGuard:
    """Decides whether a URL may be fetched. The defaults refuse every non-public address.

    `allow_private_hosts_for_tests` names hosts (exact, normalised) that may resolve to private addresses;
    it exists only so tests can serve fixture sites from 127.0.0.1 and is empty in production.
    """

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        allowed_ports: Iterable[int] = (80, 443),
        allow_private_hosts_for_tests: Iterable[str] = (),
    ) -> None:
        self.resolver = resolver
        self.allowed_ports = frozenset(allowed_ports)
        self.allow_private_hosts_for_tests = frozenset(allow_private_hosts_for_tests)

    def check_domain(self, domain: str) -> str:
        """The normalised domain, or RefusedAddressError for IP literals, localhost and invalid names."""
        raw = domain.strip().lower()
        host = urlsplit(raw if "://" in raw else f"//{raw}").hostname or raw
        if _is_ip_literal(host):
            raise RefusedAddressError(f"{domain!r} is an IP address, not a domain")
        try:
            name = normalize_domain(domain)
        except InvalidDomainError as exc:
            raise RefusedAddressError(str(exc)) from None
        if name == "localhost" or name.endswith(_LOCAL_SUFFIXES):
            raise RefusedAddressError(f"{name} is a local name")
        return name

    def check(self, url: str) -> CheckedTarget:
        """Check scheme, host and port of a URL and resolve it to one public address to connect to."""
        parts = urlsplit(url)
        scheme = (parts.scheme or "").lower()
        if scheme not in ("http", "https"):
            raise RefusedAddressError(f"scheme {scheme or '(none)'!r} is not allowed")
        if parts.username or parts.password:
            raise RefusedAddressError("URLs with credentials are not allowed")
        raw_host = parts.hostname or ""
        if _is_ip_literal(raw_host):
            raise RefusedAddressError(f"{raw_host} is an IP address, not a domain")
        host = raw_host.rstrip(".")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise RefusedAddressError(f"{raw_host!r} is not a valid host name") from None
        self.check_domain(host)
        port = parts.port or (443 if scheme == "https" else 80)
        if port not in self.allowed_ports:
            raise RefusedAddressError(f"port {port} is not allowed")
        addresses = self.resolver(host, port)
        if not addresses:
            raise UnresolvableHostError(f"{host} has no addresses")
        if host not in self.allow_private_hosts_for_tests:
            bad = [address for address in addresses if not _is_public(address)]
            if bad:
                raise RefusedAddressError(f"{host} resolves to a non-public address ({bad[0]})")
        return CheckedTarget(scheme=scheme, host=host, port=port, address=addresses[0])
