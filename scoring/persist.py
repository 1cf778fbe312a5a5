"""Persisting a score: the one way a ScoreResult becomes a Score row."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from scoring.domain import ScoreResult
from store.repositories.scores import add_score
from store.tables import Score


def score_columns(result: ScoreResult) -> dict[str, Any]:
    """A ScoreResult as Score column values (JSON-ready lists, the scored_at datetime kept as it is)."""
    fields = result.model_dump(mode="json")
    fields["scored_at"] = result.scored_at
    return fields


def persist_score(
    result: ScoreResult,
    *,
    session: Session,
    input_hash: str,
    trigger: str | None,
    lead_id: int | None = None,
    company_id: int | None = None,
    exploration: bool = False,
) -> Score:
    """Store a ScoreResult as a Score row in the caller's transaction (no outbox events) and return it."""
    fields = score_columns(result)
    return add_score(
        session=session,
        lead_id=lead_id,
        company_id=company_id,
        input_hash=input_hash,
        exploration=exploration,
        trigger=trigger,
        **fields,
    )
