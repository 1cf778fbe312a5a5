"""The budget check when Salesforce answered without its usage header (e.g. a proxy stripped it)."""

from __future__ import annotations

from typing import Any

from admin_api.cli.doctor.domain import Status
from admin_api.cli.doctor.salesforce import SalesforceProbe
from config import Settings


class _NoUsageClient:
    """Answers describe but never learns the API usage."""

    usage = None
    version = "60.0"

    def describe(self, sobject: str) -> dict[str, Any]:
        return {"name": sobject, "fields": []}


def test_missing_usage_header_is_a_warning_not_a_pass() -> None:
    settings = Settings(environment="test", salesforce_instance_url="https://acme.my.salesforce.com")
    probe = SalesforceProbe(settings, _NoUsageClient())  # type: ignore[arg-type]
    assert probe.connection().status is Status.OK
    budget = probe.budget()
    assert budget.status is Status.WARN and "Sforce-Limit-Info" in budget.summary
