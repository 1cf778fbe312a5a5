"""Build the Slack Bolt app from Settings: /qualify, feedback buttons and modal, "not right" on reasons, App Home,
a polite fallback.

The app acknowledges every request from the request thread (`process_before_response=True`) and does all
slow work in lazy listeners on its own thread pool, so acknowledgements never queue behind scoring jobs.
Signing-secret verification is always on.
"""

from __future__ import annotations

import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from structlog import get_logger

from bot import corrections, feedback, home, qualify
from bot.backend import LeadLookup, QualifyBackend
from bot.clients import build_web_client
from bot.dedupe import RecentKeys
from bot.deps import BotDeps
from bot.gate import FeedbackGate
from bot.replies import reply
from config import Settings

log = get_logger(__name__)
DEFAULT_WORKERS = 8
UNKNOWN_ACTION = "That button is no longer supported; run /qualify again for a fresh card."


def _register_fallbacks(app: App, deps: BotDeps) -> None:
    """Unknown buttons get a friendly note instead of Slack's error; listener errors are logged."""

    def ack_unknown(ack: Ack) -> None:
        ack()

    def explain_unknown(body: dict[str, Any]) -> None:
        actions = body.get("actions") or [{}]
        log.info("slack.unknown_action", action_id=str(actions[0].get("action_id"))[:100])
        reply(deps, body.get("response_url"), UNKNOWN_ACTION)

    app.action(re.compile(".*"))(ack=ack_unknown, lazy=[explain_unknown])

    @app.error
    def log_error(error: Exception, body: dict[str, Any]) -> None:
        log.error("slack.listener_failed", error=type(error).__name__, request_type=str(body.get("type"))[:40])


def build_slack_app(
    settings: Settings,
    *,
    engine: Engine,
    scoring: QualifyBackend,
    lookup: LeadLookup | None = None,
    client: WebClient | None = None,
    background_client: WebClient | None = None,
    token_verification_enabled: bool = True,
    workers: int = DEFAULT_WORKERS,
) -> App:
    """A Bolt App wired to the store, the scoring backend and the CRM lookup for unknown targets (clients default
    to ones built from Settings)."""
    if settings.slack_signing_secret is None or not settings.slack_signing_secret.get_secret_value():
        raise ValueError("Slack is off: set FELLOW_SLACK_BOT_TOKEN and FELLOW_SLACK_SIGNING_SECRET")
    client = client or build_web_client(settings)
    background = background_client or build_web_client(settings, background=True)
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=True,
        token_verification_enabled=token_verification_enabled,
        request_verification_enabled=True,
        listener_executor=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-lazy"),
        logger=logging.getLogger("slack_bolt"),
        name="fellow-bot",
    )
    deps = BotDeps(
        settings=settings,
        engine=engine,
        backend=scoring,
        client=client,
        background=background,
        recent=RecentKeys(),
        gate=FeedbackGate(client, settings.slack.feedback_user_group),
        lookup=lookup,
    )
    qualify.register(app, deps)
    feedback.register(app, deps)
    corrections.register(app, deps)
    home.register(app, deps)
    _register_fallbacks(app, deps)
    log.info("slack.app_built", api_url=settings.slack_api_url, workers=workers)
    return app
