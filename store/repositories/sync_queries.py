"""Queries the CRM sync needs: batch look-ups, and which score was last written back to Salesforce per lead."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, literal
from sqlmodel import Session, col, select

from store.repositories.outbox import DELIVERED
from store.tables import Lead, OutboxEvent, Score


def score_event_key(topic: str, score_id: int) -> str:
    """The idempotency key of a score's event on a topic (the outbox convention `{topic}:score:{id}`)."""
    return f"{topic}:score:{score_id}"


def last_delivered_scores(lead_ids: Iterable[int], *, topic: str, session: Session) -> dict[int, Score]:
    """Per lead, the newest score whose event on `topic` was delivered (what the receiver last got)."""
    ids = sorted(set(lead_ids))
    if not ids:
        return {}
    key = literal(f"{topic}:score:") + cast(Score.id, String)
    query = (
        select(Score)
        .join(OutboxEvent, col(OutboxEvent.idempotency_key) == key)
        .where(col(Score.lead_id).in_(ids), OutboxEvent.status == DELIVERED)
        .order_by(col(Score.id).desc())
    )
    newest: dict[int, Score] = {}
    for score in session.exec(query).all():
        if score.lead_id is not None:
            newest.setdefault(score.lead_id, score)
    return newest


def scores_by_id(score_ids: Iterable[int], *, session: Session) -> dict[int, Score]:
    """Scores for a set of ids (missing ids are absent from the result)."""
    ids = sorted(set(score_ids))
    if not ids:
        return {}
    return {s.id: s for s in session.exec(select(Score).where(col(Score.id).in_(ids))).all() if s.id is not None}


def leads_by_id(lead_ids: Iterable[int], *, session: Session) -> dict[int, Lead]:
    """Leads for a set of ids in one query (missing ids are absent from the result)."""
    ids = sorted(set(lead_ids))
    if not ids:
        return {}
    return {lead.id: lead for lead in session.exec(select(Lead).where(col(Lead.id).in_(ids))).all() if lead.id}
