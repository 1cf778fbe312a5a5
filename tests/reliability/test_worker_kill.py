"""`fellow worker` killed with SIGKILL while a slowed fake holds its batch, then restarted: nothing is lost,
nothing is written twice after de-duplication by the receiver's key, every event ends delivered."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine

from nlp import SignalExtractor
from scoring.scorer import Scorer
from store.db import session_scope
from store.repositories import scores
from store.tables import OutboxEvent
from store.types import utcnow
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack
from tests.reliability.processes import fellow_env, fellow_process, kill9, stop, wait_until
from tests.reliability.world import (
    SCORE_FIELD,
    SF_TOPIC,
    SIGNING_SECRET,
    SLACK_TOPIC,
    assert_rows_once,
    build_world,
    outbox_states,
    posted_score_ids,
    salesforce_settings,
    slack_settings,
    writes_per_record,
)

pytestmark = pytest.mark.slow
LEADS = 12


def _expire_leases(engine: Engine) -> int:
    """Let the dead worker's leases run out (as they would after `lease_seconds`) without waiting for them."""
    with session_scope(engine) as session:
        result = session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.status == "delivering")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        )
        return int(result.rowcount or 0)


def _settled(engine: Engine) -> bool:
    return all(set(outbox_states(engine, topic)) == {"delivered"} for topic in (SF_TOPIC, SLACK_TOPIC))


def test_worker_killed_mid_batch_then_restarted_delivers_every_event_once(
    database_url: str,
    engine: Engine,
    scorer: Scorer,
    extractor: SignalExtractor,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    tmp_path: Path,
) -> None:
    world = build_world(engine, scorer, extractor, fake_salesforce, LEADS)
    env = fellow_env(
        {
            "environment": "test",
            "database_url": database_url,
            "data_dir": tmp_path,
            "log_format": "json",
            **slack_settings(fake_slack),
            **salesforce_settings(fake_salesforce),
            "sync": {"outbox_poll_seconds": 0.2, "salesforce_api_reserve": 0, "http_timeout_seconds": 30},
        }
    )
    fake_slack.set_delay("chat.postMessage", 0.3)
    fake_salesforce.set_delay("composite.sobjects", 2.0)
    log = tmp_path / "worker.log"
    with fellow_process(["worker"], env, log) as first:
        wait_until(lambda: len(posted_score_ids(fake_slack)) >= 3, what="the first cards", alive=first, log_file=log)
        held = lambda: outbox_states(engine, SF_TOPIC)["delivering"] > 0  # noqa: E731
        wait_until(held, what="a held writeback batch", alive=first, log_file=log)
        kill9(first)
    assert first.returncode == -9
    in_flight = outbox_states(engine, SF_TOPIC)["delivering"] + outbox_states(engine, SLACK_TOPIC)["delivering"]
    assert in_flight > 0, "the kill must land while a batch is leased"
    assert len(set(posted_score_ids(fake_slack))) < LEADS, "the kill must land mid-batch"

    assert _expire_leases(engine) == in_flight
    fake_slack.set_delay("chat.postMessage", 0)
    fake_salesforce.set_delay("composite.sobjects", 0)
    with fellow_process(["worker"], env, log) as second:
        wait_until(lambda: _settled(engine), what="every event delivered after the restart", alive=second, log_file=log)
        assert stop(second) == 0, log.read_text()[-3000:]

    assert_rows_once(engine, world)
    logged = log.read_text(errors="replace")
    assert '"slack.posted"' in logged
    for secret in (fake_slack.token, SIGNING_SECRET, fake_salesforce.session_id):
        assert secret not in logged, "a configured secret reached the worker's log"
    posted = Counter(posted_score_ids(fake_slack))
    assert set(posted) == set(world.score_ids)
    assert sum(posted.values()) - len(posted) <= 1, f"more than the in-flight card was re-posted: {posted}"
    writes = writes_per_record(fake_salesforce)
    assert set(writes) <= set(world.salesforce_ids) and all(1 <= n <= 2 for n in writes.values())
    with session_scope(engine) as session:
        for lead_id, sf_id in zip(world.lead_ids, world.salesforce_ids, strict=True):
            newest = scores.latest_score(lead_id, session=session)
            assert newest is not None
            assert fake_salesforce.record(sf_id)[SCORE_FIELD] == newest.qualification_score
