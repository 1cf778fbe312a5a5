"""Serve the bot over real HTTP (FastAPI + uvicorn on port 0) and send it requests signed the way Slack signs.

`BotServer` wraps a running server; `SlackSender` builds and signs slash commands, button clicks, modal
submits and events with the payload builders of tests.fakes.slack.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from slack_bolt import App

from bot.http import slack_router
from tests.fakes.slack import (
    FakeSlack,
    app_home_opened_event,
    block_actions_payload,
    interaction_body,
    slack_signed_headers,
    slash_command_body,
    view_submission_payload,
)
from tests.fakes.slack.signing import JSON_CONTENT_TYPE

SIGNING_SECRET = "test-signing-secret-0123456789"
WAIT_SECONDS = 20.0


def wait_for(condition: Callable[[], Any], timeout: float = WAIT_SECONDS, what: str = "condition") -> Any:
    """Poll until `condition()` is truthy (background work finished); fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextmanager
def serve(app: App) -> Iterator[str]:
    """Run the Slack router in uvicorn on 127.0.0.1:0; yields the base URL."""
    api = FastAPI()
    api.include_router(slack_router(app, signing_secret=SIGNING_SECRET))
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, what="uvicorn start")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class SlackSender:
    """Sends signed requests into the bot as Slack would (one kept-alive HTTP client); `secret` may be wrong."""

    base_url: str
    fake: FakeSlack
    secret: str = SIGNING_SECRET
    path: str = "/slack/events"
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=10))

    def post(
        self, body: str, *, content_type: str | None = None, path: str | None = None, **sign: Any
    ) -> httpx.Response:
        """POST a signed body (sign kwargs: timestamp, retry_num, secret)."""
        secret = sign.pop("secret", self.secret)
        headers = slack_signed_headers(secret, body, **sign)
        if content_type:
            headers["Content-Type"] = content_type
        return self.http.post(f"{self.base_url}{path or self.path}", content=body.encode(), headers=headers)

    def command(self, text: str, **sign: Any) -> tuple[httpx.Response, str]:
        """Run /qualify with `text`; returns the HTTP response and the response_url handed to the bot."""
        url = self.fake.response_url()
        fields = sign.pop("fields", {})
        return self.post(slash_command_body(text, url, **fields), **sign), url

    def click(self, action_id: str, value: str, **options: Any) -> tuple[httpx.Response, str]:
        """Click a button; `options` go to block_actions_payload (message_ts, channel_id, ephemeral…)."""
        sign = {k: options.pop(k) for k in ("retry_num", "timestamp", "secret", "path") if k in options}
        url = options.pop("response_url", None) or self.fake.response_url()
        payload = block_actions_payload(action_id, value, url, **options)
        return self.post(interaction_body(payload), **sign), url

    def submit(self, callback_id: str, state: dict[str, Any], metadata: str, **options: Any) -> httpx.Response:
        """Submit a modal."""
        return self.post(interaction_body(view_submission_payload(callback_id, state, metadata, **options)))

    def home_opened(self, user_id: str = "U0FAKEUSR1", **sign: Any) -> httpx.Response:
        """Deliver an app_home_opened event (JSON)."""
        body = json.dumps(app_home_opened_event(user_id))
        return self.post(body, content_type=JSON_CONTENT_TYPE, **sign)


def block_texts(blocks: list[dict[str, Any]] | None) -> str:
    """All visible text of a blocks array, joined by newlines (for assertions)."""
    out: list[str] = []
    for block in blocks or []:
        text = block.get("text")
        if isinstance(text, dict):
            out.append(str(text.get("text", "")))
        for item in block.get("fields") or []:
            out.append(str(item.get("text", "")))
        for element in block.get("elements") or []:
            inner = element.get("text")
            out.append(str(inner.get("text", "")) if isinstance(inner, dict) else str(inner or ""))
    return "\n".join(out)


def action_ids(blocks: list[dict[str, Any]] | None) -> list[str]:
    """Action ids of every button in a blocks array."""
    return [e["action_id"] for b in blocks or [] if b.get("type") == "actions" for e in b["elements"]]


def button_value(blocks: list[dict[str, Any]] | None, action_id: str) -> str:
    """The value of the button with `action_id`."""
    for block in blocks or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise KeyError(action_id)
