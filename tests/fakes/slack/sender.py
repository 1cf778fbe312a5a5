"""Send requests into a Slack app the way Slack does: signed slash commands, button clicks, modal submits, events.

The other half of the fake Slack: `FakeSlack` answers the app's Web API calls and response_urls, `SlackSender`
plays Slack calling the app (one kept-alive HTTP client; `secret` may be wrong to test forgeries).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.fakes.slack.payloads import (
    app_home_opened_event,
    block_actions_payload,
    interaction_body,
    slash_command_body,
    view_submission_payload,
)
from tests.fakes.slack.server import FakeSlack
from tests.fakes.slack.signing import JSON_CONTENT_TYPE, slack_signed_headers

SIGNING_SECRET = "test-signing-secret-0123456789"


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
