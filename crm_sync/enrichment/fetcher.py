"""A polite, bounded HTTP fetcher for company websites.

Every request: passes the `AddressGuard` (each redirect hop too) and connects to the checked address,
honours robots.txt for the descriptive User-Agent, waits the per-host politeness delay, stops reading at
the size cap and at a per-page deadline, and downloads no body that is not HTML or text.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx
import structlog

from crm_sync.enrichment.address_guard import AddressGuard, CheckedTarget, RefusedAddressError
from crm_sync.enrichment.config import WebsiteConfig
from crm_sync.enrichment.decoding import decode_body

log = structlog.get_logger(__name__)
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
_REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A page could not be fetched (timeout, connection error, deadline, too many redirects)."""


class DisallowedByRobotsError(FetchError):
    """robots.txt forbids the path for our User-Agent."""


@dataclass(slots=True)
class Page:
    """A fetched page: final URL, status, content type, decoded text (empty for non-text bodies)."""

    url: str
    status: int
    content_type: str
    text: str = ""
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        """True for a successful HTML (or plain text) page."""
        return 200 <= self.status < 300 and self.content_type.startswith(_TEXT_TYPES)


class PoliteFetcher:
    """Fetches pages from company websites under the limits in `WebsiteConfig`."""

    def __init__(
        self,
        config: WebsiteConfig,
        guard: AddressGuard,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.guard = guard
        self.clock = clock
        self.sleep = sleep
        timeout = httpx.Timeout(
            config.read_timeout_seconds, connect=config.connect_timeout_seconds, pool=config.connect_timeout_seconds
        )
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, transport=transport)
        self._lock = threading.Lock()
        self._next_slot: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str) -> Page:
        """Fetch a page, following redirects within the limits; robots.txt is checked on every hop."""
        redirects: list[str] = []
        current = url
        for _ in range(self.config.max_redirects + 1):
            target = self.guard.check(current)
            if not self._robots_allow(target, current):
                raise DisallowedByRobotsError(f"robots.txt disallows {current}")
            page = self._request(target, current, self.config.max_page_bytes)
            if page.status in _REDIRECTS and page.redirects:
                current = page.redirects[0]
                redirects.append(current)
                continue
            page.redirects = redirects
            return page
        raise FetchError(f"more than {self.config.max_redirects} redirects from {url}")

    def _robots_allow(self, target: CheckedTarget, url: str) -> bool:
        origin = f"{target.scheme}://{target.host}:{target.port}"
        with self._lock:
            known = self._robots.get(origin)
        if known is None:
            known = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = known
        if isinstance(known, str):
            raise FetchError(known)
        return known.can_fetch(self.config.user_agent, url)

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        """A parser for the origin's robots.txt, or why it is unavailable (then nothing may be fetched).

        Follows RFC 9309: a 4xx answer means no rules; a 5xx answer or no answer means stay away.
        """
        current = f"{origin}/robots.txt"
        try:
            for _ in range(self.config.max_redirects + 1):
                page = self._request(self.guard.check(current), current, self.config.max_robots_bytes, robots=True)
                if page.status not in _REDIRECTS or not page.redirects:
                    break
                current = page.redirects[0]
        except (FetchError, RefusedAddressError) as exc:
            log.info("enrichment.robots.unavailable", origin=origin, reason=str(exc))
            return f"robots.txt unavailable: {exc}"
        if page.status >= 500 or page.status in _REDIRECTS:
            log.info("enrichment.robots.unavailable", origin=origin, status=page.status)
            return f"robots.txt unavailable: HTTP {page.status}"
        parser = RobotFileParser()
        parser.parse(page.text.splitlines() if 200 <= page.status < 300 else [])
        return parser

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next_slot.get(host, now))
            self._next_slot[host] = slot + self.config.politeness_delay_seconds
        if slot > now:
            self.sleep(slot - now)

    def _request(self, target: CheckedTarget, url: str, max_bytes: int, *, robots: bool = False) -> Page:
        parts = urlsplit(url)
        address = f"[{target.address}]" if ":" in target.address else target.address
        default_port = 443 if target.scheme == "https" else 80
        netloc = address if target.port == default_port else f"{address}:{target.port}"
        pinned = urlunsplit((target.scheme, netloc, parts.path or "/", parts.query, ""))
        host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
        headers = {"User-Agent": self.config.user_agent, "Host": host_header, "Accept": "text/html,*/*;q=0.5"}
        self._wait_turn(target.host)
        deadline = self.clock() + self.config.page_deadline_seconds
        try:
            with self._client.stream(
                "GET", pinned, headers=headers, extensions={"sni_hostname": target.host}
            ) as response:
                content_type = response.headers.get("content-type", "").lower()
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    hops = [urljoin(url, location)] if location else []
                    return Page(url, response.status_code, content_type, redirects=hops)
                wanted = robots or content_type.startswith(_TEXT_TYPES) or not content_type
                if not wanted or not 200 <= response.status_code < 300:
                    return Page(url, response.status_code, content_type)
                body, truncated = self._read_capped(response, max_bytes, deadline)
        except httpx.TimeoutException as exc:
            raise FetchError(f"timeout fetching {url} ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from None
        text = decode_body(body, content_type)
        return Page(url, response.status_code, content_type or "text/html", text, truncated)

    def _read_capped(self, response: httpx.Response, max_bytes: int, deadline: float) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size >= max_bytes:
                return b"".join(chunks)[:max_bytes], True
            if self.clock() > deadline:
                raise FetchError(f"page deadline of {self.config.page_deadline_seconds}s exceeded")
        return b"".join(chunks), False
