"""Storing Salesforce leads: company by domain (website, else email, never free-mail or our own), then the lead."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from crm_sync.salesforce.records import LeadRecord
from store.normalize import InvalidDomainError, domain_from_email, is_free_mail, normalize_domain, normalize_email
from store.repositories import companies, leads, scores
from store.tables import Company, Lead

COMPANY_INPUTS = ("name", "industry", "employees", "country", "description", "annual_revenue")


@dataclass
class StoredLead:
    """What storing one lead did: its row id, whether it needs (re)scoring, and notes about bad input."""

    lead_id: int
    salesforce_id: str
    created: bool
    needs_score: bool
    warnings: list[str] = field(default_factory=list)


def company_domain(record: LeadRecord, own_domains: Iterable[str]) -> tuple[str | None, list[str]]:
    """The company domain for a lead (Website first, then email) and why none was usable, if so."""
    own = {d.lower() for d in own_domains}
    warnings: list[str] = []
    if record.website:
        try:
            domain = normalize_domain(record.website)
        except InvalidDomainError:
            warnings.append(f"malformed website {record.website[:80]!r}")
        else:
            if not is_free_mail(domain) and domain not in own:
                return domain, warnings
            warnings.append(f"website {domain} is not a company domain")
    if record.email:
        email_domain = domain_from_email(record.email)
        if email_domain and not is_free_mail(email_domain) and email_domain not in own:
            return email_domain, warnings
        warnings.append("email domain is free-mail, our own or invalid" if email_domain else "email has no domain")
    elif not record.website:
        warnings.append("no email or website: stored without a company")
    return None, warnings


def _company_facts(company: Company | None) -> tuple[object, ...]:
    return tuple(getattr(company, name) for name in COMPANY_INPUTS) if company else ()


def is_open(*, converted: bool, status: str | None, closed_statuses: Iterable[str], deleted: bool = False) -> bool:
    """Whether an AE can still work a lead: not converted, not deleted, its status not a closed one
    (case-insensitive). `store.repositories.leads.open_lead_ids` applies the same rule in SQL."""
    closed = {s.strip().casefold() for s in closed_statuses}
    return not converted and not deleted and (status or "").strip().casefold() not in closed


def _org_times(record: LeadRecord, known: Lead | None, own_user: str | None) -> tuple[datetime, datetime | None]:
    """(modified_at, status_changed_at) as the org's people set them: a stamp our own writeback moved
    (LastModifiedById is the integration user) never replaces what we saw before it."""
    ours = own_user is not None and record.modified_by == own_user
    seen = record.modified_at or record.modstamp
    modified = (known.modified_at if known else record.created_at or seen) if ours else seen
    if known is not None and (known.status or "") == (record.status or ""):
        return modified, known.status_changed_at or modified
    if ours:
        return modified, known.modified_at if known else record.created_at
    return modified, seen


def store_lead(
    record: LeadRecord,
    *,
    session: Session,
    own_domains: Iterable[str] = (),
    own_user: str | None = None,
    closed_statuses: Iterable[str] | None = None,
) -> StoredLead:
    """Upsert the lead's company and the lead; an open lead needs a re-score when new, when scoring inputs
    changed (lead or company facts), when it was never scored, or when an earlier re-score never committed (the
    lead stays `score_pending` until one does). Our own writeback fields are not inputs, and converted or closed
    leads (`closed_statuses`; None = score every lead) are stored for history but never scored."""
    domain, warnings = company_domain(record, own_domains)
    company_id, company_changed = None, False
    if domain is not None:
        before = _company_facts(companies.get_company_by_domain(domain, session=session))
        company, _ = companies.upsert_company(
            domain,
            session=session,
            name=record.company_name,
            industry=record.industry,
            employees=record.employees,
            country=record.country,
            description=record.description,
            annual_revenue=record.annual_revenue,
        )
        company_id, company_changed = company.id, _company_facts(company) != before
    email = None
    if record.email:
        if "@" in record.email:
            email = normalize_email(record.email)
        else:
            warnings.append(f"invalid email {record.email[:80]!r} ignored")
    known = leads.get_lead_by_salesforce_id(record.salesforce_id, session=session)
    modified_at, status_changed_at = _org_times(record, known, own_user)
    lead, created, changed = leads.upsert_lead(
        session=session,
        salesforce_id=record.salesforce_id,
        email=email,
        first_name=record.first_name,
        last_name=record.last_name,
        title=record.title,
        company_id=company_id,
        source=record.source,
        status=record.status,
        is_converted=record.is_converted,
        created_at=record.created_at or record.modstamp,
        modified_at=modified_at,
        status_changed_at=status_changed_at,
    )
    assert lead.id is not None
    if closed_statuses is not None and not is_open(
        converted=record.is_converted, status=record.status, closed_statuses=closed_statuses
    ):
        if lead.score_pending:
            lead.score_pending = False
            session.add(lead)
        return StoredLead(lead.id, record.salesforce_id, created, False, warnings)
    needs = created or bool(changed) or company_changed or lead.score_pending
    needs = needs or scores.latest_score(lead.id, session=session) is None
    if needs:
        leads.mark_score_pending(lead.id, session=session)
    return StoredLead(lead.id, record.salesforce_id, created, needs, warnings)
