"""The panel token: the verified canvas context, signed by us, carried in the panel's forms.

Salesforce verifies the user once, in the signed request that opens the panel. The panel's own POSTs (👍/👎,
score now) carry this token instead: it names the Salesforce user, the AE they map to and the record, expires
after `canvas.panel_minutes`, and is signed with a key derived from the consumer secret. It is delivered only
inside the panel's HTML, so it is also the CSRF token: a page elsewhere can neither read nor forge it. No cookie
is involved (third-party cookies in an iframe are blocked by default in most browsers).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

_LABEL = b"fellow-canvas-panel-v1"
MAX_TOKEN = 2000


class PanelTokenError(ValueError):
    """A missing, forged, expired or malformed panel token."""


@dataclass(frozen=True)
class PanelClaims:
    """Who may act on which record from a rendered panel, and until when (epoch seconds)."""

    salesforce_user_id: str
    ae_id: str
    user_name: str | None
    record_id: str
    expires: int


def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def expiry(now: datetime, minutes: int) -> int:
    """The `expires` value for a token issued at `now` that lives `minutes`."""
    return int((now + timedelta(minutes=minutes)).timestamp())


def issue(claims: PanelClaims, secret: str) -> str:
    """The signed token carrying these claims."""
    body = _b64(json.dumps(asdict(claims), separators=(",", ":")).encode())
    return f"{body}.{_b64(hmac.new(_key(secret), body.encode(), hashlib.sha256).digest())}"


def verify(token: str, secret: str, *, now: datetime) -> PanelClaims:
    """The claims of a valid, unexpired token; PanelTokenError otherwise (signature checked before decoding)."""
    body, dot, signature = (token or "").partition(".")
    if not dot or len(token) > MAX_TOKEN:
        raise PanelTokenError("the panel token is missing; reload the Lead page")
    expected = _b64(hmac.new(_key(secret), body.encode("ascii", "replace"), hashlib.sha256).digest())
    if not hmac.compare_digest(expected.encode(), signature.encode("ascii", "replace")):
        raise PanelTokenError("the panel token is not valid; reload the Lead page")
    try:
        claims = PanelClaims(**json.loads(_unb64(body)))
    except (binascii.Error, ValueError, TypeError):
        raise PanelTokenError("the panel token is not valid; reload the Lead page") from None
    if claims.expires < now.astimezone(UTC).timestamp():
        raise PanelTokenError("this panel has expired; reload the Lead page")
    return claims
