"""Sign webhook deliveries Svix-style, as Fellow is reported to (unconfirmed; see INTEGRATIONS.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time


def svix_signature(secret: str, msg_id: str, timestamp: int, body: str | bytes) -> str:
    """`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` keyed by the base64 part after `whsec_`."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    payload = body.encode() if isinstance(body, str) else body
    signed = f"{msg_id}.{timestamp}.".encode() + payload
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def svix_headers(
    secret: str, body: str | bytes, msg_id: str | None = None, timestamp: int | None = None
) -> dict[str, str]:
    """The svix-id / svix-timestamp / svix-signature headers (plus JSON content type) for a delivery."""
    msg_id = msg_id or f"msg_{secrets.token_hex(12)}"
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        "svix-id": msg_id,
        "svix-timestamp": str(ts),
        "svix-signature": svix_signature(secret, msg_id, ts, body),
    }


def new_webhook_secret() -> str:
    """A fresh `whsec_<base64>` secret."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
