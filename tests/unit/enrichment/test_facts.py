"""Merging providers' facts, material changes and the sentences that cite them."""

from __future__ import annotations

from crm_sync.enrichment.domain import CompanySubject
from crm_sync.enrichment.facts import FACT_KEYS, fact_sentences, is_material_change, material_changes, merge_facts
from crm_sync.enrichment.providers.salesforce_fields import SalesforceFieldsProvider


def test_first_provider_in_order_wins_per_fact() -> None:
    merged = merge_facts(
        [
            ("website", {"description": "From the site", "has_online_booking": True, "industry": None}),
            ("csv", {"industry": "Dental", "employees": 40}),
            ("salesforce", {"industry": "Healthcare", "description": ""}),
        ],
        order=("salesforce", "csv", "website"),
    )
    assert merged["industry"] == "Healthcare" and merged["employees"] == 40
    assert merged["description"] == "From the site" and merged["has_online_booking"] is True
    assert merged["sources"] == {"industry": "salesforce", "employees": "csv", "description": "website",
                                 "has_online_booking": "website"}  # fmt: skip
    assert set(merged) - {"sources"} <= set(FACT_KEYS)


def test_material_changes_ignore_cosmetic_ones() -> None:
    before = {"employees": 40, "description": "old", "tech_stack": ["Calendly"], "has_online_booking": True}
    assert not is_material_change(before, {**before, "employees": 45, "description": "new", "tech_stack": []})
    assert material_changes(before, {**before, "employees": 400}) == ["employees"]
    assert material_changes(before, {**before, "has_online_booking": False}) == ["has_online_booking"]
    assert material_changes({}, {"voice_ai_indicators": ["ivr"]}) == ["voice_ai_indicators"]
    assert not is_material_change({"business_model": ["b2b", "saas"]}, {"business_model": ["SaaS", "B2B"]})


def test_sentences_cite_the_facts() -> None:
    facts = {"has_online_booking": True, "has_call_centre": True, "has_phone_number": True,
             "voice_ai_indicators": ["ivr", "voice bots"], "business_model": ["b2b", "saas"],
             "industry": "Dental", "employees": 1200}  # fmt: skip
    assert fact_sentences(facts) == [
        "Website has online booking and a call-centre number",
        "Website mentions Voice AI: ivr, voice bots",
        "Business model: B2B, SaaS",
        "Industry: Dental; 1,200 employees",
    ]
    assert fact_sentences({"parked_domain": True, "has_login": True}) == ["Domain is parked (no real website)"]
    assert fact_sentences({}) == []


def test_salesforce_fields_map_onto_facts() -> None:
    provider = SalesforceFieldsProvider()
    result = provider.enrich(CompanySubject(1, "acme.com", salesforce_fields={
        "Industry": " Telecommunications ", "NumberOfEmployees": "250", "AnnualRevenue": 1.5e7,
        "Website": "https://acme.com", "Description": "", "BillingCountry": "US", "Country": "CA"}))  # fmt: skip
    assert result.status == "ok"
    assert result.data == {"industry": "Telecommunications", "employees": 250, "annual_revenue": 1.5e7,
                           "website": "https://acme.com", "country": "US"}  # fmt: skip
    empty = provider.enrich(CompanySubject(1, "acme.com", salesforce_fields={"NumberOfEmployees": "many"}))
    assert empty.status == "skipped"
