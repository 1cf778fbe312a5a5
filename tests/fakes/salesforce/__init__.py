"""Fake Salesforce REST API over HTTPS for tests with the real simple_salesforce client."""

from tests.fakes.core.clock import ManualClock
from tests.fakes.salesforce.auth import OAuthConfig
from tests.fakes.salesforce.schema import SCORE_FIELDS, FieldSpec
from tests.fakes.salesforce.server import FakeSalesforce

__all__ = ["SCORE_FIELDS", "FakeSalesforce", "FieldSpec", "ManualClock", "OAuthConfig"]
