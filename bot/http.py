"""Serve the Bolt app over HTTP inside FastAPI: /slack/events (everything), /slack/commands, /slack/interactions.

Bolt's sync dispatch runs in a worker thread so the event loop keeps serving other requests while a
signature is checked and `ack()` is produced. Oversized bodies are refused before Bolt sees them.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

SLACK_PATHS = ("/slack/events", "/slack/commands", "/slack/interactions")
MAX_BODY_BYTES = 256 * 1024


def slack_router(app: App, *, max_body_bytes: int = MAX_BODY_BYTES) -> APIRouter:
    """A router that hands Slack's signed POSTs to the Bolt app at each of `SLACK_PATHS`."""
    router = APIRouter(tags=["slack"])

    async def slack_endpoint(request: Request) -> Response:
        """Verify (inside Bolt) and dispatch one Slack request; answer with Bolt's acknowledgement."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
            return Response(status_code=413, content="payload too large")
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_body_bytes:
                    return Response(status_code=413, content="payload too large")
                chunks.append(chunk)
        except ClientDisconnect:
            return Response(status_code=400, content="client disconnected")
        body = b"".join(chunks)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    for path in SLACK_PATHS:
        router.add_api_route(path, slack_endpoint, methods=["POST"], include_in_schema=False)
    return router
