"""Salesforce Lead records as plain values: the fields we read, SOQL literals, and parsing with reasons."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crm_sync.cleaning import clean_text, parse_datetime
from store.normalize import SALESFORCE_ID

LEAD_QUERY_FIELDS = (
    "Id", "FirstName", "LastName", "Email", "Title", "Company", "Website", "Industry", "NumberOfEmployees",
    "AnnualRevenue", "Country", "Description", "LeadSource", "Status", "IsConverted", "CreatedDate",
    "LastModifiedDate", "LastModifiedById", "SystemModstamp",
)  # fmt: skip


class RecordError(ValueError):
    """A Salesforce record that cannot be stored; the message is the reason reported for it."""


def is_salesforce_id(value: object) -> bool:
    """True for a 15- or 18-character alphanumeric Salesforce Id."""
    return isinstance(value, str) and bool(SALESFORCE_ID.match(value))


def soql_datetime(moment: datetime) -> str:
    """A SOQL datetime literal (unquoted, UTC, whole seconds: Salesforce drops the fraction anyway)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def soql_string(value: str) -> str:
    """A quoted SOQL string literal with backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def soql_list(values: Iterable[str]) -> str:
    """The inside of a SOQL `IN (...)`: each value a quoted string literal."""
    return ", ".join(soql_string(v) for v in values)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


@dataclass(frozen=True)
class LeadRecord:
    """The parts of a Salesforce Lead this product uses, cleaned."""

    salesforce_id: str
    modstamp: datetime
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    company_name: str | None = None
    website: str | None = None
    industry: str | None = None
    employees: int | None = None
    annual_revenue: float | None = None
    country: str | None = None
    description: str | None = None
    source: str | None = None
    status: str | None = None
    is_converted: bool = False
    created_at: datetime | None = None
    modified_at: datetime | None = None
    modified_by: str | None = None


def parse_lead(raw: dict[str, Any]) -> LeadRecord:
    """A LeadRecord from a REST/SOQL Lead dict; raises RecordError when the Id or SystemModstamp is unusable."""
    record_id = raw.get("Id")
    if not is_salesforce_id(record_id):
        raise RecordError(f"invalid Salesforce Id {record_id!r}")
    modstamp = parse_datetime(raw.get("SystemModstamp")) or parse_datetime(raw.get("LastModifiedDate"))
    if modstamp is None:
        raise RecordError(f"lead {record_id} has no readable SystemModstamp")
    employees = _number(raw.get("NumberOfEmployees"))
    company = clean_text(raw.get("Company"), 255)
    return LeadRecord(
        salesforce_id=str(record_id),
        modstamp=modstamp,
        email=clean_text(raw.get("Email"), 320),
        first_name=clean_text(raw.get("FirstName"), 120),
        last_name=clean_text(raw.get("LastName"), 120),
        title=clean_text(raw.get("Title"), 255),
        company_name=None if company and company.lower() in ("[not provided]", "n/a", "none", "-") else company,
        website=clean_text(raw.get("Website"), 2000),
        industry=clean_text(raw.get("Industry"), 120),
        employees=int(employees) if employees is not None and 0 <= employees < 10_000_000 else None,
        annual_revenue=_number(raw.get("AnnualRevenue")),
        country=clean_text(raw.get("Country"), 80),
        description=clean_text(raw.get("Description"), 32_000),
        source=clean_text(raw.get("LeadSource"), 120),
        status=clean_text(raw.get("Status"), 120),
        is_converted=bool(raw.get("IsConverted")),
        created_at=parse_datetime(raw.get("CreatedDate")),
        modified_at=parse_datetime(raw.get("LastModifiedDate")),
        modified_by=str(raw["LastModifiedById"]) if is_salesforce_id(raw.get("LastModifiedById")) else None,
    )
