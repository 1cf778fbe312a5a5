"""Optional parts of the app: each starts only when its credentials are configured, and the log says which."""

from __future__ import annotations

from fastapi import FastAPI
from slack_sdk import WebClient
from structlog import get_logger

from admin_api.api.services import Services
from admin_api.runtime.lookup import build_lead_lookup
from bot.app import build_slack_app
from bot.http import slack_router
from bot.scoring_backend import ServiceBackend

log = get_logger(__name__)


def log_integrations(services: Services, component: str) -> None:
    """One log line per integration: on, or off with the variables that turn it on."""
    for name, state in services.settings.integrations().items():
        log.info("integration.status", component=component, integration=name, state=state)


def mount_slack(app: FastAPI, services: Services) -> WebClient | None:
    """Serve the Slack Bolt app at /slack/* when Slack is configured, without contacting Slack (its token is
    verified in the background: `admin_api.api.slack_check`); returns the client to verify, or None when off."""
    if not services.settings.slack_enabled:
        return None
    scorers = services.scorers
    backend = ServiceBackend(services.engine, lambda: scorers.current, services.extractor)
    lookup = build_lead_lookup(services.settings, services.engine)
    slack_app = build_slack_app(
        services.settings, engine=services.engine, scoring=backend, lookup=lookup, token_verification_enabled=False
    )
    secret = services.settings.slack_signing_secret
    assert secret is not None  # slack_enabled
    app.include_router(slack_router(slack_app, signing_secret=secret.get_secret_value()))
    return slack_app.client
