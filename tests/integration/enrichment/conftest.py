"""Fixtures for enrichment integration tests: the fixture-site server and a website reader pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from crm_sync.enrichment.address_guard import AddressGuard
from crm_sync.enrichment.config import WebsiteConfig
from crm_sync.enrichment.fetcher import PoliteFetcher
from crm_sync.enrichment.providers.website import WebsiteProvider
from tests.integration.enrichment.site_server import SiteServer
from tests.integration.enrichment.sites import INTERNAL_HOST, fixture_sites

USER_AGENT = "FellowQualificationBot/0.1 (+https://example.invalid/bot; tests)"


def fixture_resolver(host: str, port: int) -> list[str]:
    """Fixture hosts live on 127.0.0.1; INTERNAL_HOST pretends to be a private 10.x service."""
    return ["10.0.0.5"] if host == INTERNAL_HOST else ["127.0.0.1"]


@pytest.fixture(scope="module")
def site_server() -> Iterator[SiteServer]:
    """The fixture-site server for a test module."""
    server = SiteServer({})
    server.sites.update(fixture_sites(server.port))
    server.start()
    yield server
    server.stop()


def website_config(port: int, **overrides: object) -> WebsiteConfig:
    """Short timeouts and small caps so the awkward sites finish fast."""
    values: dict[str, object] = {
        "user_agent": USER_AGENT,
        "paths": ("/", "/pricing", "/login", "/contact", "/careers", "/about"),
        "connect_timeout_seconds": 1.0,
        "read_timeout_seconds": 0.5,
        "page_deadline_seconds": 10.0,
        "max_page_bytes": 64_000,
        "max_redirects": 3,
        "politeness_delay_seconds": 0.0,
        "allowed_ports": (80, 443, port),
    }
    values.update(overrides)
    return WebsiteConfig.model_validate(values)


def fixture_guard(server: SiteServer) -> AddressGuard:
    """A guard that lets the fixture hosts (not INTERNAL_HOST) resolve to 127.0.0.1."""
    hosts = [host for host in server.sites if host != INTERNAL_HOST]
    ports = (80, 443, server.port)
    return AddressGuard(resolver=fixture_resolver, allowed_ports=ports, allow_private_hosts_for_tests=hosts)


@pytest.fixture
def reader(site_server: SiteServer) -> Iterator[WebsiteProvider]:
    """A website provider reading the fixture sites over HTTP."""
    config = website_config(site_server.port)
    provider = WebsiteProvider(
        config, fetcher=PoliteFetcher(config, fixture_guard(site_server)), scheme="http", port=site_server.port
    )
    yield provider
    provider.close()
