"""Who may frame the panel: the Content-Security-Policy of every panel answer, with `frame-ancestors` limited to
the org's Salesforce origins (`canvas.frame_ancestors`, or the Lightning and My Domain origins derived from
FELLOW_SALESFORCE_INSTANCE_URL when that is a `*.my.salesforce.com` address)."""

from __future__ import annotations

from urllib.parse import urlsplit

from config import Settings

MY_DOMAIN = ".my.salesforce.com"
PANEL_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors {ancestors}"
)


def frame_ancestors(settings: Settings) -> tuple[str, ...]:
    """The origins allowed to frame the panel (none when nothing is configured or derivable)."""
    if settings.canvas.frame_ancestors:
        return settings.canvas.frame_ancestors
    host = urlsplit(settings.salesforce_instance_url or "").hostname or ""
    if not host.endswith(MY_DOMAIN):
        return ()
    name = host.removesuffix(MY_DOMAIN)
    return (f"https://{host}", f"https://{name}.lightning.force.com")


def content_security_policy(settings: Settings) -> str:
    """The panel's CSP: no scripts, forms only to us, framed only by the org."""
    ancestors = " ".join(frame_ancestors(settings)) or "'none'"
    return PANEL_CSP.format(ancestors=ancestors)
