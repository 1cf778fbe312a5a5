"""Fixtures for the crm_sync integration tests: fakes, Settings pointing at them, clients built from Settings."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from config import Settings
from crm_sync.salesforce.client import SalesforceClient
from crm_sync.salesforce.flows import Rescore
from nlp import SignalExtractor
from scoring.scorer import Scorer, build_scorer
from scoring.service import score_lead
from tests.fakes.fellow import FakeFellow
from tests.fakes.fixtures import fake_fellow, fake_salesforce  # noqa: F401
from tests.fakes.salesforce import FakeSalesforce


class SleepLog:
    """Records requested sleeps instead of sleeping, so retry tests do not wait on the wall clock."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def salesforce_settings(fake: FakeSalesforce, **overrides: Any) -> Settings:
    """Settings for a direct session against the fake (override to switch the login mode)."""
    values: dict[str, Any] = {
        "environment": "test",
        "salesforce_instance_url": fake.url,
        "salesforce_access_token": fake.session_id,
        "salesforce_ca_bundle": fake.ca_file,
        "salesforce_login_url": fake.url,
        "sync": {"salesforce_api_reserve": 0, "max_retries": 3, "http_timeout_seconds": 5.0},
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def sleeps() -> SleepLog:
    """A sleep function that only records delays."""
    return SleepLog()


@pytest.fixture
def sf_settings(fake_salesforce: FakeSalesforce) -> Settings:  # noqa: F811
    """Settings with a direct session on the fake Salesforce."""
    return salesforce_settings(fake_salesforce)


@pytest.fixture
def sf_client(sf_settings: Settings, sleeps: SleepLog) -> SalesforceClient:
    """The production client built from Settings, with recorded sleeps."""
    return SalesforceClient.from_settings(sf_settings, sleep=sleeps)


@pytest.fixture(scope="session")
def scorer() -> Scorer:
    """The real rule-based prior scorer (no model bundle), built once."""
    return build_scorer()


@pytest.fixture(scope="session")
def extractor() -> SignalExtractor:
    """The real call-signal extractor, built once (the spaCy pipeline is costly)."""
    return SignalExtractor()


@pytest.fixture
def rescore(scorer: Scorer, extractor: SignalExtractor) -> Rescore:
    """What the composition root injects: scoring.service.score_lead bound to the scorer and extractor."""
    return functools.partial(score_lead, scorer=scorer, extractor=extractor)


def fellow_settings(fake: FakeFellow, **overrides: Any) -> Settings:
    """Settings pointing at the fake Fellow API."""
    values: dict[str, Any] = {
        "environment": "test",
        "fellow_api_url": fake.api_url,
        "fellow_api_key": fake.api_key,
        "fellow_auth_header": "Authorization" if fake.auth_mode == "authorization" else "X-API-KEY",
        "company": {"own_names": ["Us", "Our Company"], "own_domains": ["ourcompany.example"]},
        "sync": {"max_retries": 3, "http_timeout_seconds": 5.0},
    }
    values.update(overrides)
    return Settings(**values)
