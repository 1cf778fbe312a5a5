"""SSRF refusals (IPs, localhost, private ranges, redirects to them) and per-host politeness."""

from __future__ import annotations

import pytest

from crm_sync.enrichment.address_guard import AddressGuard, RefusedAddressError, UnresolvableHostError
from crm_sync.enrichment.domain import CompanySubject
from crm_sync.enrichment.fetcher import PoliteFetcher
from crm_sync.enrichment.providers.website import WebsiteProvider
from tests.integration.enrichment.conftest import fixture_guard, website_config
from tests.integration.enrichment.site_server import SiteServer


def test_default_guard_refuses_the_fixture_server(site_server: SiteServer) -> None:
    """Without the explicit test allow-list, a host resolving to 127.0.0.1 is refused before any request."""
    config = website_config(site_server.port)
    guard = AddressGuard(resolver=lambda host, port: ["127.0.0.1"], allowed_ports=(site_server.port,))
    provider = WebsiteProvider(config, fetcher=PoliteFetcher(config, guard), scheme="http", port=site_server.port)
    before = len(site_server.requests)
    result = provider.enrich(CompanySubject(1, "dental.test"))
    provider.close()
    assert result.status == "skipped" and "non-public address (127.0.0.1)" in (result.reason or "")
    assert len(site_server.requests) == before


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
        "http://printer.local/",
        "ftp://dental.test/",
        "http://user:pw@dental.test/",
    ],
)
def test_guard_refuses_ip_literals_local_names_and_odd_urls(url: str) -> None:
    with pytest.raises(RefusedAddressError):
        AddressGuard(resolver=lambda host, port: ["93.184.216.34"]).check(url)


NON_PUBLIC = ["10.0.0.5", "192.168.1.1", "172.16.0.1", "169.254.1.1", "0.0.0.0", "::1", "fc00::1",
              "::ffff:127.0.0.1", "100.64.0.1", "224.0.0.1", "240.0.0.1",
              "2002:7f00:1::1", "2002:a00:5::", "64:ff9b::a00:5", "2001:0:4136:e378:8000:63bf:f5ff:fffa"]  # fmt: skip


@pytest.mark.parametrize("address", NON_PUBLIC)
def test_guard_checks_resolved_addresses(address: str) -> None:
    guard = AddressGuard(resolver=lambda host, port: ["93.184.216.34", address])
    with pytest.raises(RefusedAddressError, match="non-public"):
        guard.check("https://rebind.example.com/")


def test_guard_accepts_public_hosts_and_idn() -> None:
    seen: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["93.184.216.34"]

    target = AddressGuard(resolver=resolver).check("https://bücher.example/pricing")
    assert target.host == "xn--bcher-kva.example" and target.port == 443 and target.address == "93.184.216.34"
    assert seen == ["xn--bcher-kva.example"]


def test_guard_refuses_non_standard_ports() -> None:
    with pytest.raises(RefusedAddressError, match="port 6379"):
        AddressGuard(resolver=lambda host, port: ["93.184.216.34"]).check("http://example.com:6379/")


@pytest.mark.parametrize(
    ("domain", "reason"),
    [("redirect-ip.test", "IP address"), ("redirect-internal.test", "non-public address (10.0.0.5)"),
     ("redirect-port.test", "port 6379")],
)  # fmt: skip
def test_redirects_to_forbidden_targets_are_refused(
    reader: WebsiteProvider, site_server: SiteServer, domain: str, reason: str
) -> None:
    result = reader.enrich(CompanySubject(1, domain))
    assert result.status == "skipped" and reason in (result.reason or "")
    assert not site_server.paths_for("internal.test") and not site_server.paths_for("127.0.0.1")


@pytest.mark.parametrize("domain", ["127.0.0.1", "10.0.0.1", "localhost", "[::1]"])
def test_provider_refuses_ip_and_localhost_domains(reader: WebsiteProvider, domain: str) -> None:
    result = reader.enrich(CompanySubject(1, domain))
    assert result.status == "skipped" and (result.reason or "").startswith("refused")


def test_requests_to_one_host_are_spaced_by_the_politeness_delay(site_server: SiteServer) -> None:
    """With a fake clock, every request after the first waits its turn; nothing is fetched early."""
    clock = {"now": 1000.0}
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        clock["now"] += seconds

    config = website_config(site_server.port, politeness_delay_seconds=2.0)
    fetcher = PoliteFetcher(config, fixture_guard(site_server), clock=lambda: clock["now"], sleep=sleep)
    provider = WebsiteProvider(config, fetcher=fetcher, scheme="http", port=site_server.port)
    result = provider.enrich(CompanySubject(1, "saas.test"))
    provider.close()
    requests = len(site_server.paths_for("saas.test"))
    assert result.status == "ok" and requests == 7  # robots.txt + 6 paths
    assert waits == [2.0] * (requests - 1)


def test_unresolvable_domain_is_a_retryable_failure(site_server: SiteServer) -> None:
    def resolver(host: str, port: int) -> list[str]:
        raise UnresolvableHostError(f"cannot resolve {host}: no such host")

    config = website_config(site_server.port)
    guard = AddressGuard(resolver=resolver)
    provider = WebsiteProvider(config, fetcher=PoliteFetcher(config, guard))
    result = provider.enrich(CompanySubject(1, "no-such-company.example"))
    provider.close()
    assert result.status == "failed" and "cannot resolve" in (result.reason or "")
