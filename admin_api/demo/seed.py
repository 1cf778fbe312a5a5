"""Write a generated sample dataset into the database (idempotent: re-seeding updates, never duplicates)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from admin_api.demo.sample_data import SampleDataset
from store.normalize import is_free_mail
from store.repositories.calls import upsert_call
from store.repositories.companies import COMPANY_FIELDS, upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.outcomes import upsert_outcome
from store.types import saved_id

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedSummary:
    """Counts of what a seed run wrote."""

    companies: int
    leads: int
    calls: int
    outcomes: int


def seed_dataset(dataset: SampleDataset, *, session: Session, progress: Progress | None = None) -> SeedSummary:
    """Store companies, leads, calls and outcomes of a sample dataset in the caller's transaction."""
    company_ids: dict[str, int] = {}
    for company in dataset.companies:
        fields = {name: getattr(company, name) for name in COMPANY_FIELDS}
        company_row, _ = upsert_company(company.domain, session=session, **fields)
        company_ids[company_row.domain] = saved_id(company_row)
    lead_ids: dict[str, tuple[int, int | None]] = {}
    total = len(dataset.leads)
    for index, lead in enumerate(dataset.leads, start=1):
        company_id = None if is_free_mail(lead.company_domain) else company_ids.get(lead.company_domain.lower())
        lead_row, _, _ = upsert_lead(
            session=session,
            salesforce_id=lead.salesforce_id,
            email=lead.email,
            first_name=lead.first_name,
            last_name=lead.last_name,
            title=lead.title,
            company_id=company_id,
            source=lead.source,
            status=lead.status,
            urgency_level=lead.urgency_level,
            created_at=lead.created_at,
            modified_at=lead.created_at,
        )
        lead_ids[lead.salesforce_id] = (saved_id(lead_row), company_id)
        if progress is not None and (index % 500 == 0 or index == total):
            progress("leads", index, total)
    for call in dataset.calls:
        lead_id, company_id = lead_ids[call.lead_salesforce_id]
        upsert_call(
            call.fellow_id,
            session=session,
            lead_id=lead_id,
            company_id=company_id,
            title=call.title,
            started_at=call.started_at,
            attendees=list(call.attendees),
            notes=call.notes,
            transcript=list(call.transcript) if call.transcript else None,
            call_url=call.call_url,
            match_method="seed",
        )
    for outcome in dataset.outcomes:
        upsert_outcome(
            lead_ids[outcome.lead_salesforce_id][0],
            session=session,
            progressed=outcome.progressed,
            voice_ai_opportunity=outcome.voice_ai_opportunity,
            status=outcome.status,
            stage=outcome.stage,
            source="demo",
            decided_at=outcome.decided_at,
        )
    session.flush()
    return SeedSummary(len(company_ids), len(lead_ids), len(dataset.calls), len(dataset.outcomes))
