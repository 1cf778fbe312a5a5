"""Leads: upsert by Salesforce id, look-ups, and the set of fields whose change calls for a re-score."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, func, select

from store.repositories._chunks import chunks
from store.tables import Company, Lead, Score
from store.types import saved_id, utcnow

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


def clear_score_pending(lead: Lead, *, session: Session) -> None:
    """Clear a lead's `score_pending` mark in the caller's transaction (done when it is scored)."""
    if lead.score_pending:
        lead.score_pending = False
        session.add(lead)


def unscored_lead_ids(*, session: Session, limit: int) -> list[int]:
    """Ids of the newest leads that have never been scored, newest first."""
    scored = select(Score.lead_id).where(col(Score.lead_id).is_not(None))
    query = select(Lead.id).where(col(Lead.id).not_in(scored)).order_by(col(Lead.created_at).desc()).limit(limit)
    return [lead_id for lead_id in session.exec(query).all() if lead_id is not None]


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


def newest_lead_for_company(company_id: int, *, session: Session) -> Lead | None:
    """The company's most recently created lead, or None."""
    query = select(Lead).where(Lead.company_id == company_id).order_by(col(Lead.created_at).desc(), col(Lead.id).desc())
    return session.exec(query.limit(1)).first()


def leads_by_id(lead_ids: Iterable[int], *, session: Session) -> dict[int, Lead]:
    """Leads for a set of ids in one query (missing ids are absent from the result)."""
    ids = sorted(set(lead_ids))
    if not ids:
        return {}
    return {lead.id: lead for lead in session.exec(select(Lead).where(col(Lead.id).in_(ids))).all() if lead.id}


def leads_by_email(emails: Iterable[str], *, session: Session) -> list[Lead]:
    """Leads whose (normalised, lower-case) email is one of `emails`, newest first."""
    wanted = sorted({e.strip().lower() for e in emails if e})
    if not wanted:
        return []
    query = select(Lead).where(col(Lead.email).in_(wanted)).order_by(col(Lead.created_at).desc(), col(Lead.id).desc())
    return list(session.exec(query).all())


def leads_with_companies(lead_ids: Sequence[int], *, session: Session) -> dict[int, tuple[Lead, Company | None]]:
    """Leads by id with their company (None for free-mail or unknown companies)."""
    out: dict[int, tuple[Lead, Company | None]] = {}
    for chunk in chunks(lead_ids):
        query = (
            select(Lead, Company)
            .join(Company, col(Lead.company_id) == col(Company.id), isouter=True)
            .where(col(Lead.id).in_(chunk))
        )
        for lead, company in session.exec(query).all():
            out[saved_id(lead)] = (lead, company)
    return out


def lead_ids_created_since(since: datetime, *, session: Session, limit: int = 20_000) -> list[int]:
    """Ids of leads created after `since`, newest first, at most `limit` (the current population for drift)."""
    query = select(Lead.id).where(Lead.created_at > since).order_by(col(Lead.created_at).desc()).limit(limit)
    return [lead_id for lead_id in session.exec(query).all() if lead_id is not None]


def lead_times_since(since: datetime, *, session: Session) -> list[datetime]:
    """Creation times of the leads created at or after `since`."""
    moments = session.exec(select(Lead.created_at).where(Lead.created_at >= since)).all()
    return [moment for moment in moments if moment is not None]
