"""The website reader: fetch a company's homepage and a few well-known paths, politely, and extract signals."""

from __future__ import annotations

from urllib.parse import urlsplit

import structlog

from crm_sync.enrichment.address_guard import AddressGuard, RefusedAddressError, UnresolvableHostError
from crm_sync.enrichment.config import WebsiteConfig
from crm_sync.enrichment.domain import CompanySubject, ProviderResult
from crm_sync.enrichment.fetcher import DisallowedByRobotsError, FetchError, Page, PoliteFetcher
from crm_sync.enrichment.html_reader import PageParts, read_html
from crm_sync.enrichment.website_signals import extract_signals
from store.normalize import is_free_mail

log = structlog.get_logger(__name__)
_MAX_CONSECUTIVE_FAILURES = 2


class WebsiteProvider:
    """Reads a company's public website. `scheme`/`port` exist so tests can serve fixture sites over HTTP.
    A given `fetcher` brings its own guard; otherwise one is built from `guard` (default: public hosts only).
    """

    name = "website"

    def __init__(
        self,
        config: WebsiteConfig,
        *,
        guard: AddressGuard | None = None,
        fetcher: PoliteFetcher | None = None,
        scheme: str = "https",
        port: int | None = None,
    ) -> None:
        self.config = config
        self.fetcher = fetcher or PoliteFetcher(config, guard or AddressGuard(allowed_ports=config.allowed_ports))
        self.guard = self.fetcher.guard
        self.scheme = scheme
        self.port = port

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self.fetcher.close()

    def enrich(self, subject: CompanySubject) -> ProviderResult:
        """Fetch the homepage, then the configured paths on the same origin; never raises for network trouble."""
        if is_free_mail(subject.domain):
            return ProviderResult.skipped(self.name, f"{subject.domain} is a free-mail domain")
        try:
            domain = self.guard.check_domain(subject.domain)
        except RefusedAddressError as exc:
            return ProviderResult.skipped(self.name, f"refused: {exc}")
        netloc = domain if self.port is None else f"{domain}:{self.port}"
        try:
            home = self.fetcher.get(f"{self.scheme}://{netloc}/")
        except UnresolvableHostError as exc:
            return ProviderResult.failed(self.name, str(exc))
        except RefusedAddressError as exc:
            return ProviderResult.skipped(self.name, f"refused: {exc}")
        except DisallowedByRobotsError:
            return ProviderResult.skipped(self.name, "robots.txt disallows the homepage")
        except FetchError as exc:
            log.info("enrichment.website.unreachable", domain=domain, reason=str(exc))
            return ProviderResult.failed(self.name, str(exc))
        if home.status >= 400:
            return ProviderResult.failed(self.name, f"homepage answered HTTP {home.status}")
        if not home.is_html:
            return ProviderResult.skipped(self.name, f"homepage is not HTML ({home.content_type or 'no type'})")
        return ProviderResult.ok(self.name, self._read_site(home))

    def _read_site(self, home: Page) -> dict[str, object]:
        parts = urlsplit(home.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        pages: dict[str, PageParts] = {"/": read_html(home.text)}
        fetched, missing, disallowed, errors = ["/"], [], [], []
        truncated = home.truncated
        failures = 0
        for path in (p for p in self.config.paths if p != "/"):
            if failures >= _MAX_CONSECUTIVE_FAILURES:
                errors.append(f"{path}: not tried after {failures} failures in a row")
                continue
            try:
                page = self.fetcher.get(origin + path)
            except DisallowedByRobotsError:
                disallowed.append(path)
                continue
            except (FetchError, RefusedAddressError) as exc:
                failures += 1
                errors.append(f"{path}: {exc}")
                continue
            failures = 0
            if page.is_html:
                pages[path] = read_html(page.text)
                fetched.append(path)
                truncated = truncated or page.truncated
            else:
                missing.append(path)
        data = extract_signals(pages)
        data.update(
            website_url=home.url,
            pages_fetched=fetched,
            pages_missing=missing,
            pages_disallowed=disallowed,
            page_errors=errors,
            truncated=truncated,
        )
        return data
