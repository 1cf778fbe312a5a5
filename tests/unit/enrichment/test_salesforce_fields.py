"""The Salesforce fields provider maps Lead/Account fields onto the enrichment fact keys."""

from __future__ import annotations

from crm_sync.enrichment.domain import CompanySubject
from crm_sync.enrichment.providers.salesforce_fields import SalesforceFieldsProvider
from scoring.enrichment import FACT_KEYS


def test_salesforce_fields_map_onto_facts() -> None:
    provider = SalesforceFieldsProvider()
    result = provider.enrich(CompanySubject(1, "acme.com", salesforce_fields={
        "Industry": " Telecommunications ", "NumberOfEmployees": "250", "AnnualRevenue": 1.5e7,
        "Website": "https://acme.com", "Description": "", "BillingCountry": "US", "Country": "CA"}))  # fmt: skip
    assert result.status == "ok"
    assert result.data == {"industry": "Telecommunications", "employees": 250, "annual_revenue": 1.5e7,
                           "website": "https://acme.com", "country": "US"}  # fmt: skip
    assert set(result.data) <= set(FACT_KEYS)
    empty = provider.enrich(CompanySubject(1, "acme.com", salesforce_fields={"NumberOfEmployees": "many"}))
    assert empty.status == "skipped"
