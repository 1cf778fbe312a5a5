"""The signed-request helpers and payload builders, accepted (or refused) by a real slack_bolt App."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient

from tests.fakes.slack import (
    FakeSlack,
    block_actions_payload,
    interaction_body,
    slack_signed_headers,
    slash_command_body,
    static_select_state,
    text_input_state,
    view_submission_payload,
)

SECRET = "test-signing-secret"


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def app(fake_slack: FakeSlack, seen: list[dict[str, Any]]) -> App:
    bolt = App(
        client=WebClient(token=fake_slack.token, base_url=fake_slack.api_url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    @bolt.command("/qualify")
    def qualify(ack: Any, body: dict[str, Any], respond: Any) -> None:
        ack(f"Scoring {body['text']}…")
        seen.append(body)
        respond(text=f"Score for {body['text']}: 80")

    @bolt.action("feedback_up")
    def feedback(ack: Any, body: dict[str, Any], client: WebClient) -> None:
        ack()
        seen.append(body)
        client.chat_update(
            channel=body["container"]["channel_id"], ts=body["container"]["message_ts"], text="👍 by you"
        )

    @bolt.view("feedback_reason")
    def reason(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        ack()
        seen.append(view)

    return bolt


def dispatch(app: App, body: str, headers: dict[str, str]) -> Any:
    return app.dispatch(BoltRequest(body=body, headers={k.lower(): [v] for k, v in headers.items()}))


def test_bolt_app_starts_against_the_fake(fake_slack: FakeSlack, app: App) -> None:
    assert fake_slack.call_count("auth.test") == 1


def test_signed_slash_command_is_acked_and_answered_via_response_url(
    fake_slack: FakeSlack, app: App, seen: list[dict[str, Any]]
) -> None:
    url = fake_slack.response_url()
    body = slash_command_body("acme.com", url)
    response = dispatch(app, body, slack_signed_headers(SECRET, body))
    assert response.status == 200
    assert "Scoring acme.com" in response.body
    assert seen[0]["command"] == "/qualify"
    assert fake_slack.responses(url) == [{"text": "Score for acme.com: 80"}]


@pytest.mark.parametrize(
    ("secret", "age_seconds"),
    [("wrong-secret", 0), (SECRET, 301)],
    ids=["forged", "stale-timestamp"],
)
def test_bad_signatures_are_refused(fake_slack: FakeSlack, app: App, secret: str, age_seconds: int) -> None:
    url = fake_slack.response_url()
    body = slash_command_body("acme.com", url)
    headers = slack_signed_headers(secret, body, timestamp=int(time.time()) - age_seconds)
    assert dispatch(app, body, headers).status == 401
    assert fake_slack.responses(url) == []


def test_retry_headers_are_sent(fake_slack: FakeSlack) -> None:
    headers = slack_signed_headers(SECRET, "x=1", retry_num=1)
    assert (headers["X-Slack-Retry-Num"], headers["X-Slack-Retry-Reason"]) == ("1", "http_timeout")


def test_block_actions_payload_drives_a_button_listener(
    fake_slack: FakeSlack, app: App, seen: list[dict[str, Any]]
) -> None:
    posted = WebClient(token=fake_slack.token, base_url=fake_slack.api_url).chat_postMessage(
        channel="sales", text="card"
    )
    payload = block_actions_payload(
        "feedback_up", "score-42", fake_slack.response_url(), channel_id=posted["channel"], message_ts=posted["ts"]
    )
    body = interaction_body(payload)
    assert dispatch(app, body, slack_signed_headers(SECRET, body)).status == 200
    assert seen[0]["actions"][0]["value"] == "score-42"
    assert fake_slack.message(posted["channel"], posted["ts"]).text == "👍 by you"  # type: ignore[union-attr]


def test_view_submission_payload_carries_state_and_metadata(app: App, seen: list[dict[str, Any]]) -> None:
    values = {
        "reason": {"reason_select": static_select_state("not_voice_ai")},
        "details": {"details_input": text_input_state("They only do email")},
    }
    payload = view_submission_payload("feedback_reason", values, private_metadata=json.dumps({"score_id": 42}))
    body = interaction_body(payload)
    assert dispatch(app, body, slack_signed_headers(SECRET, body)).status == 200
    view = seen[0]
    assert json.loads(view["private_metadata"]) == {"score_id": 42}
    assert view["state"]["values"]["reason"]["reason_select"]["selected_option"]["value"] == "not_voice_ai"


def test_ephemeral_click_has_no_message() -> None:
    payload = block_actions_payload("feedback_up", "v", "https://example.invalid/r", ephemeral=True)
    assert payload["container"]["is_ephemeral"] is True
    assert "message" not in payload
