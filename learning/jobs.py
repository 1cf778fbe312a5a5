"""Scheduled learning entry points (thin: they decide whether work is due and call the flows).

The composition root (admin_api.runtime) wraps them in scheduler jobs; all they need is a `LearningContext`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import structlog
from sqlalchemy.engine import Engine

from config import Settings
from learning.flows import held_for_shadow, retrain, review_shadow
from learning.monitoring import enqueue_drift_alert, run_drift_check
from learning.table import SignalReader
from learning.training import TrainingError
from store.db import session_scope
from store.repositories.feedback import count_feedback
from store.repositories.jobs import recent_job_runs
from store.repositories.model_versions import list_model_versions
from store.repositories.outcomes import count_outcomes

log = structlog.get_logger(__name__)

RETRAIN_CHECK_HOURS = 1
RETRAIN_LEASE_SECONDS = 4 * 3600


class LearningContext(Protocol):
    """What a learning job receives from the scheduler: settings, the database and a call-signal reader."""

    settings: Settings
    engine: Engine

    def signals(self) -> SignalReader:
        """The shared call-signal reader."""
        ...


def retrain_due(context: LearningContext, now: datetime) -> str | None:
    """Why a retrain is due now (None when it is not): first model, schedule, new labels or drift."""
    learning = context.settings.learning
    with session_scope(context.engine) as session:
        versions = list_model_versions(session=session)
        last = versions[0].created_at if versions else None
        new_labels = count_outcomes(session=session, recorded_after=last) + count_feedback(
            session=session, updated_after=last
        )
        drift_runs = [
            r for r in recent_job_runs(session=session, job_name="learning.drift", limit=1) if r.status == "ok"
        ]
    if last is None:
        return f"no model yet and {new_labels} labels" if new_labels >= learning.min_training_samples else None
    if now - last >= timedelta(days=learning.retrain_frequency_days):
        return f"last model trained {(now - last).days} days ago"
    if new_labels >= learning.retrain_on_new_labels:
        return f"{new_labels} new labels since the last model"
    if drift_runs and drift_runs[0].started_at > last and drift_runs[0].details.get("retrain_recommended"):
        return "the last drift check recommended retraining"
    return None


def retrain_job(context: LearningContext) -> dict[str, Any]:
    """Retrain when due; too few or one-class labels are a skip, not a failure."""
    reason = retrain_due(context, datetime.now(UTC))
    if reason is None:
        return {"retrained": False, "reason": "not due"}
    with session_scope(context.engine) as session:
        held = held_for_shadow(session)
    if held is not None:
        version, ends_at = held
        why = f"{reason}, but challenger {version} waits for its shadow period (ends {ends_at:%Y-%m-%d %H:%M} UTC)"
        return {"retrained": False, "reason": why + " and its review; retraining now would replace it unjudged"}
    log.info("learning.retrain.due", reason=reason)
    try:
        result = retrain(context.engine, context.settings, context.signals())
    except TrainingError as exc:
        return {"retrained": False, "reason": f"{reason}; cannot train: {exc}"}
    return {"retrained": True, "reason": reason, **result.to_dict()}


def shadow_review_job(context: LearningContext) -> dict[str, Any]:
    """Gate again a challenger held back for its shadow period once that period has ended."""
    try:
        result = review_shadow(context.engine, context.settings, context.signals())
    except TrainingError as exc:
        return {"reviewed": False, "reason": f"cannot evaluate: {exc}"}
    if result is None:
        return {"reviewed": False, "reason": "no challenger awaits the end of its shadow period"}
    return {"reviewed": True, **result.to_dict()}


def drift_job(context: LearningContext) -> dict[str, Any]:
    """Daily drift check; alerts go to the outbox."""
    now = datetime.now(UTC)
    with session_scope(context.engine) as session:
        report = run_drift_check(session, context.settings, context.signals(), now=now)
        alerted = enqueue_drift_alert(report, session=session, day=now)
    return {**report.to_dict(), "alerted": alerted}
