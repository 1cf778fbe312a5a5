"""Serve the Bolt app over HTTP inside FastAPI: /slack/events (everything), /slack/commands, /slack/interactions.

Each request's raw bytes are checked first (`bot.edge`: size, media type, timestamp, signature, encoding, shape),
so Bolt only ever sees genuine, well-formed requests; refusals are a short 4xx and a rate-limited log line.
Bolt's sync dispatch runs in a worker thread so the event loop keeps serving other requests.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from bot.edge import Refusal, check_slack_request
from config.log_throttle import ThrottledLog

SLACK_PATHS = ("/slack/events", "/slack/commands", "/slack/interactions")
MAX_BODY_BYTES = 256 * 1024
refusals = ThrottledLog(__name__)


async def _read_body(request: Request, max_body_bytes: int) -> bytes | Refusal:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
        return Refusal(413, "payload too large")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body_bytes:
                return Refusal(413, "payload too large")
            chunks.append(chunk)
    except ClientDisconnect:
        return Refusal(400, "client disconnected")
    return b"".join(chunks)


def _refuse(request: Request, refusal: Refusal) -> Response:
    refusals.warning("slack.request_refused", path=request.url.path, status=refusal.status, reason=refusal.reason)
    return Response(refusal.reason, status_code=refusal.status, media_type="text/plain")


def slack_router(app: App, *, signing_secret: str, max_body_bytes: int = MAX_BODY_BYTES) -> APIRouter:
    """A router that hands Slack's signed POSTs to the Bolt app at each of `SLACK_PATHS`."""
    router = APIRouter(tags=["slack"])

    async def slack_endpoint(request: Request) -> Response:
        """Check the raw request, then dispatch it to Bolt and answer with Bolt's acknowledgement."""
        body = await _read_body(request, max_body_bytes)
        if isinstance(body, Refusal):
            return _refuse(request, body)
        refusal = check_slack_request(body, request.headers, signing_secret)
        if refusal is not None:
            return _refuse(request, refusal)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    for path in SLACK_PATHS:
        router.add_api_route(path, slack_endpoint, methods=["POST"], include_in_schema=False)
    return router
