"""Sign requests into a Slack app exactly as Slack does (v0 HMAC-SHA256 over "v0:{ts}:{body}")."""

from __future__ import annotations

import time

from slack_sdk.signature import SignatureVerifier

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
JSON_CONTENT_TYPE = "application/json"


def slack_signed_headers(
    secret: str,
    body: str | bytes,
    timestamp: int | None = None,
    content_type: str = FORM_CONTENT_TYPE,
    retry_num: int | None = None,
    retry_reason: str = "http_timeout",
) -> dict[str, str]:
    """Headers Slack sends with `body`: timestamp, v0 signature, content type, and retry headers if asked.

    Pass an old `timestamp` (more than 300 s ago) to test replay rejection; a wrong `secret` for forgery.
    """
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature or "",
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason
    return headers
