"""Slack and Salesforce failing mid-delivery (rate limits, 5xx, timeouts, expired sessions, API limit, per-record
errors): after the faults clear, every score is delivered exactly once as the receiver de-duplicates it."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.engine import Engine

from bot.clients import build_web_client
from bot.poster import SlackPoster
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.writeback import WritebackConsumer
from nlp import SignalExtractor
from scoring.scorer import Scorer
from store.db import session_scope
from store.delivery import DeliveryPolicy
from store.repositories import outbox, scores
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.salesforce.auth import OAuthConfig
from tests.fakes.slack import FakeSlack
from tests.reliability.world import (
    SCORE_FIELD,
    SF_TOPIC,
    SLACK_TOPIC,
    assert_rows_once,
    build_world,
    make_due,
    make_settings,
    outbox_states,
    posted_score_ids,
    salesforce_settings,
    slack_settings,
    writes_per_record,
)

NO_BACKOFF = DeliveryPolicy(batch_size=5, base_delay_seconds=0, max_delay_seconds=0)


def _drain(run_once: object, engine: Engine, topic: str, passes: int = 30) -> int:
    """Run delivery passes (letting back-offs elapse between them) until nothing is pending; returns passes used."""
    for used in range(1, passes + 1):
        run_once()  # type: ignore[operator]
        make_due(engine)
        if not ({"pending", "delivering"} & set(outbox_states(engine, topic))):
            return used
    raise AssertionError(f"{topic} not settled after {passes} passes: {outbox_states(engine, topic)}")


def test_slack_429_500_and_timeouts_mid_batch_lose_nothing_and_repost_at_most_the_timed_out(
    database_url: str, engine: Engine, scorer: Scorer, extractor: SignalExtractor, fake_slack: FakeSlack
) -> None:
    world = build_world(engine, scorer, extractor, None, 15)
    settings = make_settings(database_url, **slack_settings(fake_slack), sync={"http_timeout_seconds": 0.5})
    client = build_web_client(settings, background=True)
    poster = SlackPoster(settings, engine=engine, client=client, policy=NO_BACKOFF)
    poster.run_once()  # the first batch goes through
    fake_slack.rate_limit("chat.postMessage", retry_after=30, times=3)  # beyond the client's short-wait retry
    poster.run_once()
    fake_slack.server_error("chat.postMessage", times=2)
    fake_slack.server_error("chat.postMessage", times=1, status=503)
    poster.run_once()
    fake_slack.slow("chat.postMessage", 1.5, times=2)  # Slack accepts the post, the client times out first
    _drain(poster.run_once, engine, SLACK_TOPIC)

    assert_rows_once(engine, world)
    assert set(outbox_states(engine, SLACK_TOPIC)) == {"delivered"}
    posted = Counter(posted_score_ids(fake_slack))
    assert set(posted) == set(world.score_ids)
    assert sum(posted.values()) - len(posted) <= 2, "only a post whose answer timed out may be repeated"
    with session_scope(engine) as session:
        rate_limited = [e for e in outbox.events(session=session, topic=SLACK_TOPIC) if e.attempts]
    assert rate_limited, "the faults must have postponed events"


def test_salesforce_expiry_limit_and_partial_failures_mid_writeback(
    database_url: str, engine: Engine, scorer: Scorer, extractor: SignalExtractor
) -> None:
    with FakeSalesforce(oauth=OAuthConfig(consumer_key="key", consumer_secret="shh")) as org:
        world = build_world(engine, scorer, extractor, org, 12)
        values = salesforce_settings(org, salesforce_client_id="key", salesforce_client_secret="shh")
        settings = make_settings(database_url, **values)
        client = SalesforceClient.from_settings(settings, sleep=lambda _s: None)
        fields = settings.salesforce_fields.model_dump()
        consumer = WritebackConsumer(client, engine, fields, policy=NO_BACKOFF)
        deleted, locked, validated = world.salesforce_ids[0], world.salesforce_ids[5], world.salesforce_ids[7]
        org.delete(deleted)
        org.lock_record(locked, times=2)
        org.fail_record(validated, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Score must be set by sales ops")
        consumer.run_once()
        org.expire_sessions()
        consumer.run_once()
        org.request_limit_exceeded("composite.sobjects", times=3)  # more than the client's own retries
        consumer.run_once()
        org.server_error("composite.sobjects", times=1)
        _drain(consumer.run_once, engine, SF_TOPIC)

        assert_rows_once(engine, world)
        assert org.call_count("oauth.token") == 1, "one re-login after the session expired"
        with session_scope(engine) as session:
            dead = {e.payload["salesforce_id"]: e.last_error for e in outbox.events(session=session, status="dead")}
            for lead_id, sf_id in zip(world.lead_ids, world.salesforce_ids, strict=True):
                if sf_id in (deleted, validated):
                    continue
                newest = scores.latest_score(lead_id, session=session)
                assert newest is not None and org.record(sf_id)[SCORE_FIELD] == newest.qualification_score
        assert set(dead) == {deleted, validated}
        assert "ENTITY_IS_DELETED" in str(dead[deleted]) and "VALIDATION" in str(dead[validated])
        assert outbox_states(engine, SF_TOPIC) == Counter({"delivered": 10, "dead": 2})
        writes = writes_per_record(org)
        assert all(n == 1 for sf_id, n in writes.items() if sf_id not in (deleted, validated, locked))
        assert writes[locked] == 3, "a locked row is retried until it is written"
