"""Doctor checks for Slack: the bot token (auth.test, granted scopes), the configured channel
(conversations.info is_member) and the signing secret. Uses the bot's own WebClient (bot.clients)."""

from __future__ import annotations

import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from admin_api.cli.doctor.domain import Check, Verdict, fail, integration_off, ok, skip, warn
from bot.clients import build_web_client
from bot.manifest import bot_scopes
from config import Settings

GROUP = "slack"
TOKEN_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"})
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{8,}$")
SIGNING_SECRET = re.compile(r"^[0-9a-f]{32}$")
TOKEN_FIX = (
    "copy the Bot User OAuth Token (xoxb-…) from your Slack app's OAuth & Permissions page, after installing "
    "the app to the workspace, into FELLOW_SLACK_BOT_TOKEN"
)
REINSTALL_FIX = (
    "update the app from `fellow slack manifest --url https://<your host>` and reinstall it to the workspace"
)


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name:
            return value[0] if isinstance(value, list | tuple) else str(value)
    return None


def _api_failure(exc: SlackApiError, what: str) -> Verdict:
    status, error = exc.response.status_code, str(exc.response.get("error"))
    if status == 429 or status >= 500:
        return fail(
            f"Slack answered {status} ({error}) to {what}", "try again in a minute; see https://slack-status.com"
        )
    return fail(f"Slack refused {what}: {error}", REINSTALL_FIX)


class SlackProbe:
    """Slack checks sharing one WebClient; the channel check runs only after the token check passed."""

    def __init__(self, settings: Settings, client: WebClient | None = None) -> None:
        self.settings = settings
        self.client = client or build_web_client(settings)
        self.identity: dict[str, Any] | None = None

    def _unreachable(self, exc: OSError) -> Verdict:
        return fail(
            f"Slack unreachable at {self.settings.slack_api_url}: {type(exc).__name__}",
            "allow outbound HTTPS to slack.com from this host (or correct FELLOW_SLACK_API_URL)",
        )

    def token(self) -> Verdict:
        """auth.test accepts the bot token and the token carries every scope the manifest asks for."""
        token = self.settings.slack_bot_token.get_secret_value() if self.settings.slack_bot_token else ""
        if not token.startswith("xoxb-"):
            return fail("FELLOW_SLACK_BOT_TOKEN is not a bot token (it should start with xoxb-)", TOKEN_FIX)
        try:
            response = self.client.auth_test()
        except SlackApiError as exc:
            if str(exc.response.get("error")) in TOKEN_ERRORS:
                return fail(f"Slack rejected the bot token ({exc.response.get('error')})", TOKEN_FIX)
            return _api_failure(exc, "auth.test")
        except OSError as exc:
            return self._unreachable(exc)
        self.identity = dict(response.data) if isinstance(response.data, dict) else {}
        who = f"bot @{self.identity.get('user')} ({self.identity.get('user_id')}) in {self.identity.get('team')}"
        granted_header = _header(response.headers, "x-oauth-scopes")
        if granted_header is None:
            return ok(f"token valid: {who} (Slack did not report the granted scopes)")
        granted = {scope.strip() for scope in granted_header.split(",") if scope.strip()}
        missing = sorted(bot_scopes() - granted)
        if missing:
            return fail(f"token valid ({who}) but lacks scopes: {', '.join(missing)}", REINSTALL_FIX)
        return ok(f"token valid: {who}; all {len(bot_scopes())} manifest scopes granted")

    def channel(self) -> Verdict:
        """The configured channel exists, is not archived, and the bot is a member (so it can post cards)."""
        if self.identity is None:
            return skip("not checked: the bot token did not pass")
        channel = self.settings.slack_channel
        bot = f"@{self.identity.get('user') or 'your bot'}"
        try:
            info = self.client.conversations_info(channel=channel).get("channel") or {}
        except SlackApiError as exc:
            error = str(exc.response.get("error"))
            if error == "channel_not_found":
                how = (
                    "set FELLOW_SLACK_CHANNEL to the channel ID (in Slack: channel name > About > Channel ID)"
                    if not CHANNEL_ID.match(channel)
                    else "check the ID"
                )
                return fail(
                    f"Slack cannot find channel {channel}",
                    f"{how}; invite the bot with `/invite {bot}`; a private channel also needs the groups:read scope",
                )
            if error == "missing_scope":
                needed = exc.response.get("needed") or "channels:read"
                return fail(f"the token may not read channel {channel} (missing scope {needed})", REINSTALL_FIX)
            return _api_failure(exc, "conversations.info")
        except OSError as exc:
            return self._unreachable(exc)
        name = f"#{info.get('name') or channel.lstrip('#')}"
        if info.get("is_archived"):
            return fail(f"channel {name} is archived", "unarchive it, or point FELLOW_SLACK_CHANNEL at another channel")
        if not info.get("is_member"):
            return fail(
                f"the bot is not a member of {name}, so it cannot post cards there", f"in {name}, type `/invite {bot}`"
            )
        return ok(f"bot is a member of {name} ({info.get('id')})")

    def signing_secret(self) -> Verdict:
        """The signing secret is set and looks like one (Slack offers no API to verify it)."""
        secret = self.settings.slack_signing_secret.get_secret_value() if self.settings.slack_signing_secret else ""
        fix = "copy the Signing Secret (Basic Information > App Credentials) into FELLOW_SLACK_SIGNING_SECRET"
        if not secret:
            return fail("FELLOW_SLACK_SIGNING_SECRET is empty", fix)
        if not SIGNING_SECRET.match(secret):
            return warn("the signing secret does not look like Slack's (32 hex characters)", fix)
        return ok("signing secret set (a wrong one shows as 401 answers on /slack/* in the server log)")

    def app_token(self) -> Verdict:
        """The app-level token for Socket Mode (`fellow bot --socket`) has the right shape."""
        token = self.settings.slack_app_token.get_secret_value() if self.settings.slack_app_token else ""
        if not token.startswith("xapp-"):
            return fail(
                "FELLOW_SLACK_APP_TOKEN is not an app-level token (it should start with xapp-)",
                "create one with the connections:write scope (Basic Information > App-Level Tokens), or unset it",
            )
        return ok("app-level token set for Socket Mode (`fellow bot --socket`)")


def slack_checks(settings: Settings, client: WebClient | None = None) -> list[Check]:
    """The Slack checks, or one verdict saying Slack is off (or half-configured) and how to turn it on."""
    if not settings.slack_enabled:
        return [Check(GROUP, "slack", lambda: _not_enabled(settings))]
    probe = SlackProbe(settings, client)
    checks = [
        Check(GROUP, "bot token", probe.token),
        Check(GROUP, "channel", probe.channel),
        Check(GROUP, "signing secret", probe.signing_secret),
    ]
    if settings.slack_app_token is not None:
        checks.append(Check(GROUP, "app token", probe.app_token))
    return checks


def _not_enabled(settings: Settings) -> Verdict:
    if settings.slack_bot_token is None and settings.slack_signing_secret is None:
        return integration_off("Slack", settings.integrations()["slack"])
    missing = "FELLOW_SLACK_SIGNING_SECRET" if settings.slack_bot_token else "FELLOW_SLACK_BOT_TOKEN"
    return fail(f"Slack is half-configured: {missing} is not set", f"set {missing}, or unset both to keep Slack off")
