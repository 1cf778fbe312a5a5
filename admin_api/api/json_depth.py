"""JSON nesting bound at the edge: a body nested deeper than the limit is a 400 before any route parses it, so
no parser (ours, FastAPI's, Bolt's) can hit Python's recursion limit on client input."""

from __future__ import annotations

import json
import re

import numpy as np
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin_api.api.errors import error_body

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENER_IS_ONE = bytes.maketrans(b"[{]}", b"\x01\x01\x00\x00")


def nesting_depth(body: bytes) -> int:
    """The deepest bracket nesting outside JSON strings (an upper bound for any body, JSON or not)."""
    if body.count(b"[") + body.count(b"{") == 0:
        return 0
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKETS)
    if not brackets:
        return 0
    opens = np.frombuffer(brackets.translate(_OPENER_IS_ONE), dtype=np.uint8).astype(np.int32)
    return int(np.cumsum(2 * opens - 1).max())


async def _send_400(send: Send, limit: int) -> None:
    body = json.dumps(
        error_body("too_deep", f"request body is nested deeper than {limit} levels", {"max_depth": limit})
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 400,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class JsonDepthLimit:
    """Answer 400 for bodies nested deeper than `max_depth`; the body is read once and replayed to the app."""

    def __init__(self, app: ASGIApp, max_depth: int) -> None:
        self.app = app
        self.max_depth = max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body.count(b"[") + body.count(b"{") > self.max_depth and nesting_depth(body) > self.max_depth:
            await _send_400(send, self.max_depth)
            return
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    """A receive channel that yields `messages` first, then defers to `then` (e.g. for disconnects)."""
    pending = list(messages)

    async def receive() -> Message:
        if pending:
            return pending.pop(0)
        if then is None:
            return {"type": "http.disconnect"}
        return await then()

    return receive
