"""Fixtures for the tests of the fakes themselves (pytest_plugins is only allowed in the root conftest)."""

from tests.fakes.fixtures import (  # noqa: F401
    fake_fellow,
    fake_salesforce,
    fake_slack,
    salesforce_client,
    salesforce_session,
)
