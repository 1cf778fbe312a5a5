"""Pytest fixtures for the fakes; enable with `pytest_plugins = ["tests.fakes.fixtures"]` in a conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from simple_salesforce import Salesforce

from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.sessions import trusting_session
from tests.fakes.slack import FakeSlack


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A running FakeSlack; point WebClient at `fake_slack.api_url` with token `fake_slack.token`."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake_salesforce() -> Iterator[FakeSalesforce]:
    """A running FakeSalesforce over HTTPS; trust `fake_salesforce.ca_file`."""
    with FakeSalesforce() as fake:
        yield fake


@pytest.fixture
def fake_fellow() -> Iterator[FakeFellow]:
    """A running FakeFellow; base URL `fake_fellow.api_url`, headers `fake_fellow.auth_headers()`."""
    with FakeFellow() as fake:
        yield fake


@pytest.fixture
def salesforce_session(fake_salesforce: FakeSalesforce) -> Iterator[requests.Session]:
    """A requests Session trusting only the fake's CA (immune to REQUESTS_CA_BUNDLE)."""
    session = trusting_session(fake_salesforce.ca_file)
    yield session
    session.close()


@pytest.fixture
def salesforce_client(fake_salesforce: FakeSalesforce, salesforce_session: requests.Session) -> Salesforce:
    """The real simple_salesforce client in direct (instance URL + session id) mode against the fake."""
    return Salesforce(
        instance_url=fake_salesforce.url, session_id=fake_salesforce.session_id, session=salesforce_session
    )
