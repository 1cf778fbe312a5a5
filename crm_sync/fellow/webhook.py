"""Fellow webhooks ("AI note generated" and friends): URL verification, Svix-style signature check when a
secret is configured, and a decision to ingest. The body is only a hint: the caller re-fetches through the API
(`crm_sync.jobs.ingest_fellow_calls`), so a forged or replayed event can at most cause an extra fetch.

Unconfirmed details (see INTEGRATIONS.md): the event names and the Svix headers; both are handled leniently.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

TOLERANCE_SECONDS = 300
NOTE_EVENT_PREFIXES = ("ai_note", "note")


class WebhookError(ValueError):
    """A refused delivery; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class WebhookResult:
    """What to answer, and whether to run an ingestion pass (in the background) for this event."""

    status: int
    body: str
    content_type: str = "application/json"
    ingest: bool = False
    event_type: str | None = None
    note_id: str | None = None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def verify_signature(
    secret: SecretStr, headers: Mapping[str, str], body: bytes, *, now: Callable[[], float] = time.time
) -> None:
    """Check `svix-signature` (v1, base64 HMAC-SHA256 of "{id}.{timestamp}.{body}") and the timestamp window."""
    msg_id, stamp, signatures = (_header(headers, f"svix-{n}") for n in ("id", "timestamp", "signature"))
    if not msg_id or not stamp or not signatures:
        raise WebhookError(401, "missing svix-id / svix-timestamp / svix-signature headers")
    try:
        sent = int(stamp)
    except ValueError:
        raise WebhookError(401, "svix-timestamp is not a number") from None
    if abs(now() - sent) > TOLERANCE_SECONDS:
        raise WebhookError(401, "svix-timestamp outside the 5-minute window (replay or clock skew)")
    try:
        key = base64.b64decode(secret.get_secret_value().removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookError(500, "FELLOW_FELLOW_WEBHOOK_SECRET is not a whsec_<base64> secret") from None
    digest = hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(digest).decode()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return
    raise WebhookError(401, "signature does not match")


def _note_id(event: dict[str, Any]) -> str | None:
    data = event.get("data")
    source = data if isinstance(data, dict) else event
    note = source.get("note")
    for candidate in (source.get("note_id"), note.get("id") if isinstance(note, dict) else None, source.get("id")):
        if isinstance(candidate, str | int) and str(candidate).strip():
            return str(candidate)
    return None


def handle_webhook(
    body: bytes, headers: Mapping[str, str], *, secret: SecretStr | None, now: Callable[[], float] = time.time
) -> WebhookResult:
    """Answer a Fellow delivery: echo a url_verification challenge, else verify and ask for ingestion."""
    try:
        event = json.loads(body.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        raise WebhookError(400, "body is not JSON") from None
    if not isinstance(event, dict):
        raise WebhookError(400, "body is not a JSON object")
    event_type = str(event.get("type") or event.get("event") or event.get("event_type") or "")
    if event_type == "url_verification":
        return WebhookResult(200, str(event.get("challenge", "")), "text/plain", event_type=event_type)
    if secret is not None:
        verify_signature(secret, headers, body, now=now)
    ingest = event_type.startswith(NOTE_EVENT_PREFIXES)
    answer = json.dumps({"ok": True, "ingest": ingest})
    return WebhookResult(200, answer, ingest=ingest, event_type=event_type or None, note_id=_note_id(event))
