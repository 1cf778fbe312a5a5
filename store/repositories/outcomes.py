"""Outcomes: one row per lead with what happened in Salesforce (the primary training label)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from store.tables import Outcome
from store.types import utcnow

OUTCOME_FIELDS = (
    "progressed",
    "voice_ai_opportunity",
    "status",
    "stage",
    "opportunity_id",
    "source",
    "decided_at",
)


def upsert_outcome(lead_id: int, *, session: Session, **fields: Any) -> tuple[Outcome, bool]:
    """Create or update a lead's outcome; returns (row, changed)."""
    unknown = set(fields) - set(OUTCOME_FIELDS)
    if unknown:
        raise ValueError(f"unknown outcome fields: {sorted(unknown)}")
    row = session.exec(select(Outcome).where(Outcome.lead_id == lead_id)).first()
    if row is None:
        row = Outcome(lead_id=lead_id, **fields)
        changed = True
    else:
        changed = any(getattr(row, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(row, name, value)
    if changed:
        row.recorded_at = utcnow()
        session.add(row)
        session.flush()
    return row, changed


def list_outcomes(*, session: Session, decided_after: datetime | None = None) -> list[Outcome]:
    """Outcomes in decision order, optionally only newer than a time."""
    query = select(Outcome).order_by(col(Outcome.decided_at), col(Outcome.id))
    if decided_after is not None:
        query = query.where(Outcome.decided_at > decided_after)
    return list(session.exec(query).all())


def get_outcome(lead_id: int, *, session: Session) -> Outcome | None:
    """A lead's outcome, or None when not known yet."""
    return session.exec(select(Outcome).where(Outcome.lead_id == lead_id)).first()


def count_outcomes(*, session: Session, recorded_after: datetime | None = None) -> int:
    """Outcomes recorded after `recorded_after` (all of them when None)."""
    query = select(func.count()).select_from(Outcome)
    if recorded_after is not None:
        query = query.where(Outcome.recorded_at > recorded_after)
    return int(session.exec(query).one())
