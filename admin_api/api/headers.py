"""Response hardening for every route: anti-framing and no-sniff headers, a strict CSP on dashboard pages, and
redirects that never echo the client's Host header (Starlette's trailing-slash redirects build absolute URLs).
The Salesforce panel (`FRAMED_PREFIX`) is meant to be framed: it gets no X-Frame-Options and sets its own CSP
with the org's `frame-ancestors`."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON = (
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
)
DASHBOARD_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
FRAMED_PREFIX = "/salesforce/canvas"


def _relative(location: str) -> str:
    """An absolute redirect target reduced to its path and query (same-site redirects only need that)."""
    parts = urlsplit(location)
    if not parts.scheme and not parts.netloc:
        return location
    path = "/" + parts.path.lstrip("/")
    return f"{path}?{parts.query}" if parts.query else path


class SecurityHeaders:
    """Add the hardening headers and make every redirect relative."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dashboard = scope["path"].startswith("/dashboard")
        framed = scope["path"].startswith(FRAMED_PREFIX)

        async def harden(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON:
                    if not (framed and name == "x-frame-options"):
                        headers.setdefault(name, value)
                if dashboard:
                    headers.setdefault("content-security-policy", DASHBOARD_CSP)
                if framed:  # an answer the panel did not render itself (e.g. a 405) is not frameable
                    headers.setdefault("content-security-policy", "default-src 'none'; frame-ancestors 'none'")
                if "location" in headers:
                    headers["location"] = _relative(headers["location"])
            await send(message)

        await self.app(scope, receive, harden)
