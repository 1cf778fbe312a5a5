"""Salesforce Canvas signed requests: verify the envelope Salesforce POSTs into a canvas app and read who is
looking at which record.

`signed_request` is `<signature>.<envelope>`: the envelope is the base64 JSON CanvasRequest and the signature is
the base64 HMAC-SHA256 of the envelope *as sent* (its base64 text, not the decoded JSON), keyed by the connected
app's consumer secret. The signature is checked on those raw bytes with a constant-time compare before anything
is decoded; only then is the JSON read. Salesforce has used both the standard and the URL-safe base64 alphabet,
with and without padding, so both are accepted.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ALGORITHM = "HMACSHA256"
MAX_SIGNED_REQUEST = 64_000  # a real envelope is a few KB (context + OAuth token); refuse anything far larger
_B64 = re.compile(r"^[A-Za-z0-9+/_-]+={0,2}$")
_SF_ID = re.compile(r"^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$")
_MILLIS_FROM = 100_000_000_000  # an issuedAt above this is in milliseconds (year 5138 in seconds)


class CanvasError(ValueError):
    """A refused canvas request: `status` is the HTTP status to answer (400 malformed, 401 unsigned/forged/stale,
    403 wrong record or object)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CanvasContext:
    """What a verified envelope says: the Salesforce user, their org and the record the panel sits on."""

    user_id: str
    user_email: str | None
    user_name: str | None
    org_id: str | None
    record_id: str | None
    record_type: str | None
    instance_url: str | None
    issued_at: datetime


def _b64decode(text: str) -> bytes:
    """Decode standard or URL-safe base64, padded or not; CanvasError(400) for anything else."""
    if not _B64.match(text):
        raise CanvasError(400, "signed_request is not base64")
    bare = text.replace("+", "-").replace("/", "_").rstrip("=")
    try:
        return base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        raise CanvasError(400, "signed_request is not base64") from None


def sign_envelope(envelope: str, secret: str) -> str:
    """The base64 HMAC-SHA256 signature of an encoded envelope (what Salesforce puts before the dot)."""
    digest = hmac.new(secret.encode(), envelope.encode("ascii"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def _issued_at(value: Any) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise CanvasError(401, "signed_request has no issuedAt time")
    seconds = value / 1000 if value >= _MILLIS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise CanvasError(401, "signed_request has an invalid issuedAt time") from None


def _text(data: Any, *keys: str) -> str | None:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data if isinstance(data, str) and data.strip() else None


def _context(envelope: dict[str, Any], issued_at: datetime) -> CanvasContext:
    context = envelope.get("context")
    user_id = envelope.get("userId") or _text(context, "user", "userId")
    if not isinstance(user_id, str) or not _SF_ID.match(user_id):
        raise CanvasError(400, "signed_request names no Salesforce user")
    record = (context.get("environment") or {}).get("record") if isinstance(context, dict) else None
    record_id = _text(record, "Id")
    if record_id is not None and not _SF_ID.match(record_id):
        raise CanvasError(400, "signed_request names a malformed record id")
    return CanvasContext(
        user_id=user_id,
        user_email=_text(context, "user", "email"),
        user_name=_text(context, "user", "fullName"),
        org_id=_text(context, "organization", "organizationId"),
        record_id=record_id,
        record_type=_text(record, "attributes", "type"),
        instance_url=_text(envelope, "client", "instanceUrl"),
        issued_at=issued_at,
    )


def verify_signed_request(
    signed_request: str,
    secret: str,
    *,
    now: datetime,
    max_age_seconds: float,
    clock_skew_seconds: float = 60.0,
) -> CanvasContext:
    """Verify a canvas `signed_request` and return its context; CanvasError for unsigned, forged, stale or
    malformed input. The signature is checked before the envelope is decoded."""
    if not signed_request or len(signed_request) > MAX_SIGNED_REQUEST:
        raise CanvasError(401 if not signed_request else 400, "a signed_request is required")
    signature, dot, envelope = signed_request.strip().partition(".")
    if not dot or not signature or not envelope:
        raise CanvasError(401, "signed_request is not <signature>.<envelope>")
    given = _b64decode(signature)
    expected = hmac.new(secret.encode(), envelope.encode("ascii", "replace"), hashlib.sha256).digest()
    if not hmac.compare_digest(given, expected):
        raise CanvasError(401, "signed_request signature does not match (wrong consumer secret or forged)")
    raw = _b64decode(envelope)
    try:
        data = json.loads(raw)
    except ValueError:  # includes UnicodeDecodeError
        raise CanvasError(400, "signed_request envelope is not JSON") from None
    if not isinstance(data, dict):
        raise CanvasError(400, "signed_request envelope is not a JSON object")
    if str(data.get("algorithm") or "").upper() != ALGORITHM:
        raise CanvasError(401, f"signed_request algorithm must be {ALGORITHM}")
    issued_at = _issued_at(data.get("issuedAt"))
    age = (now - issued_at).total_seconds()
    if age > max_age_seconds:
        raise CanvasError(401, f"signed_request is stale (issued {int(age)} s ago; limit {int(max_age_seconds)} s)")
    if age < -clock_skew_seconds:
        raise CanvasError(401, "signed_request is issued in the future (check the server clock)")
    return _context(data, issued_at)


def same_record(a: str, b: str) -> bool:
    """Whether two Salesforce ids (15- or 18-character) name the same record (the 15-character base is
    case-sensitive)."""
    return len(a) >= 15 and len(b) >= 15 and a[:15] == b[:15]
