"""Checks on a Slack request's raw bytes before Bolt sees it: media type, timestamp window, v0 signature, then
encoding and shape. Bolt parses the body before its own signature check and answers junk with a 500, so junk
from unauthenticated clients must never reach it."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
REPLAY_WINDOW_SECONDS = 300
MAX_TIMESTAMP_DIGITS = 12


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: the HTTP status and a short reason (safe to log and to answer)."""

    status: int
    reason: str


def _signature_ok(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("latin-1", errors="replace"))


def _shape_problem(text: str, media_type: str) -> str | None:
    """Why a verified body is not something Bolt can dispatch (None when it is)."""
    try:
        if media_type == JSON:
            return None if isinstance(json.loads(text), dict) else "JSON body is not an object"
        form = parse_qs(text, keep_blank_values=True, max_num_fields=1000)
        payload = form.get("payload")
        if payload is not None and not isinstance(json.loads(payload[0]), dict):
            return "payload is not a JSON object"
    except (ValueError, RecursionError):
        return "body is not well-formed"
    return None


def check_slack_request(
    body: bytes, headers: Mapping[str, str], secret: str, *, now: Callable[[], float] = time.time
) -> Refusal | None:
    """None when the request is genuine and well-formed, else the refusal to answer (never raises)."""
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in (FORM, JSON):
        return Refusal(415, "content type must be form-encoded or JSON")
    timestamp = headers.get("x-slack-request-timestamp", "")
    if not timestamp.isdigit() or len(timestamp) > MAX_TIMESTAMP_DIGITS:
        return Refusal(401, "missing or malformed X-Slack-Request-Timestamp")
    if abs(now() - int(timestamp)) > REPLAY_WINDOW_SECONDS:
        return Refusal(401, "X-Slack-Request-Timestamp outside the 5-minute window")
    if not _signature_ok(secret.encode(), timestamp, body, headers.get("x-slack-signature", "")):
        return Refusal(401, "invalid X-Slack-Signature")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return Refusal(400, "body is not UTF-8")
    problem = _shape_problem(text, media_type)
    return Refusal(400, problem) if problem else None
