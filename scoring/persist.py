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


def score_row(
    result: ScoreResult,
    *,
    input_hash: str,
    trigger: str | None,
    lead_id: int | None = None,
    company_id: int | None = None,
    exploration: bool = False,
) -> dict[str, Any]:
    """Every Score column of a result and of how it came about: one row for `add_score` or the bulk `add_scores`."""
    return {
        **score_columns(result),
        "lead_id": lead_id,
        "company_id": company_id,
        "input_hash": input_hash,
        "exploration": exploration,
        "trigger": trigger,
    }


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
    row = score_row(
        result, input_hash=input_hash, trigger=trigger, lead_id=lead_id, company_id=company_id, exploration=exploration
    )
    return add_score(session=session, **row)
