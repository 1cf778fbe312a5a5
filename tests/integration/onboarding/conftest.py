"""Settings pointing the doctor at the fake Slack, Salesforce and Fellow servers and a test database."""

from __future__ import annotations

from typing import Any

from admin_api.cli.doctor.domain import Check, CheckResult
from admin_api.cli.doctor.runner import run_checks
from config import Settings
from scoring.domain import Priority, Recommendation
from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"
CHECK_TIMEOUT_SECONDS = 20.0


def make_settings(**values: Any) -> Settings:
    """Test settings (everything off unless given), with short HTTP timeouts."""
    base: dict[str, Any] = {"environment": "test", "sync": {"http_timeout_seconds": 5.0}}
    base.update(values)
    return Settings(**base)


def slack_values(fake: FakeSlack, **overrides: Any) -> dict[str, Any]:
    """Settings values turning Slack on against the fake."""
    values: dict[str, Any] = {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": fake.api_url,
        "slack_channel": "#fellow-learning-ml",
    }
    return {**values, **overrides}


def salesforce_values(fake: FakeSalesforce, **overrides: Any) -> dict[str, Any]:
    """Settings values turning Salesforce on (direct session) against the fake, trusting its CA."""
    values: dict[str, Any] = {
        "salesforce_instance_url": fake.url,
        "salesforce_access_token": fake.session_id,
        "salesforce_ca_bundle": fake.ca_file,
    }
    return {**values, **overrides}


def fellow_values(fake: FakeFellow, **overrides: Any) -> dict[str, Any]:
    """Settings values turning Fellow on against the fake."""
    return {"fellow_api_url": fake.api_url, "fellow_api_key": fake.api_key, **overrides}


def deploy_metadata_fields(fake: FakeSalesforce) -> None:
    """Make the fake org's score fields look like crm_sync/salesforce/metadata deployed them."""
    fake.set_field("Lead", "Fellow_Recommendation__c", type="picklist", picklist=tuple(Recommendation), restricted=True)
    fake.set_field("Lead", "Fellow_Priority__c", type="picklist", picklist=tuple(Priority), restricted=True)
    fake.set_field("Lead", "Fellow_Voice_AI_Fit__c", type="double", length=0)
    fake.set_field("Lead", "Fellow_Score_Reasons__c", length=32768)


def run(checks: list[Check]) -> dict[str, CheckResult]:
    """Run checks and index the results by check name."""
    return {result.name: result for result in run_checks(checks, timeout_seconds=CHECK_TIMEOUT_SECONDS)}
