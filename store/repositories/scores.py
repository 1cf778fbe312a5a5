"""Scores: persist each scoring and read a lead's score history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, func, select

from store.tables import Score


def add_score(*, session: Session, **fields: Any) -> Score:
    """Persist one score row (fields are the Score columns) and return it with its id."""
    score = Score(**fields)
    session.add(score)
    session.flush()
    return score


def add_scores(rows: Sequence[Mapping[str, Any]], *, session: Session) -> list[int]:
    """Insert many score rows (each a dict of Score columns) in one statement; their ids, in input order.

    A Core insert: building ORM objects costs more than the insert itself when an API batch stores 100 scores.
    """
    if not rows:
        return []
    table = Score.__table__  # type: ignore[attr-defined]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(statement, [dict(row) for row in rows]).scalars())


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
