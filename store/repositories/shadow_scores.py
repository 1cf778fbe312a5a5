"""Shadow scores: a challenger's scores of live leads, kept apart from Score rows so no card or writeback follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from store.tables import Outcome, Score, ShadowScore


@dataclass(frozen=True)
class ShadowPair:
    """One lead's shadow score, the champion score it stood beside, and the outcome that arrived afterwards."""

    shadow: ShadowScore
    champion: Score
    outcome: Outcome


def add_shadow_score(*, session: Session, **fields: Any) -> ShadowScore:
    """Insert a shadow score in the caller's transaction."""
    row = ShadowScore(**fields)
    session.add(row)
    session.flush()
    return row


def shadow_pairs(model_version: str, *, since: datetime, session: Session) -> list[ShadowPair]:
    """Per lead, the newest shadow score of `model_version` taken before its outcome was decided, for outcomes
    decided since `since`, with the champion score it shadowed."""
    query = (
        select(ShadowScore, Score, Outcome)
        .join(Score, col(Score.id) == ShadowScore.score_id)
        .join(Outcome, col(Outcome.lead_id) == ShadowScore.lead_id)
        .where(ShadowScore.model_version == model_version)
        .where(col(Outcome.decided_at) >= since)
        .where(col(ShadowScore.scored_at) <= Outcome.decided_at)
        .order_by(col(ShadowScore.lead_id), col(ShadowScore.scored_at), col(ShadowScore.id))
    )
    newest: dict[int, ShadowPair] = {}
    for shadow, champion, outcome in session.exec(query).all():
        newest[shadow.lead_id] = ShadowPair(shadow, champion, outcome)
    return list(newest.values())


def count_shadow_scores(model_versions: Sequence[str], *, session: Session) -> dict[str, int]:
    """How many shadow scores each of `model_versions` has recorded."""
    query = (
        select(ShadowScore.model_version, func.count())
        .where(col(ShadowScore.model_version).in_(list(model_versions)))
        .group_by(col(ShadowScore.model_version))
    )
    counts: dict[str, int] = dict.fromkeys(model_versions, 0)
    counts.update({version: int(n) for version, n in session.exec(query).all()})
    return counts
