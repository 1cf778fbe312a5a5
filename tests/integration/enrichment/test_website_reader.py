"""The website reader against fixture sites: extracted signals, politeness, limits and awkward servers."""

from __future__ import annotations

from crm_sync.enrichment.domain import CompanySubject
from crm_sync.enrichment.providers.website import WebsiteProvider
from tests.integration.enrichment.conftest import USER_AGENT
from tests.integration.enrichment.site_server import SiteServer


def _read(reader: WebsiteProvider, domain: str):
    return reader.enrich(CompanySubject(company_id=1, domain=domain))


def test_dental_clinic_has_booking_and_phone(reader: WebsiteProvider) -> None:
    result = _read(reader, "dental.test")
    assert result.status == "ok"
    data = result.data
    assert data["has_online_booking"] is True
    assert data["has_phone_number"] is True
    assert "+14155550134" in data["phone_numbers"]
    assert "Calendly" in data["tech_stack"]
    assert data["has_call_centre"] is True  # "patient helpline" on /contact
    assert data["evidence"]["call_centre"].startswith("/contact")
    assert data["description"].startswith("Family dental clinic")
    assert data["pages_fetched"] == ["/", "/contact"]
    assert data["has_login"] is False and data["has_payments"] is False


def test_contact_centre_outsourcer_shows_voice_ai_and_five9(reader: WebsiteProvider) -> None:
    data = _read(reader, "bpo.test").data
    assert data["contact_centre_vendors"] == ["Five9"]
    assert data["has_call_centre"] is True
    assert {"ivr", "conversational ai", "virtual agent"} <= set(data["voice_ai_indicators"])
    assert "b2b" in data["business_model"]
    assert data["description"] == "Outsourced customer support and contact center services for enterprise brands."


def test_saas_has_login_payments_pricing_and_chat(reader: WebsiteProvider) -> None:
    data = _read(reader, "saas.test").data
    assert data["has_login"] is True
    assert data["evidence"]["login"]  # a link text or the password field on /login
    assert data["has_payments"] is True
    assert data["has_pricing"] is True
    assert data["has_chat_widget"] is True
    assert {"Intercom", "Stripe"} <= set(data["tech_stack"])
    assert "saas" in data["business_model"]
    assert data["voice_ai_indicators"] == []


def test_shop_is_b2c_with_checkout_and_chat(reader: WebsiteProvider) -> None:
    data = _read(reader, "shop.test").data
    assert data["has_payments"] is True
    assert data["has_chat_widget"] is True
    assert {"Shopify", "Zendesk"} <= set(data["tech_stack"])
    assert "b2c" in data["business_model"]
    assert "802-555-0111" in data["phone_numbers"]


def test_marketplace_business_model(reader: WebsiteProvider) -> None:
    data = _read(reader, "marketplace.test").data
    assert "marketplace" in data["business_model"]
    assert data["has_login"] is True


def test_voice_ai_company_with_twilio_and_hiring(reader: WebsiteProvider) -> None:
    data = _read(reader, "voiceai.test").data
    assert data["cpaas_vendors"] == ["Twilio"]
    assert {"ai agents", "voice bots", "ai receptionist"} <= set(data["voice_ai_indicators"])
    assert data["hiring"] is True


def test_parked_domain_reports_only_parking(reader: WebsiteProvider) -> None:
    data = _read(reader, "parked.test").data
    assert data["parked_domain"] is True
    assert data["has_payments"] is False and data["has_login"] is False and data["has_call_centre"] is False
    assert data["tech_stack"] == [] and data["description"] is None


def test_robots_disallowed_paths_are_never_fetched(reader: WebsiteProvider, site_server: SiteServer) -> None:
    data = _read(reader, "robots-partial.test").data
    paths = site_server.paths_for("robots-partial.test")
    assert "/pricing" not in paths and "/login" not in paths
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert data["pages_disallowed"] == ["/pricing", "/login"]
    assert "/about" in data["pages_fetched"]
    assert site_server.user_agents == {USER_AGENT}


def test_robots_disallow_all_for_our_agent_skips_the_site(reader: WebsiteProvider, site_server: SiteServer) -> None:
    result = _read(reader, "robots-all.test")
    assert result.status == "skipped" and "robots.txt" in (result.reason or "")
    assert site_server.paths_for("robots-all.test") == ["/robots.txt"]


def test_robots_server_error_means_stay_away(reader: WebsiteProvider, site_server: SiteServer) -> None:
    result = _read(reader, "robots-error.test")
    assert result.status == "failed" and "robots.txt unavailable: HTTP 503" in (result.reason or "")
    assert site_server.paths_for("robots-error.test") == ["/robots.txt"]


def test_redirect_to_www_is_followed(reader: WebsiteProvider, site_server: SiteServer) -> None:
    data = _read(reader, "redirect.test").data
    assert data["website_url"].startswith("http://www.redirect.test:")
    assert data["hiring"] is True  # /careers fetched from the redirected origin
    assert "/careers" in site_server.paths_for("www.redirect.test")


def test_redirect_loop_is_bounded(reader: WebsiteProvider, site_server: SiteServer) -> None:
    result = _read(reader, "loop.test")
    assert result.status == "failed" and "redirects" in (result.reason or "")
    assert site_server.paths_for("loop.test").count("/") == 4  # first request + max_redirects (3)


def test_not_found_homepage_is_a_recorded_failure(reader: WebsiteProvider) -> None:
    result = _read(reader, "notfound.test")
    assert result.status == "failed" and result.reason == "homepage answered HTTP 404"


def test_non_html_homepage_is_skipped_without_reading_it(reader: WebsiteProvider) -> None:
    result = _read(reader, "pdf.test")
    assert result.status == "skipped" and "application/pdf" in (result.reason or "")


def test_huge_page_is_cut_at_the_cap(reader: WebsiteProvider) -> None:
    result = _read(reader, "huge.test")
    assert result.status == "ok"
    assert result.data["truncated"] is True
    assert result.data["has_online_booking"] is True  # signals from the part that was read


def test_declared_latin1_page_is_decoded(reader: WebsiteProvider) -> None:
    data = _read(reader, "latin1.test").data
    assert data["title"] == "Café Réservé"
    assert "française" in data["description"]
    assert data["has_online_booking"] is True


def test_undeclared_cp1252_page_is_decoded(reader: WebsiteProvider) -> None:
    data = _read(reader, "cp1252.test").data
    assert data["title"] == "Café Lumière"
    assert "“the neighbourhood bistro”" in data["description"]


def test_stalled_homepage_times_out_with_a_reason(reader: WebsiteProvider) -> None:
    result = _read(reader, "slow-home.test")
    assert result.status == "failed" and "timeout" in (result.reason or "")


def test_site_that_never_answers_fails_fast_without_fetching_pages(
    reader: WebsiteProvider, site_server: SiteServer
) -> None:
    result = _read(reader, "hang.test")
    assert result.status == "failed"
    assert "robots.txt unavailable" in (result.reason or "") and "timeout" in (result.reason or "")
    assert site_server.paths_for("hang.test") == ["/robots.txt"]


def test_free_mail_domain_is_skipped(reader: WebsiteProvider, site_server: SiteServer) -> None:
    before = len(site_server.requests)
    result = _read(reader, "gmail.com")
    assert result.status == "skipped" and "free-mail" in (result.reason or "")
    assert len(site_server.requests) == before
