"""Doctor checks for Fellow: the API key works (GET /me) and the key's user can see recent notes.
Uses crm_sync's FellowClient."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from admin_api.cli.doctor.domain import Check, Verdict, fail, integration_off, ok, skip, warn
from config import Settings
from crm_sync.fellow.client import FellowAuthError, FellowClient, FellowError, unwrap_page
from store.types import utcnow

GROUP = "fellow"
RECENT_DAYS = 30
PAGE_SIZE = 50
KEY_FIX = (
    "create a key in Fellow (User settings > Developer API, after a workspace admin enabled the API) for the "
    "service user that attends the intro calls, set FELLOW_FELLOW_API_KEY, and check FELLOW_FELLOW_AUTH_HEADER"
)


def _who(me: Any) -> str:
    """A readable name for /me's answer (its exact shape is unconfirmed, so look in both likely places)."""
    user = me.get("user") if isinstance(me, dict) and isinstance(me.get("user"), dict) else me
    if not isinstance(user, dict):
        return "unknown user"
    name = user.get("email") or user.get("full_name") or user.get("name") or user.get("id") or "unknown user"
    workspace = me.get("workspace") if isinstance(me, dict) else None
    where = workspace.get("name") or workspace.get("subdomain") if isinstance(workspace, dict) else None
    return f"{name} in {where}" if where else str(name)


class FellowProbe:
    """Fellow checks sharing one client; the notes check runs only after the key check passed."""

    def __init__(self, settings: Settings, client: FellowClient | None = None) -> None:
        self.settings = settings
        self.client = client
        self.key_ok = False

    def key(self) -> Verdict:
        """GET /me accepts the key."""
        try:
            self.client = self.client or FellowClient.from_settings(self.settings)
            me = self.client.me()
        except FellowAuthError as exc:
            return fail(str(exc), KEY_FIX)
        except FellowError as exc:
            return fail(
                str(exc),
                "check FELLOW_FELLOW_API_URL is https://<workspace>.fellow.app/api/v1 and that this host reaches it",
            )
        self.key_ok = True
        return ok(f"API key valid: {_who(me)}")

    def notes(self) -> Verdict:
        """The key's user sees notes updated in the last RECENT_DAYS days (what ingestion will read)."""
        if not self.key_ok or self.client is None:
            return skip("not checked: the API key did not pass")
        since = (utcnow() - timedelta(days=RECENT_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        body = {
            "filters": {"updated_at_start": since},
            "include": {"content_markdown": False},
            "pagination": {"cursor": None, "page_size": PAGE_SIZE},
        }
        try:
            items, cursor = unwrap_page("notes", self.client.request("POST", "notes", body, kind="notes"))
        except FellowError as exc:
            return fail(str(exc), "check the key's user may read notes (Fellow > Developer API) and try again")
        if not items:
            return warn(
                f"the key's user sees no notes updated in the last {RECENT_DAYS} days",
                "use the key of a user who attends (or is shared) the intro calls, so ingestion has calls to read",
            )
        count = f"{len(items)}+" if cursor else str(len(items))
        return ok(f"{count} notes updated in the last {RECENT_DAYS} days are visible")


def fellow_checks(settings: Settings, client: FellowClient | None = None) -> list[Check]:
    """The Fellow checks, or one verdict saying Fellow is off (or half-configured) and how to turn it on."""
    if not settings.fellow_enabled:
        if (settings.fellow_api_url is None) != (settings.fellow_api_key is None):
            missing = "FELLOW_FELLOW_API_KEY" if settings.fellow_api_url else "FELLOW_FELLOW_API_URL"
            return [
                Check(
                    GROUP, "fellow", lambda: fail(f"Fellow is half-configured: {missing} is not set", f"set {missing}")
                )
            ]
        return [Check(GROUP, "fellow", lambda: integration_off("Fellow", settings.integrations()["fellow"]))]
    probe = FellowProbe(settings, client)
    return [Check(GROUP, "api key", probe.key), Check(GROUP, "recent notes", probe.notes)]
