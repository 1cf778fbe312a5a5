"""Leads: upsert by Salesforce id, look-ups, and the set of fields whose change calls for a re-score."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, func, select

from store.tables import Lead
from store.types import utcnow

LEAD_FIELDS = (
    "email", "first_name", "last_name", "title", "company_id", "source", "status", "is_converted",
    "urgency_level", "created_at", "modified_at", "status_changed_at",
)  # fmt: skip
SCORING_INPUT_FIELDS = frozenset({"email", "title", "company_id", "urgency_level", "source"})


def get_lead(lead_id: int, *, session: Session) -> Lead | None:
    """A lead by primary key."""
    return session.get(Lead, lead_id)


def get_lead_by_salesforce_id(salesforce_id: str, *, session: Session) -> Lead | None:
    """A lead by its Salesforce Id (15- or 18-character forms are matched on the first 15)."""
    if len(salesforce_id) == 18:
        return session.exec(select(Lead).where(Lead.salesforce_id == salesforce_id)).first()
    return session.exec(select(Lead).where(col(Lead.salesforce_id).startswith(salesforce_id[:15]))).first()


def upsert_lead(
    *, session: Session, salesforce_id: str | None = None, lead_id: int | None = None, **fields: Any
) -> tuple[Lead, bool, set[str]]:
    """Create or update a lead; returns (row, created, names of scoring inputs that changed)."""
    unknown = set(fields) - set(LEAD_FIELDS)
    if unknown:
        raise ValueError(f"unknown lead fields: {sorted(unknown)}")
    lead = None
    if lead_id is not None:
        lead = session.get(Lead, lead_id)
    elif salesforce_id is not None:
        lead = session.exec(select(Lead).where(Lead.salesforce_id == salesforce_id)).first()
    created = lead is None
    if lead is None:
        lead = Lead(salesforce_id=salesforce_id)
    changed = {name for name, value in fields.items() if getattr(lead, name) != value}
    for name, value in fields.items():
        setattr(lead, name, value)
    lead.updated_at = utcnow()
    session.add(lead)
    session.flush()
    return lead, created, changed & SCORING_INPUT_FIELDS if not created else set(SCORING_INPUT_FIELDS)


def mark_score_pending(lead_id: int, *, session: Session) -> None:
    """Mark a lead as needing a (re)score; `scoring.service.score_lead` clears the mark when it scores it."""
    lead = session.get(Lead, lead_id)
    if lead is not None and not lead.score_pending:
        lead.score_pending = True
        session.add(lead)
        session.flush()


def score_pending_ids(*, session: Session, limit: int) -> list[int]:
    """Ids of leads stored as needing a score that none has been committed for yet, oldest change first."""
    query = select(Lead.id).where(col(Lead.score_pending)).order_by(col(Lead.updated_at), col(Lead.id))
    return [lead_id for lead_id in session.exec(query.limit(limit)).all() if lead_id is not None]


def open_lead_ids(
    *, session: Session, closed_statuses: Iterable[str], modified_since: datetime | None = None
) -> list[int]:
    """Leads an AE can still work: not converted, not deleted in Salesforce, status not a closed one
    (case-insensitive); optionally only those a person changed since a time. Oldest first."""
    closed = sorted({s.strip().casefold() for s in closed_statuses})
    query = select(Lead.id).where(~col(Lead.is_converted), col(Lead.deleted_at).is_(None))
    if closed:
        query = query.where(or_(col(Lead.status).is_(None), func.lower(col(Lead.status)).not_in(closed)))
    if modified_since is not None:
        query = query.where(col(Lead.modified_at) >= modified_since)
    return [i for i in session.exec(query.order_by(col(Lead.created_at), col(Lead.id))).all() if i is not None]


def mark_many_score_pending(lead_ids: Iterable[int], *, session: Session) -> int:
    """Mark many leads as needing a re-score in one statement per 500 ids; returns how many were marked."""
    ids = list(lead_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        session.exec(update(Lead).where(col(Lead.id).in_(chunk)).values(score_pending=True))
    session.flush()
    return len(ids)


def mark_unwritable(salesforce_ids: Iterable[str], *, converted: bool, session: Session) -> int:
    """Record that Salesforce refuses writes to these leads (converted, or deleted/merged), so nothing scores or
    writes them again until a sync says otherwise."""
    ids = [i for i in salesforce_ids if i]
    if not ids:
        return 0
    rows = session.exec(select(Lead).where(col(Lead.salesforce_id).in_(ids))).all()
    now = utcnow()
    for lead in rows:
        if converted:
            lead.is_converted = True
        else:
            lead.deleted_at = lead.deleted_at or now
        lead.score_pending = False
        session.add(lead)
    session.flush()
    return len(rows)


def leads_for_company(company_id: int, *, session: Session) -> list[Lead]:
    """A company's leads, newest first."""
    return list(
        session.exec(select(Lead).where(Lead.company_id == company_id).order_by(col(Lead.created_at).desc())).all()
    )


def list_leads(*, session: Session, created_after: datetime | None = None, limit: int | None = None) -> list[Lead]:
    """Leads in creation order, optionally only those created after a time."""
    query = select(Lead).order_by(col(Lead.created_at), col(Lead.id))
    if created_after is not None:
        query = query.where(Lead.created_at > created_after)
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def count_leads(*, session: Session) -> int:
    """How many leads are stored."""
    return session.exec(select(func.count()).select_from(Lead)).one()
