"""Row -> facts converters: store rows (company, lead, calls) into the DB-free facts the scorer reads; training
and scoring both build features through them, so they see store rows the same way."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, fields
from typing import Any, Protocol

from sqlmodel import Session

from nlp import CallSignals
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.enrichment import DEFAULT_PROVIDER_ORDER, enrichment_facts
from store.tables import Call, Company, Lead

_FIRMOGRAPHICS = tuple(f.name for f in fields(CompanyFacts) if f.name != "enrichment")


class CallReader(Protocol):
    """What the service needs from nlp.SignalExtractor."""

    def extract(
        self,
        text: str,
        title: str | None = None,
        *,
        transcript: list[dict[str, Any]] | None = None,
        attendees: Sequence[str] = (),
    ) -> CallSignals: ...


def company_facts(
    company: Company | None,
    *,
    session: Session | None = None,
    order: Sequence[str] = DEFAULT_PROVIDER_ORDER,
) -> CompanyFacts | None:
    """Convert a Company row into CompanyFacts; with a session, also load its merged enrichment facts
    (providers ranked by `order`), so website signals and firmographics reach the features and the reasons."""
    if company is None:
        return None
    enrichment = enrichment_facts(company.id, session=session, order=order) if session and company.id else {}
    return firmographics(company, enrichment)


def firmographics(record: object, enrichment: Mapping[str, Any] | None = None) -> CompanyFacts:
    """CompanyFacts read off any record that names its fields alike (a Company row, a sample company)."""
    return CompanyFacts(**{name: getattr(record, name) for name in _FIRMOGRAPHICS}, enrichment=enrichment or {})


def lead_facts(lead: Lead) -> LeadFacts:
    """Convert a Lead row into LeadFacts (urgency outside 1-5 is treated as unknown)."""
    urgency = lead.urgency_level if lead.urgency_level is not None and 1 <= lead.urgency_level <= 5 else None
    return LeadFacts(
        email=lead.email, title=lead.title, source=lead.source, urgency_level=urgency, salesforce_id=lead.salesforce_id
    )


def call_facts(calls: Sequence[Call], extractor: CallReader) -> list[CallFacts]:
    """Read each stored call's notes/transcript into CallFacts with signals."""
    return [
        CallFacts(
            call_id=call.id,
            started_at=call.started_at,
            notes=call.notes,
            signals=extractor.extract(
                call.notes or "", call.title, transcript=call.transcript, attendees=call.attendees or ()
            ),
        )
        for call in calls
    ]


def input_hash(company: CompanyFacts | None, lead: LeadFacts | None, calls: Sequence[CallFacts]) -> str:
    """SHA-256 of everything the score was computed from (unchanged inputs -> same hash)."""
    payload = {
        "company": asdict(company) if company else None,
        "lead": asdict(lead) if lead else None,
        "calls": [
            [
                str(c.call_id),
                c.started_at.isoformat() if c.started_at else None,
                hashlib.sha256((c.notes or "").encode()).hexdigest(),
            ]
            for c in calls
        ],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
