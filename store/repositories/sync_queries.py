"""Queries the CRM sync needs: batch look-ups, and which score was last written back to Salesforce per lead."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, cast, literal
from sqlmodel import Session, col, select

from store.repositories.outbox import DELIVERED
from store.tables import Call, Company, Lead, OutboxEvent, Score


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


def leads_by_email(emails: Iterable[str], *, session: Session) -> list[Lead]:
    """Leads whose (normalised, lower-case) email is one of `emails`, newest first."""
    wanted = sorted({e.strip().lower() for e in emails if e})
    if not wanted:
        return []
    query = select(Lead).where(col(Lead.email).in_(wanted)).order_by(col(Lead.created_at).desc(), col(Lead.id).desc())
    return list(session.exec(query).all())


def company_names(*, session: Session) -> list[tuple[int, str]]:
    """(id, name) of every named company, for fuzzy matching of meeting titles."""
    query = select(Company.id, Company.name).where(col(Company.name).is_not(None)).order_by(col(Company.id))
    return [(company_id, name) for company_id, name in session.exec(query).all() if company_id and name]


def call_by_fellow_id(fellow_id: str, *, session: Session) -> Call | None:
    """The stored call for a Fellow note/recording id, or None."""
    return session.exec(select(Call).where(Call.fellow_id == fellow_id)).first()
