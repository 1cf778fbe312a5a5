"""Scored leads for writeback runs: leads with Score rows and writeback events, as score_lead leaves them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

from store.db import session_scope
from store.repositories import leads, outbox, scores
from store.topics import Topic, score_key
from store.types import utcnow

TOPIC = Topic.SALESFORCE_WRITEBACK


def add_score(engine: Engine, lead_id: int, **overrides: Any) -> int:
    """Persist a score for a lead and enqueue its writeback event (key `{topic}:score:{id}`); returns its id."""
    return add_scores(engine, [lead_id], **overrides)[0]


def add_scores(engine: Engine, lead_ids: list[int], **overrides: Any) -> list[int]:
    """`add_score` for many leads in one transaction."""
    values: dict[str, Any] = {
        "qualification_score": 72,
        "progression_probability": 0.61,
        "voice_ai_fit": 80,
        "recommendation": "AE_HANDOFF",
        "priority": "HIGH_VOICE_AI",
        "confidence": 0.7,
        "reasoning": ["Asked for a voice AI agent", "250 employees in telecom"],
        "model_version": "prior-test",
        "scorer": "prior",
        "input_hash": "x" * 64,
        "scored_at": utcnow(),
    }
    values.update(overrides)
    ids = []
    with session_scope(engine) as session:
        for lead_id in lead_ids:
            score = scores.add_score(session=session, lead_id=lead_id, **values)
            payload = {"score_id": score.id, "lead_id": lead_id}
            outbox.enqueue(TOPIC, score_key(TOPIC, score.id), payload, session=session)
            ids.append(int(score.id or 0))
    return ids


def add_leads(engine: Engine, salesforce_ids: list[str]) -> list[int]:
    """Local leads for org leads; returns their ids in the same order."""
    ids = []
    with session_scope(engine) as session:
        for sf_id in salesforce_ids:
            lead, _, _ = leads.upsert_lead(session=session, salesforce_id=sf_id, last_name="Lead")
            ids.append(int(lead.id or 0))
    return ids
