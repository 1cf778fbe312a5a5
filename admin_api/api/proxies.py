"""Who is really calling: the client address and scheme, believing X-Forwarded-For / X-Forwarded-Proto only from
configured trusted proxies (`api.trusted_proxies`), so a brake keyed by address sees attackers, not the balancer."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
KEY_PREFIX_CHARS = 4


class TrustedProxies:
    """The proxies whose forwarding headers are believed (none by default: the peer is the client)."""

    def __init__(self, networks: Iterable[str] = ()) -> None:
        self._networks: tuple[Network, ...] = tuple(ipaddress.ip_network(entry, strict=False) for entry in networks)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in network for network in self._networks)

    def _peer(self, request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def client_address(self, request: Request) -> str:
        """The first address, walking X-Forwarded-For back from the peer, that is not a trusted proxy."""
        address = self._peer(request)
        if not self._trusted(address):
            return address
        for hop in reversed(request.headers.get("x-forwarded-for", "").split(",")):
            address = hop.strip() or address
            if not self._trusted(address):
                return address
        return address

    def is_https(self, request: Request) -> bool:
        """Whether the client's connection is TLS (a trusted proxy's X-Forwarded-Proto, else our own scheme)."""
        if self._trusted(self._peer(request)):
            forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
            if forwarded:
                return forwarded == "https"
        return request.url.scheme == "https"


def guess_bucket(client: str, presented_key: str) -> str:
    """What the key-guessing brake counts: the client address plus the presented key's first characters, so one
    guesser behind a shared address does not lock out colleagues presenting the right key."""
    return f"{client}|{presented_key[:KEY_PREFIX_CHARS]}"
