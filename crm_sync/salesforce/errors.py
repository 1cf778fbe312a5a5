"""Failures of the Salesforce integration, each saying what to do about it."""

from __future__ import annotations


class SalesforceError(RuntimeError):
    """Base class: a Salesforce call or set-up problem (messages never contain credentials)."""


class SalesforceAuthError(SalesforceError):
    """Login failed or no usable credentials are configured."""


class SalesforceUnavailable(SalesforceError):
    """Salesforce kept failing (5xx, timeouts, concurrent-request limit) after bounded retries."""


class ApiBudgetExhausted(SalesforceError):
    """The org's remaining 24 h API allocation reached the configured reserve; the sync stops until it recovers."""

    def __init__(self, used: int, total: int, reserve: int) -> None:
        super().__init__(
            f"Salesforce API budget reserve reached: {used}/{total} calls used in the last 24 h, "
            f"reserve {reserve} (sync.salesforce_api_reserve); stopping until usage drops"
        )
        self.used, self.total, self.reserve = used, total, reserve


class SalesforceRequestError(SalesforceError):
    """Salesforce refused a request for a reason retrying cannot fix (bad query, missing field, not found)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"Salesforce answered {status} {code}: {message}")
        self.status, self.code = status, code


class FieldSetupError(SalesforceError):
    """The Lead fields the writeback fills are missing or read-only in the org."""
