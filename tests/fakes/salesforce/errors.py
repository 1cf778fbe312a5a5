"""Salesforce's error shapes: REST errors are a JSON array of {message, errorCode, fields}."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RecordError:
    """One per-record failure as sObject Collections reports it ({statusCode, message, fields})."""

    status_code: str
    message: str
    fields: tuple[str, ...] = ()

    def collection_json(self) -> dict[str, Any]:
        """Shape used inside composite/sobjects results."""
        return {"statusCode": self.status_code, "message": self.message, "fields": list(self.fields)}


@dataclass
class ApiError(Exception):
    """A request-level failure: HTTP status plus Salesforce's error array."""

    status: int
    error_code: str
    message: str
    fields: list[str] = field(default_factory=list)

    def body(self) -> list[dict[str, Any]]:
        """The JSON array body Salesforce sends (simple_salesforce reads `[0]["errorCode"]`)."""
        return [{"message": self.message, "errorCode": self.error_code, "fields": self.fields}]


def session_invalid() -> ApiError:
    """401 for a missing, unknown or expired bearer token."""
    return ApiError(401, "INVALID_SESSION_ID", "Session expired or invalid")


def request_limit_exceeded() -> ApiError:
    """403 when the org's rolling 24 h API allocation is used up."""
    return ApiError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")


def not_found() -> ApiError:
    """404 for an unknown resource or record."""
    return ApiError(404, "NOT_FOUND", "The requested resource does not exist")


def malformed_query(message: str) -> ApiError:
    """400 for SOQL the parser does not accept."""
    return ApiError(400, "MALFORMED_QUERY", message)


def invalid_field(sobject: str, name: str) -> ApiError:
    """400 for a field the object does not have (Salesforce's wording)."""
    return ApiError(
        400,
        "INVALID_FIELD",
        f"No such column '{name}' on entity '{sobject}'. If you are attempting to use a custom field, be sure "
        "to append the '__c' after the custom field name. Please reference your WSDL or the describe call for "
        "the appropriate names.",
    )
