"""Request verification over HTTP: forged, stale, unsigned and oversized requests never reach a listener."""

from __future__ import annotations

import time

import httpx
from sqlalchemy.engine import Engine

from store.db import session_scope
from store.repositories import feedback, scores
from tests.fakes.slack import FakeSlack, SlackSender, block_actions_payload, interaction_body, slash_command_body


def _nothing_happened(fake: FakeSlack, engine: Engine, url: str) -> None:
    assert fake.responses(url) == []
    with session_scope(engine) as session:
        assert scores.count_scores(session=session) == 0
        assert feedback.list_feedback(session=session) == []


def test_wrong_secret_is_401(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    response, url = slack.command("acme.com", secret="not-the-secret")
    assert response.status_code == 401
    clicked, click_url = slack.click("fellow_feedback_up", "1", secret="not-the-secret")
    assert clicked.status_code == 401
    _nothing_happened(fake_slack, engine, url)
    _nothing_happened(fake_slack, engine, click_url)


def test_stale_timestamp_is_401(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    response, url = slack.command("acme.com", timestamp=int(time.time()) - 600)
    assert response.status_code == 401
    _nothing_happened(fake_slack, engine, url)


def test_unsigned_and_tampered_bodies_are_401(slack: SlackSender, fake_slack: FakeSlack, engine: Engine) -> None:
    url = fake_slack.response_url()
    body = slash_command_body("acme.com", url)
    unsigned = httpx.post(
        f"{slack.base_url}/slack/events", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert unsigned.status_code == 401
    signed_for_other = slack.post(slash_command_body("initech.com", url))
    assert signed_for_other.status_code == 200
    headers = {k: v for k, v in signed_for_other.request.headers.items() if k.lower() != "content-length"}
    tampered = httpx.post(f"{slack.base_url}/slack/events", content=body, headers=headers)
    assert tampered.status_code == 401


def test_forged_click_on_a_real_score_changes_nothing(
    slack: SlackSender, fake_slack: FakeSlack, engine: Engine
) -> None:
    url = fake_slack.response_url()
    body = interaction_body(block_actions_payload("fellow_feedback_up", "1", url))
    forged = slack.post(body, secret="guessed-secret")
    assert forged.status_code == 401
    _nothing_happened(fake_slack, engine, url)


def test_oversized_body_is_413(slack: SlackSender) -> None:
    response = slack.post("text=" + "a" * 300_000)
    assert response.status_code == 413


def test_command_and_interaction_aliases(slack: SlackSender, fake_slack: FakeSlack) -> None:
    response, _ = slack.command("help", path="/slack/commands")
    assert response.status_code == 200 and "qualify" in response.text
    clicked, _ = slack.click("fellow_feedback_up", "not-a-number", path="/slack/interactions")
    assert clicked.status_code == 200
