"""Scores: persist each scoring, read a lead's score history, and score look-ups across leads (latest per lead,
last delivered per lead, recent ones)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, insert, literal
from sqlmodel import Session, col, func, select

from store.repositories._chunks import chunks
from store.repositories.outbox import DELIVERED
from store.tables import Company, OutboxEvent, Outcome, Score
from store.types import table_of


def add_score(*, session: Session, **fields: Any) -> Score:
    """Persist one score row (fields are the Score columns) and return it with its id."""
    score = Score(**fields)
    session.add(score)
    session.flush()
    return score


_SCORE_TABLE = table_of(Score)
_INSERT_SCORES = insert(_SCORE_TABLE).returning(_SCORE_TABLE.c.id, sort_by_parameter_order=True)  # built once


def add_scores(rows: Sequence[Mapping[str, Any]], *, session: Session) -> list[int]:
    """Insert many score rows (each a dict of Score columns) in one statement; their ids, in input order.

    A Core insert: building ORM objects costs more than the insert itself when an API batch stores 100 scores.
    """
    if not rows:
        return []
    return list(session.connection().execute(_INSERT_SCORES, [dict(row) for row in rows]).scalars())


def get_score(score_id: int, *, session: Session) -> Score | None:
    """A score by primary key."""
    return session.get(Score, score_id)


def scores_for_lead(lead_id: int, *, session: Session, limit: int = 20) -> list[Score]:
    """A lead's scores, newest first."""
    query = select(Score).where(Score.lead_id == lead_id).order_by(col(Score.scored_at).desc(), col(Score.id).desc())
    return list(session.exec(query.limit(limit)).all())


def latest_score(lead_id: int, *, session: Session) -> Score | None:
    """A lead's most recent score, or None."""
    scores = scores_for_lead(lead_id, session=session, limit=1)
    return scores[0] if scores else None


def count_scores(*, session: Session) -> int:
    """How many scores are stored."""
    return session.exec(select(func.count()).select_from(Score)).one()


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


def score_marks_by_lead(lead_ids: Sequence[int], *, session: Session) -> dict[int, list[tuple[int, datetime, bool]]]:
    """(score id, scored_at, exploration flag) of each lead's scores, oldest first."""
    out: dict[int, list[tuple[int, datetime, bool]]] = defaultdict(list)
    for chunk in chunks(lead_ids):
        query = (
            select(Score.lead_id, Score.id, Score.scored_at, Score.exploration)
            .where(col(Score.lead_id).in_(chunk))
            .order_by(col(Score.scored_at), col(Score.id))
        )
        for lead_id, score_id, scored_at, exploration in session.exec(query).all():
            if lead_id is not None and score_id is not None:  # narrows the type: the query matched these leads
                out[lead_id].append((score_id, scored_at, bool(exploration)))
    return dict(out)


def scores_since(since: datetime, *, session: Session) -> list[Score]:
    """Scores made after `since`, oldest first (score distribution and rolling precision)."""
    query = select(Score).where(Score.scored_at > since).order_by(col(Score.scored_at), col(Score.id))
    return list(session.exec(query).all())


def _latest_ids(session: Session) -> list[int]:
    query = select(func.max(Score.id)).where(col(Score.lead_id).is_not(None)).group_by(col(Score.lead_id))
    return [score_id for score_id in session.exec(query).all() if score_id is not None]


@dataclass(frozen=True)
class ScoredLead:
    """A lead's latest score with its company and, when known, its outcome."""

    lead_id: int
    score_id: int
    qualification_score: int
    progression_probability: float
    recommendation: str
    priority: str
    model_version: str
    scored_at: datetime
    company_name: str | None
    domain: str | None
    industry: str | None
    progressed: bool | None
    voice_ai_opportunity: bool | None


def _outcome_flags(lead_ids: Sequence[int], session: Session) -> dict[int, tuple[bool, bool | None]]:
    """(progressed, voice_ai_opportunity) of the leads that have an outcome."""
    query = select(Outcome.lead_id, Outcome.progressed, Outcome.voice_ai_opportunity).where(
        col(Outcome.lead_id).in_(lead_ids)
    )
    return {lead_id: (progressed, voice_ai) for lead_id, progressed, voice_ai in session.exec(query).all()}


def latest_scores(*, session: Session, limit: int = 50_000) -> list[ScoredLead]:
    """Every scored lead's most recent score, joined to company and outcome (newest first)."""
    ids = _latest_ids(session)
    rows: list[ScoredLead] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        query = (
            select(Score, col(Company.name), col(Company.domain), col(Company.industry))
            .join(Company, col(Company.id) == Score.company_id, isouter=True)
            .where(col(Score.id).in_(chunk))
        )
        scored = session.exec(query).all()
        outcomes = _outcome_flags([score.lead_id for score, *_ in scored if score.lead_id is not None], session)
        for score, name, domain, industry in scored:
            assert score.id is not None and score.lead_id is not None
            progressed, voice_ai = outcomes.get(score.lead_id, (None, None))
            rows.append(
                ScoredLead(
                    lead_id=score.lead_id,
                    score_id=score.id,
                    qualification_score=score.qualification_score,
                    progression_probability=score.progression_probability,
                    recommendation=score.recommendation,
                    priority=score.priority,
                    model_version=score.model_version,
                    scored_at=score.scored_at,
                    company_name=name,
                    domain=domain,
                    industry=industry,
                    progressed=progressed,
                    voice_ai_opportunity=voice_ai,
                )
            )
    rows.sort(key=lambda row: (row.scored_at, row.score_id), reverse=True)
    return rows[:limit]


def score_times_since(since: datetime, *, session: Session) -> list[datetime]:
    """Times of the scores made at or after `since`."""
    moments = session.exec(select(Score.scored_at).where(Score.scored_at >= since)).all()
    return [moment for moment in moments if moment is not None]
