"""The channel poster: one card per score, threshold, rescore changes, 429/5xx retries, reports, give-ups."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.clients import build_web_client
from bot.poster import SlackPoster
from config import Settings
from store.db import session_scope
from store.delivery import DeliveryPolicy, Retry
from store.repositories import outbox
from store.tables import OutboxEvent
from store.types import utcnow
from tests.fakes.core.wait import wait_for
from tests.fakes.slack import FakeSlack, validate_blocks
from tests.integration.bot.conftest import bot_settings
from tests.integration.bot.harness import block_texts

CHANNEL = "fellow-learning-ml"


def _events(engine: Engine, topic: str = "slack.post") -> list[OutboxEvent]:
    with session_scope(engine) as session:
        return outbox.events(session=session, topic=topic)


def _make_due(engine: Engine) -> None:
    with session_scope(engine) as session:
        for event in outbox.events(session=session):
            event.next_attempt_at = utcnow() - timedelta(seconds=1)
            session.add(event)


def _enqueue(engine: Engine, topic: str, key: str, payload: dict) -> None:
    with session_scope(engine) as session:
        outbox.enqueue(topic, key, payload, session=session)


def test_a_new_score_is_posted_once_with_a_receipt(
    poster: SlackPoster, score_for_channel: Callable[[], int], fake_slack: FakeSlack, engine: Engine
) -> None:
    score_id = score_for_channel()
    report = poster.run_once()
    assert report["slack.post"].delivered == 1
    (message,) = fake_slack.messages(CHANNEL)
    assert "Acme Telecom" in block_texts(message.blocks) and validate_blocks(message.blocks) == []
    (event,) = _events(engine)
    assert event.status == "delivered"
    assert event.payload["receipt"] == {"channel": message.channel, "ts": message.ts}
    assert event.payload["score_id"] == score_id
    assert poster.run_once()["slack.post"].delivered == 0
    assert len(fake_slack.messages(CHANNEL)) == 1


def test_an_event_already_posted_is_not_posted_again_after_a_crash(
    poster: SlackPoster, score_for_channel: Callable[[], int], fake_slack: FakeSlack, engine: Engine
) -> None:
    score_for_channel()
    (event,) = _events(engine)
    assert poster.handle_posts([event]) == {event.id: None}
    assert len(fake_slack.messages(CHANNEL)) == 1
    report = poster.run_once()
    assert report["slack.post"].delivered == 1
    assert len(fake_slack.messages(CHANNEL)) == 1
    assert fake_slack.call_count("chat.postMessage") == 1


def test_scores_below_the_threshold_and_requested_scores_are_not_posted(
    fake_slack: FakeSlack, engine: Engine, score_for_channel: Callable[[], int], seeded: dict[str, int]
) -> None:
    settings = bot_settings(fake_slack, slack={"post_threshold": 100})
    quiet = SlackPoster(settings, engine=engine, client=build_web_client(settings, background=True))
    score_for_channel()
    _enqueue(engine, "slack.post", "slack.post:score:requested", {"score_id": 1, "lead_id": 1, "trigger": "slack"})
    assert quiet.run_once()["slack.post"].delivered == 2
    assert fake_slack.messages(CHANNEL) == []


def test_a_rescore_says_what_changed(
    poster: SlackPoster, score_for_channel: Callable[[], int], fake_slack: FakeSlack, engine: Engine
) -> None:
    score_for_channel()
    poster.run_once()
    score_for_channel()
    poster.run_once()
    first, second = fake_slack.messages(CHANNEL)
    assert "What changed since the last score" not in block_texts(first.blocks)
    assert "What changed since the last score" in block_texts(second.blocks)


def test_rate_limit_postpones_the_batch_by_retry_after(
    poster: SlackPoster, score_for_channel: Callable[[], int], fake_slack: FakeSlack, engine: Engine
) -> None:
    score_for_channel()
    score_for_channel()
    fake_slack.rate_limit("chat.postMessage", retry_after=30)
    before = utcnow()
    report = poster.run_once()["slack.post"]
    assert (report.delivered, report.retried) == (0, 2)
    assert fake_slack.messages(CHANNEL) == []
    assert fake_slack.call_count("chat.postMessage") == 1
    for event in _events(engine):
        assert event.status == "pending" and event.attempts == 1
        assert event.next_attempt_at >= before + timedelta(seconds=29)
    _make_due(engine)
    assert poster.run_once()["slack.post"].delivered == 2
    wait_for(lambda: len(fake_slack.messages(CHANNEL)) == 2, what="the slow post to land")


def test_a_short_rate_limit_is_waited_out_by_the_background_client(
    poster: SlackPoster, score_for_channel: Callable[[], int], fake_slack: FakeSlack
) -> None:
    score_for_channel()
    fake_slack.rate_limit("chat.postMessage", retry_after=0)
    assert poster.run_once()["slack.post"].delivered == 1
    assert fake_slack.call_count("chat.postMessage") == 2
    assert len(fake_slack.messages(CHANNEL)) == 1


def test_server_errors_and_timeouts_are_retried(
    fake_slack: FakeSlack, engine: Engine, score_for_channel: Callable[[], int], seeded: dict[str, int]
) -> None:
    settings: Settings = bot_settings(fake_slack, sync={"http_timeout_seconds": 0.5})
    client = WebClient(token=fake_slack.token, base_url=fake_slack.api_url, timeout=0.5)  # type: ignore[arg-type]
    policy = DeliveryPolicy(base_delay_seconds=0, max_delay_seconds=0)
    poster = SlackPoster(settings, engine=engine, client=client, policy=policy)
    score_for_channel()
    fake_slack.server_error("chat.postMessage", status=503)
    first = poster.run_once()["slack.post"]
    assert first.retried == 1 and "503" in first.errors[0]
    fake_slack.slow("chat.postMessage", seconds=2)
    second = poster.run_once()["slack.post"]
    assert second.retried == 1 and "unreachable" in second.errors[0]
    assert poster.run_once()["slack.post"].delivered == 1
    # Slack stored the slow post the client gave up on: chat.postMessage has no idempotency key, so a
    # timeout after acceptance is the one case where a card can appear twice (documented limitation).
    wait_for(lambda: len(fake_slack.messages(CHANNEL)) == 2, what="the slow post to land")
    (event,) = _events(engine)
    assert event.status == "delivered" and event.attempts == 2


def test_bad_payloads_and_deleted_scores_are_given_up(
    poster: SlackPoster, engine: Engine, fake_slack: FakeSlack
) -> None:
    _enqueue(engine, "slack.post", "slack.post:score:404", {"score_id": 404, "lead_id": 1, "kind": "new"})
    _enqueue(engine, "slack.post", "slack.post:bad", {"score_id": "1 OR 1=1", "kind": "new"})
    _enqueue(engine, "slack.post", "slack.post:kind", {"score_id": 1, "kind": "celebration"})
    report = poster.run_once()["slack.post"]
    assert report.dead == 3
    assert any("no longer exists" in e for e in report.errors)
    assert fake_slack.messages(CHANNEL) == []


def test_learning_reports_are_posted_within_block_kit_limits(
    poster: SlackPoster, engine: Engine, fake_slack: FakeSlack
) -> None:
    fields = {f"figure {i}": f"{i / 100:.2f}" for i in range(600)}
    payload = {
        "kind": "evaluation",
        "title": "Weekly evaluation " + "x" * 300,
        "text": "Champion kept.\n\n" * 40,
        "fields": fields,
    }
    _enqueue(engine, "slack.report", "slack.report:eval:1", payload)
    _enqueue(
        engine,
        "slack.report",
        "slack.report:drift:1",
        {"kind": "drift", "title": "PSI alert", "text": "", "fields": {"psi": 0.31}},
    )
    report = poster.run_once()["slack.report"]
    assert report.delivered == 2
    evaluation, drift = fake_slack.messages(CHANNEL)
    assert len(evaluation.blocks) <= 50 and validate_blocks(evaluation.blocks) == []
    assert "more figures not shown" in block_texts(evaluation.blocks)
    assert "PSI alert" in block_texts(drift.blocks) and "0.31" in block_texts(drift.blocks)


def test_handler_marks_nothing_it_did_not_try(poster: SlackPoster, engine: Engine, fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", retry_after=60)
    _enqueue(engine, "slack.report", "r1", {"kind": "drift", "title": "a", "text": "b", "fields": {}})
    _enqueue(engine, "slack.report", "r2", {"kind": "drift", "title": "c", "text": "d", "fields": {}})
    results = poster.handle_reports(_events(engine, "slack.report"))
    assert set(results.values()) == {Retry("slack rate limited (429)", after_seconds=60.0)}
