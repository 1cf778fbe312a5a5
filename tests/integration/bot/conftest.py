"""Fixtures for the bot tests: the fake Slack, Settings pointing at it, seeded data, the bot served over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.app import build_slack_app
from bot.clients import build_web_client
from bot.poster import SlackPoster
from bot.scoring_backend import ServiceBackend
from config import Settings
from nlp import SignalExtractor
from scoring.scorer import Scorer, build_scorer
from scoring.service import score_lead
from store.db import session_scope
from store.delivery import DeliveryPolicy
from store.repositories import calls, companies, leads
from tests.fakes.fixtures import fake_slack  # noqa: F401
from tests.fakes.slack import SIGNING_SECRET, FakeSlack, SlackSender
from tests.integration.bot.harness import serve

SALESFORCE_URL = "https://acme-test.my.salesforce.com"
ACME_LEAD_ID = "00Q5e00000AbCdEFGH"
ACME_NOTES = (
    "Intro call with Acme Telecom. They run a contact center with 200 agents and want to replace their IVR "
    "with a Voice AI agent this quarter. Budget is approved and the VP of Operations is the decision maker."
)


def bot_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    """Settings with Slack on, pointed at the fake Web API."""
    values: dict[str, Any] = {
        "environment": "test",
        "slack_bot_token": fake.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "slack_channel": "#fellow-learning-ml",
        "salesforce_instance_url": SALESFORCE_URL,
        "sync": {"http_timeout_seconds": 5.0},
        "slack": {"post_threshold": 0},
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
def extractor() -> SignalExtractor:
    """The real call-signal extractor (built once; it is read-only)."""
    return SignalExtractor()


@pytest.fixture(scope="session")
def scorer(extractor: SignalExtractor) -> Scorer:
    """The cold-start scorer (rule-based prior + rules), as served before any model is promoted."""
    return build_scorer(None, extract=extractor.extract)


@pytest.fixture
def settings(fake_slack: FakeSlack) -> Settings:  # noqa: F811
    """Settings for the bot against the fake Slack."""
    return bot_settings(fake_slack)


@pytest.fixture
def seeded(engine: Engine) -> dict[str, int]:
    """Acme (a lead with a Fellow call), two Globex companies (ambiguous name), Initech (no lead)."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        acme, _ = companies.upsert_company(
            "acme.com", session=session, name="Acme Telecom", industry="Telecommunications", employees=800,
            description="Contact center outsourcing with 200 agents",
        )  # fmt: skip
        lead, _, _ = leads.upsert_lead(
            session=session, salesforce_id=ACME_LEAD_ID, email="jane@acme.com", first_name="Jane",
            last_name="Doe", title="VP Operations", company_id=acme.id, created_at=now - timedelta(days=3),
        )  # fmt: skip
        calls.upsert_call(
            "fellow-call-1", session=session, lead_id=lead.id, company_id=acme.id, title="Acme Telecom <> Telnyx",
            started_at=now - timedelta(days=1), notes=ACME_NOTES, call_url="https://acme.fellow.app/notes/abc",
        )  # fmt: skip
        globex_one, _ = companies.upsert_company("globex.com", session=session, name="Globex Corporation")
        globex_two, _ = companies.upsert_company("globex.io", session=session, name="Globex Labs")
        initech, _ = companies.upsert_company("initech.com", session=session, name="Initech")
        return {
            "acme": acme.id or 0,
            "lead": lead.id or 0,
            "globex_one": globex_one.id or 0,
            "globex_two": globex_two.id or 0,
            "initech": initech.id or 0,
        }


@pytest.fixture
def backend(engine: Engine, scorer: Scorer, extractor: SignalExtractor) -> ServiceBackend:
    """The real scoring backend with the cold-start scorer."""
    return ServiceBackend(engine, lambda: scorer, extractor)


@pytest.fixture
def web_client(settings: Settings) -> WebClient:
    """The request-path WebClient built from Settings."""
    return build_web_client(settings)


@pytest.fixture
def bot_app(settings: Settings, engine: Engine, backend: ServiceBackend, seeded: dict[str, int]) -> App:
    """The Bolt app as production builds it (auth.test answered by the fake at construction)."""
    return build_slack_app(settings, engine=engine, scoring=backend)


@pytest.fixture
def poster(settings: Settings, engine: Engine) -> SlackPoster:
    """The channel poster with the background client, retrying immediately (no backoff) for tests."""
    policy = DeliveryPolicy(batch_size=20, base_delay_seconds=0, max_delay_seconds=0)
    return SlackPoster(settings, engine=engine, client=build_web_client(settings, background=True), policy=policy)


@pytest.fixture
def score_for_channel(
    engine: Engine, scorer: Scorer, extractor: SignalExtractor, seeded: dict[str, int]
) -> Callable[[], int]:
    """Score Acme's lead as the scheduler would (trigger None), enqueueing its slack.post event; returns the id."""

    def score() -> int:
        with session_scope(engine) as session:
            row = score_lead(seeded["lead"], session=session, scorer=scorer, extractor=extractor, trigger="fellow")
            return row.id or 0

    return score


@pytest.fixture
def slack(bot_app: App, fake_slack: FakeSlack) -> Iterator[SlackSender]:  # noqa: F811
    """The bot served over HTTP, and a sender of signed Slack requests."""
    with serve(bot_app) as base_url:
        sender = SlackSender(base_url, fake_slack)
        yield sender
        sender.http.close()
