"""Doctor check for the Lead-page panel (Salesforce Canvas app): on only with a consumer secret, and then it must
be frameable by the org (frame-ancestors configured or derivable from the My Domain instance URL)."""

from __future__ import annotations

from admin_api.cli.doctor.domain import Check, Verdict, fail, off, ok, warn
from admin_api.dashboard.canvas.framing import frame_ancestors
from config import Settings

GROUP = "salesforce panel"
ORIGINS_FIX = (
    "set FELLOW_CANVAS__FRAME_ANCESTORS to your org's origins, e.g. "
    '\'["https://acme.lightning.force.com","https://acme.my.salesforce.com"]\' (docs/install.md §7)'
)


def panel_check(settings: Settings) -> Verdict:
    """The panel's settings: consumer secret, who may frame it, and whether AEs are mapped to Slack users."""
    if settings.salesforce_canvas_secret is None:
        return off("the Lead-page panel is off", "set FELLOW_SALESFORCE_CANVAS_SECRET (docs/install.md §7)")
    origins = frame_ancestors(settings)
    if not origins:
        return fail("the panel cannot be framed by Salesforce: no frame-ancestors origins", ORIGINS_FIX)
    summary = f"framed by {', '.join(origins)}; signed requests valid for {settings.canvas.max_age_seconds} s"
    if not settings.canvas.user_map:
        return warn(
            summary + "; no AEs mapped",
            "map Salesforce users to Slack user ids (FELLOW_CANVAS__USER_MAP) so a click in Salesforce and one "
            "in Slack by the same AE count once",
        )
    return ok(summary + f"; {len(settings.canvas.user_map)} AE(s) mapped to Slack")


def canvas_checks(settings: Settings) -> list[Check]:
    """The panel's checks (configuration only: the signed request can only be tested from a Lead page)."""
    return [Check(GROUP, "canvas app", lambda: panel_check(settings))]
