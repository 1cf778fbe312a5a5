"""Bulk reads and small writes the learning loop needs: labelled leads with their context, label counts,
recent scores for drift and registry bookkeeping. Lists of ids are queried in chunks (SQLite's bind limit)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from store.tables import Call, Company, Feedback, Lead, ModelVersion, Outcome, Score

CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def leads_with_companies(lead_ids: Sequence[int], *, session: Session) -> dict[int, tuple[Lead, Company | None]]:
    """Leads by id with their company (None for free-mail or unknown companies)."""
    out: dict[int, tuple[Lead, Company | None]] = {}
    for chunk in _chunks(lead_ids):
        query = (
            select(Lead, Company)
            .join(Company, col(Lead.company_id) == col(Company.id), isouter=True)
            .where(col(Lead.id).in_(chunk))
        )
        for lead, company in session.exec(query).all():
            out[lead.id] = (lead, company)
    return out


def calls_by_lead(lead_ids: Sequence[int], *, session: Session) -> dict[int, list[Call]]:
    """Every call of each lead, oldest first."""
    out: dict[int, list[Call]] = defaultdict(list)
    for chunk in _chunks(lead_ids):
        query = select(Call).where(col(Call.lead_id).in_(chunk)).order_by(col(Call.started_at), col(Call.id))
        for call in session.exec(query).all():
            out[call.lead_id].append(call)
    return dict(out)


def score_marks_by_lead(lead_ids: Sequence[int], *, session: Session) -> dict[int, list[tuple[int, datetime, bool]]]:
    """(score id, scored_at, exploration flag) of each lead's scores, oldest first."""
    out: dict[int, list[tuple[int, datetime, bool]]] = defaultdict(list)
    for chunk in _chunks(lead_ids):
        query = (
            select(Score.lead_id, Score.id, Score.scored_at, Score.exploration)
            .where(col(Score.lead_id).in_(chunk))
            .order_by(col(Score.scored_at), col(Score.id))
        )
        for lead_id, score_id, scored_at, exploration in session.exec(query).all():
            out[lead_id].append((score_id, scored_at, bool(exploration)))
    return dict(out)


def all_outcomes_and_feedback(*, session: Session) -> tuple[list[Outcome], list[Feedback]]:
    """Every outcome and feedback row (the raw material of training labels)."""
    outcomes = list(session.exec(select(Outcome).order_by(col(Outcome.decided_at), col(Outcome.id))).all())
    feedback = list(session.exec(select(Feedback).order_by(col(Feedback.updated_at), col(Feedback.id))).all())
    return outcomes, feedback


def count_new_labels(since: datetime | None, *, session: Session) -> int:
    """Outcomes recorded plus feedback given after `since` (all of them when None)."""
    outcomes = select(func.count()).select_from(Outcome)
    feedback = select(func.count()).select_from(Feedback)
    if since is not None:
        outcomes = outcomes.where(Outcome.recorded_at > since)
        feedback = feedback.where(Feedback.updated_at > since)
    return int(session.exec(outcomes).one()) + int(session.exec(feedback).one())


def recent_scores(since: datetime, *, session: Session) -> list[Score]:
    """Scores made after `since`, oldest first (score distribution and rolling precision)."""
    query = select(Score).where(Score.scored_at > since).order_by(col(Score.scored_at), col(Score.id))
    return list(session.exec(query).all())


def lead_ids_created_since(since: datetime, *, session: Session, limit: int = 20_000) -> list[int]:
    """Ids of leads created after `since`, newest first, at most `limit` (the current population for drift)."""
    query = select(Lead.id).where(Lead.created_at > since).order_by(col(Lead.created_at).desc()).limit(limit)
    return [int(lead_id) for lead_id in session.exec(query).all()]


def mark_version_details(version: str, details: dict[str, Any], *, session: Session) -> ModelVersion:
    """Merge keys into a registered version's details (rollback marks, promotion decisions)."""
    row = session.exec(select(ModelVersion).where(ModelVersion.version == version)).first()
    if row is None:
        raise LookupError(f"model version {version!r} is not registered")
    row.details = {**row.details, **details}
    session.add(row)
    session.flush()
    return row
