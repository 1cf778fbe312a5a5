"""Enrichment: per-provider results with their fetch/expiry times, and the value-ordered enrichment queue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from store.tables import Company, Enrichment, EnrichmentRequest, Lead, Score
from store.types import utcnow

OPEN_STATUSES = ("pending", "running")
_QUEUE_ORDER = (col(EnrichmentRequest.priority).desc(), col(EnrichmentRequest.requested_at), col(EnrichmentRequest.id))


def enrichments_for_company(company_id: int, *, session: Session) -> list[Enrichment]:
    """Every provider's stored result for a company."""
    return list(session.exec(select(Enrichment).where(Enrichment.company_id == company_id)).all())


def save_enrichment(
    company_id: int,
    provider: str,
    *,
    session: Session,
    status: str,
    reason: str | None,
    data: dict[str, Any],
    fetched_at: datetime,
    expires_at: datetime,
) -> Enrichment:
    """Insert or replace the result of one provider for one company."""
    row = session.exec(
        select(Enrichment).where(Enrichment.company_id == company_id, Enrichment.provider == provider)
    ).first()
    if row is None:
        row = Enrichment(company_id=company_id, provider=provider, status=status, expires_at=expires_at)
    row.status, row.reason, row.data = status, reason, data
    row.fetched_at, row.expires_at = fetched_at, expires_at
    session.add(row)
    session.flush()
    return row


def request_enrichment(
    company_id: int, priority: float, *, session: Session, now: datetime | None = None
) -> tuple[EnrichmentRequest, bool]:
    """Queue a company (one request per company): a new or finished request becomes pending at this priority.

    Returns (request, created). An open request keeps its place and takes the new priority.
    """
    now = now or utcnow()
    row = session.exec(select(EnrichmentRequest).where(EnrichmentRequest.company_id == company_id)).first()
    created = row is None
    if row is None:
        try:
            with session.begin_nested():
                row = EnrichmentRequest(company_id=company_id, priority=priority, requested_at=now, updated_at=now)
                session.add(row)
                session.flush()
            return row, True
        except IntegrityError:
            row = session.exec(select(EnrichmentRequest).where(EnrichmentRequest.company_id == company_id)).one()
    if row.status not in OPEN_STATUSES:
        row.status, row.attempts, row.last_error, row.requested_at = "pending", 0, None, now
    row.priority = priority
    row.updated_at = now
    session.add(row)
    session.flush()
    return row, created


def claim_requests(
    limit: int, *, session: Session, lease: timedelta, now: datetime | None = None
) -> list[EnrichmentRequest]:
    """Take the highest-priority pending requests (and running ones whose worker vanished) and mark them running."""
    now = now or utcnow()
    query = (
        select(EnrichmentRequest)
        .where(
            or_(
                col(EnrichmentRequest.status) == "pending",
                and_(col(EnrichmentRequest.status) == "running", col(EnrichmentRequest.updated_at) < now - lease),
            )
        )
        .order_by(*_QUEUE_ORDER)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(query).all())
    for row in rows:
        row.status, row.attempts, row.updated_at = "running", row.attempts + 1, now
        session.add(row)
    session.flush()
    return rows


def finish_request(
    request_id: int, status: str, *, session: Session, error: str | None = None, now: datetime | None = None
) -> None:
    """Record how a claimed request ended: 'done', 'failed', or back to 'pending' for another try."""
    row = session.get(EnrichmentRequest, request_id)
    if row is None:
        return
    row.status, row.last_error, row.updated_at = status, error, now or utcnow()
    session.add(row)
    session.flush()


def backlog_size(*, session: Session) -> int:
    """How many enrichment requests are waiting or in progress."""
    query = select(func.count()).select_from(EnrichmentRequest).where(col(EnrichmentRequest.status).in_(OPEN_STATUSES))
    return session.exec(query).one()


@dataclass(frozen=True, slots=True)
class QueuedCompany:
    """A queue row with its company's domain, for listings."""

    request_id: int
    company_id: int
    domain: str
    priority: float
    status: str
    attempts: int
    last_error: str | None
    requested_at: datetime


def list_requests(*, session: Session, statuses: Sequence[str] = OPEN_STATUSES, limit: int = 50) -> list[QueuedCompany]:
    """Queue rows in processing order (highest priority first) with their company domains."""
    query = (
        select(EnrichmentRequest, Company.domain)
        .join(Company, col(Company.id) == col(EnrichmentRequest.company_id))
        .where(col(EnrichmentRequest.status).in_(list(statuses)))
        .order_by(*_QUEUE_ORDER)
        .limit(limit)
    )
    return [
        QueuedCompany(
            row.id or 0, row.company_id, domain, row.priority, row.status, row.attempts, row.last_error,
            row.requested_at,
        )
        for row, domain in session.exec(query).all()
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PriorityInputs:
    """What the expected value of enriching a company is computed from."""

    qualification_score: int | None
    voice_ai_fit: int | None
    confidence: float | None
    latest_lead_at: datetime | None


def priority_inputs(company_id: int, *, session: Session) -> PriorityInputs:
    """The company's newest score (via its leads or directly) and its newest lead's creation time."""
    score = session.exec(
        select(Score)
        .outerjoin(Lead, col(Lead.id) == col(Score.lead_id))
        .where(or_(col(Score.company_id) == company_id, col(Lead.company_id) == company_id))
        .order_by(col(Score.scored_at).desc(), col(Score.id).desc())
        .limit(1)
    ).first()
    latest_lead = session.exec(select(func.max(Lead.created_at)).where(Lead.company_id == company_id)).one()
    if latest_lead is not None and latest_lead.tzinfo is None:
        latest_lead = latest_lead.replace(tzinfo=utcnow().tzinfo)
    return PriorityInputs(
        score.qualification_score if score else None,
        score.voice_ai_fit if score else None,
        score.confidence if score else None,
        latest_lead,
    )


def companies_due(providers: Sequence[str], *, session: Session, now: datetime, limit: int) -> list[int]:
    """Companies with leads, no open request, and a provider result that is missing or expired."""
    fresh = (
        select(Enrichment.company_id)
        .where(col(Enrichment.provider).in_(list(providers)), col(Enrichment.expires_at) > now)
        .group_by(col(Enrichment.company_id))
        .having(func.count(func.distinct(Enrichment.provider)) >= len(providers))
    )
    open_requests = select(EnrichmentRequest.company_id).where(col(EnrichmentRequest.status).in_(OPEN_STATUSES))
    query = (
        select(Lead.company_id)
        .where(
            col(Lead.company_id).is_not(None),
            col(Lead.company_id).not_in(fresh),
            col(Lead.company_id).not_in(open_requests),
        )
        .group_by(col(Lead.company_id))
        .order_by(func.max(Lead.created_at).desc())
        .limit(limit)
    )
    return [company_id for company_id in session.exec(query).all() if company_id is not None]
