"""App Home: publish the user's view when they open the bot's Home tab."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk.errors import SlackApiError
from structlog import get_logger

from bot.deps import BotDeps
from bot.home_view import HomeData, LeadRow, VerdictRow, home_view
from store.db import session_scope
from store.repositories import feedback, model_versions, scores

log = get_logger(__name__)


def home_data(deps: BotDeps, user_id: str) -> HomeData:
    """Gather the user's verdicts, the latest strong leads and the champion model from the store."""
    threshold = deps.settings.slack.post_threshold
    with session_scope(deps.engine) as session:
        verdicts = [
            VerdictRow(
                company.name or company.domain if company else "Unknown company",
                score.qualification_score,
                fb.verdict,
                fb.reason,
                fb.updated_at,
            )
            for fb, score, company in feedback.feedback_by_user(user_id, session=session)
        ]
        leads = [
            LeadRow(
                company.name or company.domain if company else "Unknown company",
                score.qualification_score,
                score.recommendation,
                score.scored_at,
            )
            for score, company in scores.recent_scores(session=session, min_score=threshold)
        ]
        champion = model_versions.get_champion(session=session)
        return HomeData(
            verdicts=verdicts,
            leads=leads,
            model_version=champion.version if champion else None,
            metrics=dict(champion.metrics) if champion else {},
            threshold=threshold,
        )


def register(app: App, deps: BotDeps) -> None:
    """Attach the app_home_opened listener."""

    def ack_event(ack: Ack) -> None:
        ack()

    def publish_home(event: dict[str, Any]) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user_id = str(event.get("user") or "")
        try:
            deps.background.views_publish(user_id=user_id, view=home_view(home_data(deps, user_id)))
        except (SlackApiError, OSError) as exc:
            log.warning("slack.home_publish_failed", user=user_id, error=str(exc)[:200])

    app.event("app_home_opened")(ack=ack_event, lazy=[publish_home])
