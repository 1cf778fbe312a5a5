"""A small scored world shared by the fault tests: org leads in the fake Salesforce, local leads, one score each
(with the outbox events scoring enqueues), and the checks every fault test ends with."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from config import Settings
from nlp import SignalExtractor
from scoring.scorer import Scorer
from scoring.service import score_lead
from store.db import session_scope
from store.repositories import companies, leads, outbox
from store.tables import Feedback, OutboxEvent, Score
from store.types import utcnow
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack

SIGNING_SECRET = "8f3e2d1c0b9a8f7e6d5c4b3a29180716"
SF_TOPIC, SLACK_TOPIC = "salesforce.writeback", "slack.post"
SCORE_FIELD = "Fellow_Qualification_Score__c"
MODEL_FIELD = "Fellow_Model_Version__c"


@dataclass(frozen=True)
class World:
    """What `build_world` made: local lead ids, their org ids, and the score ids in creation order."""

    lead_ids: list[int]
    salesforce_ids: list[str]
    score_ids: list[int]


def build_world(
    engine: Engine, scorer: Scorer, extractor: SignalExtractor, org: FakeSalesforce | None, n: int
) -> World:
    """`n` leads (in the org when given), each scored once by the real scoring service (outbox events included)."""
    sf_ids = org.seed_leads(n) if org is not None else [f"00Q5e00000Loc{i:05d}" for i in range(n)]
    lead_ids, score_ids = [], []
    with session_scope(engine) as session:
        for i, sf_id in enumerate(sf_ids):
            company, _ = companies.upsert_company(
                f"company-{i}.example", session=session, name=f"Company {i} Telecom", industry="Telecommunications",
                employees=200 + i, description="Contact center with agents; wants a Voice AI agent for calls",
            )  # fmt: skip
            lead, _, _ = leads.upsert_lead(
                session=session, salesforce_id=sf_id, email=f"lead-{i}@company-{i}.example", last_name=f"Lead{i}",
                company_id=company.id,
            )  # fmt: skip
            lead_ids.append(int(lead.id or 0))
        session.flush()
        for lead_id in lead_ids:
            score_ids.append(int(score_lead(lead_id, session=session, scorer=scorer, extractor=extractor).id or 0))
    return World(lead_ids, sf_ids, score_ids)


def slack_settings(fake: FakeSlack, **overrides: Any) -> dict[str, Any]:
    """Settings values turning Slack on against the fake, posting every score."""
    return {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "slack_channel": "#fellow-learning-ml",
        "slack": {"post_threshold": 0},
        **overrides,
    }


def salesforce_settings(fake: FakeSalesforce, **overrides: Any) -> dict[str, Any]:
    """Settings values for a direct session on the fake org (plus client credentials when it has OAuth)."""
    return {
        "salesforce_instance_url": fake.url,
        "salesforce_access_token": fake.session_id,
        "salesforce_ca_bundle": fake.ca_file,
        "salesforce_login_url": fake.url,
        **overrides,
    }


def make_settings(database_url: str, **values: Any) -> Settings:
    """Test Settings on a database, with short HTTP timeouts and no API reserve."""
    sync = {"salesforce_api_reserve": 0, "max_retries": 2, "http_timeout_seconds": 3.0} | values.pop("sync", {})
    return Settings(environment="test", database_url=database_url, sync=sync, **values)


def posted_score_ids(fake: FakeSlack) -> list[int]:
    """Score ids of the cards in the channel, read from the 👍/👎 button values (the receiver's idempotency key)."""
    found = []
    for message in fake.messages("fellow-learning-ml"):
        values = {
            element.get("value")
            for block in message.blocks or []
            if block.get("type") == "actions"
            for element in block.get("elements", [])
        }
        found.extend(int(v) for v in values if isinstance(v, str) and v.isdigit())
    return found


def writes_per_record(fake: FakeSalesforce) -> Counter[str]:
    """How many composite updates that Salesforce answered 200 carried each Lead id."""
    seen: Counter[str] = Counter()
    for call in fake.calls("composite.sobjects"):
        if call.status == 200 and not call.faulted:
            body = call.body if isinstance(call.body, dict) else json.loads(call.raw_body)
            seen.update(record["id"] for record in body.get("records", []))
    return seen


def table_count(engine: Engine, table: type) -> int:
    """Rows in a table."""
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def outbox_states(engine: Engine, topic: str) -> Counter[str]:
    """Status -> number of events for a topic."""
    with session_scope(engine) as session:
        return Counter(event.status for event in outbox.events(session=session, topic=topic))


def assert_rows_once(engine: Engine, world: World, feedback: int = 0) -> None:
    """Every score row exactly once (no loss, no duplicate), one event per score per topic, feedback rows as given."""
    with session_scope(engine) as session:
        ids = list(session.execute(select(Score.id).order_by(Score.id)).scalars())
        keys = list(session.execute(select(OutboxEvent.idempotency_key)).scalars())
    assert ids == world.score_ids
    assert Counter(keys)[f"{SLACK_TOPIC}:score:{world.score_ids[0]}"] == 1
    assert len(keys) == len(set(keys)) == 2 * len(world.score_ids)
    assert table_count(engine, Feedback) == feedback


def make_due(engine: Engine) -> None:
    """Let retry back-offs elapse (as the clock would) so the next pass sees every pending event."""
    with session_scope(engine) as session:
        session.execute(update(OutboxEvent).where(OutboxEvent.status == "pending").values(next_attempt_at=utcnow()))
