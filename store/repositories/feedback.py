"""AE feedback: one row per (score, user); a second verdict from the same user updates it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from store.enums import FeedbackReason, FeedbackVerdict
from store.repositories._upsert import flush_or_update_winner
from store.tables import Company, Feedback, Score
from store.types import utcnow

VERDICTS = tuple(v.value for v in FeedbackVerdict)
REASONS = tuple(r.value for r in FeedbackReason)


class UnknownScoreError(LookupError):
    """Feedback names a score that does not exist (deleted, or a forged id)."""


def record_feedback(
    *,
    session: Session,
    score_id: int,
    user_id: str,
    verdict: str,
    user_name: str | None = None,
    reason: str | None = None,
    comment: str | None = None,
    source: str = "slack",
    salesforce_user_id: str | None = None,
) -> tuple[Feedback, bool]:
    """Record or change a user's verdict on a score; returns (row, created). Safe under retries."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict must be one of {VERDICTS}, got {verdict!r}")
    if reason is not None and reason not in REASONS:
        raise ValueError(f"reason must be one of {REASONS}, got {reason!r}")
    score = session.get(Score, score_id)
    if score is None:
        raise UnknownScoreError(f"score {score_id} does not exist")
    query = select(Feedback).where(Feedback.score_id == score_id, Feedback.user_id == user_id)
    row = session.exec(query).first()
    created = row is None
    if row is None:
        row = Feedback(score_id=score_id, user_id=user_id, verdict=verdict, lead_id=score.lead_id)
    row.verdict = verdict
    row.reason = reason if verdict == FeedbackVerdict.DOWN else None
    row.comment = comment
    row.user_name = user_name or row.user_name
    row.model_version = score.model_version
    row.source = source
    row.salesforce_user_id = salesforce_user_id or row.salesforce_user_id
    row.updated_at = utcnow()
    return flush_or_update_winner(row, created, session=session, query=query, update=_take_verdict)


def _take_verdict(existing: Feedback, row: Feedback) -> None:
    """A concurrent duplicate's verdict lands on the row that won the unique key (its Salesforce user if it has one)."""
    existing.verdict, existing.reason, existing.comment = row.verdict, row.reason, row.comment
    existing.source, existing.salesforce_user_id = row.source, row.salesforce_user_id or existing.salesforce_user_id
    existing.updated_at = row.updated_at


def feedback_for_score(score_id: int, *, session: Session) -> list[Feedback]:
    """All verdicts on a score, oldest first."""
    query = select(Feedback).where(Feedback.score_id == score_id).order_by(col(Feedback.created_at))
    return list(session.exec(query).all())


def feedback_for_lead(lead_id: int, *, session: Session) -> list[Feedback]:
    """All verdicts on a lead's scores, newest first."""
    query = select(Feedback).where(Feedback.lead_id == lead_id).order_by(col(Feedback.updated_at).desc())
    return list(session.exec(query).all())


def list_feedback(*, session: Session) -> list[Feedback]:
    """Every feedback row, oldest first (for label assembly)."""
    return list(session.exec(select(Feedback).order_by(col(Feedback.updated_at), col(Feedback.id))).all())


def count_feedback(*, session: Session, updated_after: datetime | None = None) -> int:
    """Feedback rows given (or changed) after `updated_after` (all of them when None)."""
    query = select(func.count()).select_from(Feedback)
    if updated_after is not None:
        query = query.where(Feedback.updated_at > updated_after)
    return int(session.exec(query).one())


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


def feedback_counts(*, session: Session) -> dict[str, int]:
    """Feedback rows per verdict."""
    query = select(Feedback.verdict, func.count()).group_by(Feedback.verdict)
    return {verdict: count for verdict, count in session.exec(query).all()}
