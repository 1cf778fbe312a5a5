"""GET /health as liveness, answered at the outermost layer: the process is up and its event loop turns.

A load balancer or orchestrator calls it every few seconds; it touches no database and runs no middleware, route
matching or dependency, so it costs a few microseconds, not milliseconds. Readiness (database, schema, model,
integrations) is GET /ready."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from admin_api.api.headers import COMMON

PATH = "/health"
BODY = b'{"status":"ok"}'
_HEADERS = [
    (b"content-type", b"application/json"),
    (b"content-length", str(len(BODY)).encode()),
    (b"cache-control", b"no-store"),
    *((name.encode(), value.encode()) for name, value in COMMON),
]


class Liveness:
    """Answer GET/HEAD /health with 200 {"status": "ok"} before anything else runs; pass every other request on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else BODY})
