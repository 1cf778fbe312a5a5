"""Calls: upsert by Fellow id, a lead's latest calls, calls of many leads, and unmatched calls kept for review."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from store.repositories._chunks import chunks
from store.tables import Call
from store.types import utcnow

CALL_FIELDS = (
    "lead_id", "company_id", "title", "started_at", "attendees", "notes", "transcript", "call_url",
    "match_method", "unmatched_reason",
)  # fmt: skip


def upsert_call(fellow_id: str, *, session: Session, **fields: Any) -> tuple[Call, bool]:
    """Create or update a call by Fellow id (re-ingesting the same call never duplicates it)."""
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValueError(f"unknown call fields: {sorted(unknown)}")
    call = session.exec(select(Call).where(Call.fellow_id == fellow_id)).first()
    created = call is None
    if call is None:
        call = Call(fellow_id=fellow_id)
    for name, value in fields.items():
        setattr(call, name, value)
    call.updated_at = utcnow()
    session.add(call)
    session.flush()
    return call, created


def calls_for_lead(lead_id: int, *, session: Session, limit: int = 3) -> list[Call]:
    """A lead's most recent calls, newest first."""
    query = (
        select(Call)
        .where(Call.lead_id == lead_id)
        .order_by(col(Call.started_at).desc(), col(Call.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def unmatched_calls(*, session: Session, limit: int = 100) -> list[Call]:
    """Calls not matched to any lead, newest first, with the reason recorded at ingestion."""
    query = select(Call).where(col(Call.lead_id).is_(None)).order_by(col(Call.started_at).desc()).limit(limit)
    return list(session.exec(query).all())


def count_calls(*, session: Session) -> int:
    """How many calls are stored."""
    return session.exec(select(func.count()).select_from(Call)).one()


def call_by_fellow_id(fellow_id: str, *, session: Session) -> Call | None:
    """The stored call for a Fellow note/recording id, or None."""
    return session.exec(select(Call).where(Call.fellow_id == fellow_id)).first()


def calls_by_lead(lead_ids: Sequence[int], *, session: Session) -> dict[int, list[Call]]:
    """Every call of each lead, oldest first."""
    out: dict[int, list[Call]] = defaultdict(list)
    for chunk in chunks(lead_ids):
        query = select(Call).where(col(Call.lead_id).in_(chunk)).order_by(col(Call.started_at), col(Call.id))
        for call in session.exec(query).all():
            if call.lead_id is not None:  # narrows the type: the query matched these lead ids
                out[call.lead_id].append(call)
    return dict(out)


def recent_calls(*, session: Session, limit: int) -> list[Call]:
    """The newest calls with notes (for sentiment and follow-up figures)."""
    query = select(Call).where(col(Call.notes).is_not(None)).order_by(col(Call.started_at).desc()).limit(limit)
    return list(session.exec(query).all())


def call_times_since(since: datetime, *, session: Session) -> list[datetime]:
    """Start times of the calls started at or after `since`."""
    moments = session.exec(select(Call.started_at).where(col(Call.started_at) >= since)).all()
    return [moment for moment in moments if moment is not None]
