"""The database unreachable, then dropping connections (PostgreSQL) or locked by another process (SQLite) while a
batch is in flight: passes fail or wait, nothing is lost, and after recovery every event is delivered once."""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from bot.clients import build_web_client
from bot.poster import SlackPoster
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.writeback import WritebackConsumer
from nlp import SignalExtractor
from scoring.scorer import Scorer
from store.db import make_engine
from store.delivery import DeliveryPolicy
from tests.db_fixtures import POSTGRES_URL
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack
from tests.reliability.processes import wait_until
from tests.reliability.test_delivery_faults import _drain
from tests.reliability.world import (
    SF_TOPIC,
    SLACK_TOPIC,
    assert_rows_once,
    build_world,
    make_settings,
    outbox_states,
    posted_score_ids,
    salesforce_settings,
    slack_settings,
)

POLICY = DeliveryPolicy(batch_size=20, base_delay_seconds=0, max_delay_seconds=0)
LOCK_HOLD_SECONDS = 0.5


def _unreachable_url(database_url: str, tmp_path: Path) -> str:
    """The same kind of database where nothing answers: a closed port, or a SQLite path that is a directory."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp_path}"
    return url.set(port=1).render_as_string(hide_password=False)


@contextmanager
def _interruption(database_url: str, app_name: str) -> Iterator[None]:
    """PostgreSQL: kill every backend of the app's connections. SQLite: hold an exclusive lock on the file."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        holder = sqlite3.connect(str(url.database), isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
            time.sleep(LOCK_HOLD_SECONDS)  # the outage lasts a moment; the app's writes wait on busy_timeout
        finally:
            holder.execute("COMMIT")
            holder.close()
        return
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.begin() as connection:
            killed = connection.execute(
                text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = :n"),
                {"n": app_name},
            ).scalar_one()
        assert killed >= 1, "the app must hold connections when they are killed"
        yield
    finally:
        admin.dispose()


def _app_engine(database_url: str, app_name: str) -> Engine:
    if make_url(database_url).get_backend_name() == "sqlite":
        return make_engine(database_url)
    return make_engine(f"{database_url}&application_name={app_name}")


def test_database_outage_mid_batch_loses_nothing(
    database_url: str,
    engine: Engine,
    scorer: Scorer,
    extractor: SignalExtractor,
    fake_slack: FakeSlack,
    fake_salesforce: FakeSalesforce,
    tmp_path: Path,
) -> None:
    world = build_world(engine, scorer, extractor, fake_salesforce, 10)
    settings = make_settings(database_url, **slack_settings(fake_slack), **salesforce_settings(fake_salesforce))
    client = build_web_client(settings, background=True)

    dead = make_engine(_unreachable_url(database_url, tmp_path))
    with pytest.raises(OperationalError):
        SlackPoster(settings, engine=dead, client=client, policy=POLICY).run_once()
    dead.dispose()
    assert fake_slack.messages("fellow-learning-ml") == []

    app_name = f"rel_{uuid.uuid4().hex[:10]}"
    app_engine = _app_engine(database_url, app_name)
    poster = SlackPoster(settings, engine=app_engine, client=client, policy=POLICY)
    salesforce = SalesforceClient.from_settings(settings, sleep=lambda _s: None)
    writer = WritebackConsumer(salesforce, app_engine, settings.salesforce_fields.model_dump(), policy=POLICY)
    failures: list[BaseException] = []

    def one_pass() -> None:
        try:
            poster.run_once()
        except Exception as exc:  # the worker loop logs and retries a failed pass; the test counts them
            failures.append(exc)

    fake_slack.set_delay("chat.postMessage", 0.2)
    worker = threading.Thread(target=one_pass)
    worker.start()
    wait_until(lambda: len(posted_score_ids(fake_slack)) >= 2, what="the batch under way")
    with _interruption(database_url, app_name):
        pass
    worker.join(60)
    fake_slack.set_delay("chat.postMessage", 0)
    _drain(poster.run_once, app_engine, SLACK_TOPIC)
    _drain(writer.run_once, app_engine, SF_TOPIC)
    app_engine.dispose()

    assert_rows_once(engine, world)
    assert set(outbox_states(engine, SLACK_TOPIC)) == set(outbox_states(engine, SF_TOPIC)) == {"delivered"}
    posted = Counter(posted_score_ids(fake_slack))
    assert set(posted) == set(world.score_ids)
    assert sum(posted.values()) - len(posted) <= len(failures), "a repeat needs a pass that failed after posting"
