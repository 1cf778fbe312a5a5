"""Record the handoff policies an evaluation chose, and serve a scorer under the policy of its model version."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from learning.evaluation import Evaluation
from scoring.policy import HandoffPolicy
from scoring.scorer import Scorer
from store.repositories import policies


def record_policies(evaluation: Evaluation, *, session: Session) -> list[str]:
    """Store every contender's policy under its model version; the versions recorded."""
    recorded = []
    for result in evaluation.contenders.values():
        if result.policy is not None:
            policies.save_policy(
                result.model_version, result.policy_dict() or {}, chosen_at=result.policy.chosen_at, session=session
            )
            recorded.append(result.model_version)
    return recorded


def load_policy(model_version: str, *, session: Session) -> HandoffPolicy | None:
    """The policy recorded for a model version (None when none, or when it no longer validates)."""
    row = policies.get_policy(model_version, session=session)
    if row is None:
        return None
    try:
        return HandoffPolicy.model_validate(row.policy)
    except ValidationError:
        return None


def with_recorded_policy(scorer: Scorer, engine: Engine) -> Scorer:
    """`scorer` under the policy recorded for its model version (unchanged when there is none)."""
    with Session(engine) as session:
        policy = load_policy(scorer.model_version, session=session)
    return scorer if policy is None else scorer.with_policy(policy)
