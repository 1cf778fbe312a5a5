"""Local fake Slack, Salesforce and Fellow servers speaking the real protocols (see README.md)."""

from tests.fakes.core import FakeServer, Fault, RecordedCall, slow
from tests.fakes.core.clock import ManualClock
from tests.fakes.fellow import FakeFellow, new_webhook_secret, svix_headers, svix_signature
from tests.fakes.salesforce import SCORE_FIELDS, FakeSalesforce, FieldSpec, OAuthConfig
from tests.fakes.slack import FakeSlack, slack_signed_headers

__all__ = [
    "SCORE_FIELDS",
    "FakeFellow",
    "FakeSalesforce",
    "FakeServer",
    "FakeSlack",
    "Fault",
    "FieldSpec",
    "ManualClock",
    "OAuthConfig",
    "RecordedCall",
    "new_webhook_secret",
    "slack_signed_headers",
    "slow",
    "svix_headers",
    "svix_signature",
]
