"""Canvas apps in the fake org: signed requests as Salesforce builds them, POSTed to the app over real HTTP, and a
Lead record page that frames the app the way Lightning does (a form POSTing `signed_request` into an iframe).

The signature is the base64 HMAC-SHA256 of the base64 envelope text, keyed by the connected app's consumer
secret. `forged`, `stale` and a record of your choosing make the requests a real org never sends.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.fakes.core.clock import utc_now

ORG_ID = "00DFAKE0000000001AAA"


@dataclass(frozen=True)
class CanvasUser:
    """A Salesforce user who opens Lead pages."""

    user_id: str
    full_name: str
    email: str


@dataclass
class CanvasApp:
    """A connected app with canvas settings: where Salesforce POSTs and the consumer secret it signs with."""

    url: str
    consumer_secret: str
    instance_url: str
    name: str = "Fellow_Qualification"
    posts: list[int] = field(default_factory=list)

    def envelope(
        self, user: CanvasUser, record_id: str | None, *, issued_at: datetime | None = None, record_type: str = "Lead"
    ) -> dict[str, Any]:
        """A CanvasRequest as Salesforce sends it for `user` looking at `record_id` (issuedAt in seconds)."""
        moment = issued_at or utc_now()
        environment: dict[str, Any] = {"displayLocation": "Visualforce", "locationUrl": self.instance_url}
        if record_id is not None:
            environment["record"] = {"attributes": {"type": record_type, "url": f"/services/data/v60.0/sobjects/"
                                     f"{record_type}/{record_id}"}, "Id": record_id}  # fmt: skip
        return {
            "algorithm": "HMACSHA256",
            "issuedAt": int(moment.timestamp()),
            "userId": user.user_id,
            "client": {
                "instanceId": f"_:{self.name}:",
                "oauthToken": "00DFAKE!fake-oauth-token-never-used-by-the-app",
                "instanceUrl": self.instance_url,
                "targetOrigin": self.instance_url,
            },
            "context": {
                "application": {"name": self.name, "canvasUrl": self.url, "authType": "SIGNED_REQUEST"},
                "user": {"userId": user.user_id, "fullName": user.full_name, "email": user.email},
                "organization": {"organizationId": ORG_ID, "name": "Fake Org"},
                "environment": environment,
            },
        }

    def sign(self, envelope: dict[str, Any], *, secret: str | None = None) -> str:
        """`<signature>.<envelope>` with the app's consumer secret (or another one, to forge)."""
        encoded = base64.b64encode(json.dumps(envelope).encode()).decode("ascii")
        key = (secret if secret is not None else self.consumer_secret).encode()
        signature = base64.b64encode(hmac.new(key, encoded.encode("ascii"), hashlib.sha256).digest()).decode()
        return f"{signature}.{encoded}"

    def signed_request(
        self,
        user: CanvasUser,
        record_id: str | None,
        *,
        forged: bool = False,
        stale_by: timedelta | None = None,
        record_type: str = "Lead",
    ) -> str:
        """A signed request; `forged` signs with the wrong secret, `stale_by` back-dates issuedAt."""
        issued = utc_now() - stale_by if stale_by else None
        envelope = self.envelope(user, record_id, issued_at=issued, record_type=record_type)
        return self.sign(envelope, secret="not-the-consumer-secret" if forged else None)

    def post(self, signed_request: str, *, record: str | None = None, timeout: float = 30.0) -> httpx.Response:
        """POST the signed request to the app over HTTP, as Salesforce does when the page opens the canvas."""
        params = {"record": record} if record is not None else None
        response = httpx.post(self.url, data={"signed_request": signed_request}, params=params, timeout=timeout)
        self.posts.append(response.status_code)
        return response

    def lead_page(self, user: CanvasUser, record_id: str) -> str:
        """HTML of a Lead record page hosting the canvas app in an iframe (Lightning posts into the frame)."""
        signed = html.escape(self.signed_request(user, record_id), quote=True)
        action = html.escape(self.url, quote=True)
        return f"""<!doctype html><html><head><meta charset="utf-8"><title>Lead | Salesforce</title>
<style>body{{margin:0;font-family:sans-serif;background:#f3f3f3}}
header{{background:#032d60;color:#fff;padding:10px 16px}}
.record{{margin:12px 16px;background:#fff;border-radius:4px;padding:8px 12px}}
iframe{{border:0;width:100%;height:1000px;background:#fff}}</style></head>
<body><header>Salesforce · Lead {html.escape(record_id)}</header>
<div class="record"><h3>Fellow Qualification</h3>
<iframe name="canvas-frame" id="canvas-frame" title="Fellow Qualification"></iframe></div>
<form id="canvas-form" method="post" action="{action}" target="canvas-frame">
<input type="hidden" name="signed_request" value="{signed}"></form>
<script>document.getElementById("canvas-form").submit();</script></body></html>"""
