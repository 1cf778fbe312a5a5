"""`fellow bot --socket`: run the Slack bot over Socket Mode (no public URL needed) until interrupted."""

from __future__ import annotations

import threading

import typer
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError
from structlog import get_logger

from admin_api.api.services import Services, build_services
from admin_api.cli.common import fail, friendly_errors, load_settings_for_cli, open_database
from admin_api.runtime.learning_jobs import retrain_job
from admin_api.runtime.lookup import build_lead_lookup
from bot.app import build_slack_app
from bot.scoring_backend import ServiceBackend

log = get_logger(__name__)


def _follow_champion(services: Services, stop: threading.Event) -> None:
    """Keep serving the registry's champion, as `fellow serve` does."""
    while not stop.wait(services.settings.api.model_refresh_seconds):
        try:
            services.scorers.follow_champion(services.engine)
        except Exception as exc:  # a failed check must not stop future checks
            log.warning("model.follow_failed", error_type=type(exc).__name__, error=str(exc))


@friendly_errors
def bot(
    socket: bool = typer.Option(False, "--socket", help="Connect to Slack over Socket Mode (needs the app token)."),
) -> None:
    """Run the Slack bot on its own over Socket Mode; over HTTP it is served by `fellow serve` at /slack/*."""
    settings = load_settings_for_cli()
    if not socket:
        raise fail("over HTTP the bot runs inside `fellow serve`; pass --socket to use Socket Mode instead")
    if not settings.slack_enabled or settings.slack_app_token is None:
        raise fail("Socket Mode needs FELLOW_SLACK_BOT_TOKEN, FELLOW_SLACK_SIGNING_SECRET and FELLOW_SLACK_APP_TOKEN")
    services = build_services(settings, retrain_job=retrain_job, engine=open_database(settings))
    scorers = services.scorers
    backend = ServiceBackend(services.engine, lambda: scorers.current, services.extractor)
    lookup = build_lead_lookup(settings, services.engine)
    app = build_slack_app(settings, engine=services.engine, scoring=backend, lookup=lookup)
    stop = threading.Event()
    threading.Thread(target=_follow_champion, args=(services, stop), name="follow-champion", daemon=True).start()
    log.info("slack.socket_mode_starting", model_version=scorers.current.model_version)
    try:
        SocketModeHandler(app, settings.slack_app_token.get_secret_value()).start()
    except SlackApiError as exc:
        raise fail(f"Slack refused the Socket Mode connection: {exc.response.get('error')}") from None
    finally:
        stop.set()
        services.engine.dispose()
