"""`fellow learn import-history`: bootstrap the label pool from a CRM export of past leads with outcomes.

CSV columns are mapped onto the store's lead, company and call fields by name (common CRM spellings, or an
explicit `COLUMN=field` mapping); each row becomes a lead (with its company when a domain is known, and its
notes as a call) plus an outcome with `source="history"`, so `fellow learn train` then learns from them
through the same feature path as live leads. Columns that map to nothing are listed: the production model
can only use what the scorer also sees at scoring time. Rows whose id is a Salesforce Lead Id are upserted
(re-importing updates them); other files are recorded by content hash and refused a second time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session

from crm_sync.progress import Progress, no_progress
from learning.csv_data import CsvError, CsvTable
from store.normalize import (
    SALESFORCE_ID,
    InvalidDomainError,
    domain_from_email,
    is_free_mail,
    normalize_domain,
    salesforce_id18,
)
from store.repositories.calls import upsert_call
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.outcomes import upsert_outcome
from store.repositories.sync_state import get_sync_state, set_watermark
from store.types import saved_id

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "company_name": ("company", "company name", "account", "account name", "organization", "organisation"),
    "domain": ("domain", "website", "company website", "web site", "url"),
    "email": ("email", "e mail", "email address"),
    "industry": ("industry", "vertical", "sector"),
    "employees": ("employees", "number of employees", "no of employees", "employee count", "headcount"),
    "country": ("country", "billing country", "country region"),
    "description": ("description", "company description", "about"),
    "annual_revenue": ("annual revenue", "revenue"),
    "title": ("title", "job title", "position"),
    "source": ("lead source", "source"),
    "first_name": ("first name", "firstname"),
    "last_name": ("last name", "lastname", "surname"),
    "status": ("status", "lead status"),
    "urgency_level": ("urgency", "urgency level"),
    "notes": ("notes", "call notes", "meeting notes", "comments"),
    "voice_ai": ("voice ai", "voice ai opportunity", "voice ai fit"),
}
_TRUE = frozenset({"1", "true", "yes", "y", "t"})


@dataclass
class ImportSummary:
    """What an import stored and what it could not use."""

    rows: int = 0
    leads_created: int = 0
    leads_updated: int = 0
    companies: int = 0
    calls: int = 0
    outcomes: int = 0
    mapping: dict[str, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.casefold()).split())


def map_columns(columns: list[str], overrides: dict[str, str]) -> dict[str, str]:
    """Field -> CSV column, from explicit overrides first, then the synonym table."""
    unknown = set(overrides.values()) - set(FIELD_SYNONYMS)
    if unknown:
        raise CsvError(f"unknown target field(s) {sorted(unknown)}; known: {', '.join(FIELD_SYNONYMS)}")
    mapping = {target: column for column, target in overrides.items()}
    by_key = {_key(c): c for c in columns}
    for target, names in FIELD_SYNONYMS.items():
        if target in mapping:
            continue
        hit = next((by_key[n] for n in names if n in by_key), None)
        if hit is not None and hit not in mapping.values():
            mapping[target] = hit
    return mapping


def _value(row: pd.Series, mapping: dict[str, str], target: str) -> str | None:
    column = mapping.get(target)
    value = None if column is None else row.get(column)
    return None if value is None or pd.isna(value) or str(value).strip().casefold() in ("", "select") else str(value)


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text.replace(",", ""))
    except ValueError:
        return None


def _domain(row: pd.Series, mapping: dict[str, str]) -> str | None:
    for target in ("domain", "email"):
        text = _value(row, mapping, target)
        if text is None:
            continue
        try:
            domain = domain_from_email(text) if target == "email" else normalize_domain(text)
        except InvalidDomainError:
            continue
        if domain and not is_free_mail(domain):
            return domain
    return None


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (re-import detection)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def import_history(
    table: CsvTable,
    *,
    session: Session,
    digest: str,
    label_column: str,
    id_column: str | None = None,
    overrides: dict[str, str] | None = None,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> ImportSummary:
    """Store every labelled row as lead (+ company, call) + outcome in the caller's transaction; `progress` hears
    rows done of the total after each row."""
    now = now or datetime.now(UTC)
    ids = table.ids
    salesforce_ids = ids is not None and bool(ids.map(lambda v: bool(SALESFORCE_ID.match(str(v)))).all())
    marker = f"history_import:{digest[:32]}"
    if not salesforce_ids and get_sync_state(marker, session=session) is not None:
        raise CsvError("this file was imported before; its ids are not Salesforce Lead Ids, so it would duplicate")
    excluded = {label_column, *(c for c in (id_column,) if c)}
    columns = [c for c in table.raw.columns if c not in excluded]
    mapping = map_columns(columns, overrides or {})
    summary = ImportSummary(rows=len(table.y), mapping=mapping, warnings=list(table.warnings))
    summary.unmapped = [c for c in columns if c not in mapping.values() and c != label_column]
    for i, row in table.raw.iterrows():
        when = now if table.dates is None else table.dates.iloc[i].to_pydatetime()
        domain = _domain(row, mapping)
        company_id = None
        if domain is not None:
            company, _ = upsert_company(
                domain,
                session=session,
                name=_value(row, mapping, "company_name"),
                industry=_value(row, mapping, "industry"),
                employees=None if (n := _number(_value(row, mapping, "employees"))) is None else int(n),
                country=_value(row, mapping, "country"),
                description=_value(row, mapping, "description"),
                annual_revenue=_number(_value(row, mapping, "annual_revenue")),
            )
            company_id, summary.companies = company.id, summary.companies + 1
        urgency = _number(_value(row, mapping, "urgency_level"))
        fields: dict[str, Any] = {
            "email": _value(row, mapping, "email"),
            "first_name": _value(row, mapping, "first_name"),
            "last_name": _value(row, mapping, "last_name"),
            "title": _value(row, mapping, "title"),
            "company_id": company_id,
            "source": _value(row, mapping, "source"),
            "status": _value(row, mapping, "status"),
            "urgency_level": int(urgency) if urgency is not None and 1 <= urgency <= 5 else None,
            "created_at": when,
            "modified_at": when,
        }
        sf_id = salesforce_id18(str(ids.iloc[i])) if salesforce_ids and ids is not None else None
        lead, created, _ = upsert_lead(session=session, salesforce_id=sf_id, **fields)
        summary.leads_created += created
        summary.leads_updated += not created
        notes = _value(row, mapping, "notes")
        if notes:
            key = str(ids.iloc[i]) if ids is not None else f"{digest[:12]}-{i}"
            upsert_call(
                f"history:{key}"[:120], session=session, lead_id=saved_id(lead), company_id=company_id,
                started_at=when, notes=notes, match_method="history",
            )  # fmt: skip
            summary.calls += 1
        voice = _value(row, mapping, "voice_ai")
        upsert_outcome(
            saved_id(lead),
            session=session,
            progressed=bool(table.y[i]),
            voice_ai_opportunity=None if voice is None else voice.strip().casefold() in _TRUE,
            source="history",
            decided_at=when,
        )
        summary.outcomes += 1
        progress("rows", summary.outcomes, summary.rows)
    set_watermark(marker, now, session=session, cursor=f"{summary.rows} rows")
    return summary
