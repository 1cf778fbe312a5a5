"""Handoff policies recorded per model version (the rule-based prior's version included)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from store.tables import HandoffPolicyRecord


def save_policy(model_version: str, policy: dict[str, Any], *, chosen_at: datetime, session: Session) -> None:
    """Record (or replace) the policy chosen for a model version, in the caller's transaction."""
    row = get_policy(model_version, session=session) or HandoffPolicyRecord(model_version=model_version)
    row.policy, row.chosen_at = policy, chosen_at
    session.add(row)
    session.flush()


def get_policy(model_version: str, *, session: Session) -> HandoffPolicyRecord | None:
    """The policy recorded for a model version, or None."""
    query = select(HandoffPolicyRecord).where(HandoffPolicyRecord.model_version == model_version)
    return session.exec(query).first()
