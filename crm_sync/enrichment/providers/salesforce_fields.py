"""Salesforce fields already on the Lead/Account: free, so they come first. No Salesforce calls are made here."""

from __future__ import annotations

from typing import Any

from crm_sync.enrichment.domain import CompanySubject, ProviderResult

# Salesforce field API name -> fact key. Account names first, Lead names second (the first present wins).
FIELD_MAP: tuple[tuple[str, str], ...] = (
    ("Industry", "industry"),
    ("NumberOfEmployees", "employees"),
    ("AnnualRevenue", "annual_revenue"),
    ("Website", "website"),
    ("Description", "description"),
    ("BillingCountry", "country"),
    ("Country", "country"),
)
_MAX_TEXT = 2000


def _clean(key: str, value: Any) -> Any:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if key == "employees":
        try:
            number = int(float(value))
        except (TypeError, ValueError):
            return None
        return number if number >= 0 else None
    if key == "annual_revenue":
        try:
            amount = float(value)
        except (TypeError, ValueError):
            return None
        return amount if amount >= 0 else None
    return str(value).strip()[:_MAX_TEXT]


class SalesforceFieldsProvider:
    """Reads firmographics from the Salesforce record fields the caller already has (subject.salesforce_fields)."""

    name = "salesforce"

    def enrich(self, subject: CompanySubject) -> ProviderResult:
        """Map Industry, NumberOfEmployees, AnnualRevenue, Website, Description, Country onto fact keys."""
        data: dict[str, Any] = {}
        for field_name, key in FIELD_MAP:
            value = _clean(key, subject.salesforce_fields.get(field_name))
            if value is not None and key not in data:
                data[key] = value
        if not data:
            return ProviderResult.skipped(self.name, "no firmographic fields on the Salesforce record")
        return ProviderResult.ok(self.name, data)
