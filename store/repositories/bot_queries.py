"""Queries the Slack bot needs: company search by name, a lead's previous score, App Home lists, posted cards."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from store.tables import Company, Feedback, Lead, OutboxEvent, Score

_LIKE_ESCAPE = "\\"


def _like_literal(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally."""
    return (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", _LIKE_ESCAPE + "%").replace("_", _LIKE_ESCAPE + "_")
    )


def search_companies(text: str, *, session: Session, limit: int = 10) -> list[Company]:
    """Companies whose name contains `text` literally (case-insensitive); exact names first, then shortest."""
    needle = text.strip().lower()
    if not needle:
        return []
    pattern = f"%{_like_literal(needle)}%"
    query = (
        select(Company)
        .where(func.lower(col(Company.name)).like(pattern, escape=_LIKE_ESCAPE))
        .order_by(func.length(col(Company.name)), col(Company.id))
        .limit(limit * 5)
    )
    rows = list(session.exec(query).all())
    return sorted(rows, key=lambda row: (row.name or "").lower() != needle)[:limit]


def previous_score(score: Score, *, session: Session) -> Score | None:
    """The same lead's score just before this one, or None (first score, or no lead)."""
    if score.lead_id is None or score.id is None:
        return None
    query = (
        select(Score)
        .where(Score.lead_id == score.lead_id, col(Score.id) < score.id)
        .order_by(col(Score.scored_at).desc(), col(Score.id).desc())
    )
    return session.exec(query.limit(1)).first()


def newest_lead_for_company(company_id: int, *, session: Session) -> Lead | None:
    """The company's most recently created lead, or None."""
    query = select(Lead).where(Lead.company_id == company_id).order_by(col(Lead.created_at).desc(), col(Lead.id).desc())
    return session.exec(query.limit(1)).first()


def feedback_by_user(
    user_id: str, *, session: Session, limit: int = 10
) -> list[tuple[Feedback, Score, Company | None]]:
    """A user's latest verdicts with the score and company they were about, newest first."""
    query = (
        select(Feedback, Score, Company)
        .join(Score, col(Score.id) == col(Feedback.score_id))
        .join(Company, col(Company.id) == col(Score.company_id), isouter=True)
        .where(Feedback.user_id == user_id)
        .order_by(col(Feedback.updated_at).desc(), col(Feedback.id).desc())
        .limit(limit)
    )
    return [(fb, score, company) for fb, score, company in session.exec(query).all()]


def recent_scores(*, session: Session, min_score: int = 0, limit: int = 10) -> list[tuple[Score, Company | None]]:
    """The newest scores at or above `min_score`, with their company, newest first."""
    query = (
        select(Score, Company)
        .join(Company, col(Company.id) == col(Score.company_id), isouter=True)
        .where(Score.qualification_score >= min_score)
        .order_by(col(Score.scored_at).desc(), col(Score.id).desc())
        .limit(limit)
    )
    return [(score, company) for score, company in session.exec(query).all()]


def get_outbox_event(event_id: int, *, session: Session) -> OutboxEvent | None:
    """An outbox event by id (fresh from the database)."""
    return session.get(OutboxEvent, event_id, populate_existing=True)


def record_delivery_receipt(event_id: int, receipt: dict[str, Any], *, session: Session) -> None:
    """Store what a delivery produced (e.g. Slack channel + ts) in the event's payload under `receipt`."""
    row = session.get(OutboxEvent, event_id, populate_existing=True)
    if row is None:
        raise LookupError(f"outbox event {event_id} does not exist")
    row.payload = {**row.payload, "receipt": receipt}
    session.add(row)
    session.flush()
