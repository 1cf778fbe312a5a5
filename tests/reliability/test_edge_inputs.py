"""Junk at the edge (real HTTP, fully configured app): malformed, non-UTF-8, deeply nested and unsigned bodies on
every POST route are a 4xx with a short body and at most a short log line each, never a 5xx or a traceback."""

from __future__ import annotations

import hashlib
import hmac
import time

import httpx
import pytest

import bot.http
from admin_api.api.routes import webhooks
from config.log_throttle import DEFAULT_PER_MINUTE, ThrottledLog
from tests.reliability.secured import SECRETS, LogLines, auth
from tests.reliability.world import SIGNING_SECRET

DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 50_000 + b"1" + b"}" * 50_000
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_BODY_CHARS = 400
MAX_LOG_BYTES_PER_REQUEST = 600

# (name, body, content type, extra headers): what an unauthenticated client can send to the Slack endpoints
SLACK_JUNK: list[tuple[str, bytes, str, dict[str, str]]] = [
    ("truncated json", b'{"x":', JSON, {}),
    ("non-utf8 json", b'{"x": "\xff\xfe"}', JSON, {}),
    ("non-utf8 form", b"payload=\xff\xfe\xfd", FORM, {}),
    ("payload not json", b"payload={not json", FORM, {}),
    ("payload a string", b'payload="x"', FORM, {}),
    ("payload a list", b"payload=[1,2]", FORM, {}),
    ("deep json", DEEP_JSON, JSON, {}),
    ("deep object", DEEP_OBJECT, JSON, {}),
    ("deep payload", b"payload=" + DEEP_JSON, FORM, {}),
    ("timestamp not a number", b"command=%2Fqualify&text=x", FORM, {"X-Slack-Request-Timestamp": "abc"}),
    ("timestamp huge", b"command=%2Fqualify&text=x", FORM, {"X-Slack-Request-Timestamp": "9" * 40}),
    ("signature garbage", b"command=%2Fqualify", FORM, {"X-Slack-Request-Timestamp": "1", "X-Slack-Signature": "\x01"}),
    ("empty body", b"", FORM, {}),
    ("json null", b"null", JSON, {}),
    ("json list", b"[]", JSON, {}),
    ("url verification", b'{"type":"url_verification","challenge":"x"}', JSON, {}),
    ("no content type", b"\x00\x01\x02", "", {}),
    ("unsigned command", b"command=%2Fqualify&text=acme.com", FORM, {}),
]
# bodies that are junk even when Slack's signature over them is genuine
SIGNED_JUNK = [name for name, *_ in SLACK_JUNK[:9]] + ["json null", "json list", "no content type"]
# every other POST route and what authenticates it
POST_ROUTES: list[tuple[str, dict[str, str]]] = [
    ("/score", auth()),
    ("/score/batch", auth()),
    ("/feedback", auth()),
    ("/webhooks/fellow", {}),
    ("/webhooks/salesforce/lead", {"X-Fellow-Webhook-Secret": SECRETS["salesforce_webhook_secret"]}),
    ("/webhooks/salesforce/lead", {}),
]
ROUTE_JUNK = [b'{"x":', b'{"x": "\xff\xfe"}', DEEP_JSON, DEEP_OBJECT, b"null", b"\x00"]


def _post(url: str, body: bytes, content_type: str, headers: dict[str, str]) -> httpx.Response:
    sent = {"Content-Type": content_type, **headers} if content_type else headers
    return httpx.post(url, content=body, headers=sent, timeout=30)


def _problem(response: httpx.Response) -> str | None:
    """Why an answer to junk is wrong (not a 4xx, empty, long or a traceback), or None when it is right."""
    if not 400 <= response.status_code < 500:
        return f"status {response.status_code}"
    if not response.text or len(response.text) > MAX_BODY_CHARS or "Traceback" in response.text:
        return f"body {response.text[:80]!r}"
    return None


@pytest.fixture(autouse=True)
def fresh_log_budgets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with a full budget of refusal lines (the budget is per process and per minute)."""
    monkeypatch.setattr(bot.http, "refusals", ThrottledLog("bot.http"))
    monkeypatch.setattr(webhooks, "refusals", ThrottledLog("admin_api.api.routes.webhooks"))


def _assert_logged_little(lines: list[str], requests: int, event: str) -> None:
    """At most one short line per request and at most the per-minute budget of refusals, no traceback, and the
    refusals are there (the capture works)."""
    refusals = [line for line in lines if event in line]
    assert 0 < len(refusals) <= DEFAULT_PER_MINUTE
    assert not any('"exception"' in line or "Traceback" in line for line in lines)
    assert sum(len(line) for line in lines) <= MAX_LOG_BYTES_PER_REQUEST * requests
    assert len(lines) <= requests


def _assert_refused(response: httpx.Response, what: object) -> None:
    assert _problem(response) is None, (what, _problem(response))


def test_unsigned_junk_on_the_slack_endpoints_is_4xx_and_logs_little(sec_server: str, sec_logs: LogLines) -> None:
    sec_logs.take()
    problems, sent = {}, 0
    for path in ("/slack/events", "/slack/commands", "/slack/interactions"):
        for name, body, content_type, headers in SLACK_JUNK:
            problem = _problem(_post(f"{sec_server}{path}", body, content_type, headers))
            sent += 1
            if problem:
                problems[(path, name)] = problem
    time.sleep(0.2)
    assert problems == {}, f"{len(problems)} of {sent} junk requests answered wrongly"
    _assert_logged_little(sec_logs.take(), sent, "slack.request_refused")


@pytest.mark.parametrize("name", SIGNED_JUNK)
def test_signed_junk_on_the_slack_endpoint_is_4xx(sec_server: str, name: str) -> None:
    _, body, content_type, _ = next(item for item in SLACK_JUNK if item[0] == name)
    stamp = str(int(time.time()))
    signature = hmac.new(SIGNING_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={signature}"}
    if content_type:
        headers["Content-Type"] = content_type
    response = httpx.post(f"{sec_server}/slack/events", content=body, headers=headers, timeout=30)
    _assert_refused(response, name)


def test_junk_on_every_other_post_route_is_4xx(sec_server: str, sec_logs: LogLines) -> None:
    sec_logs.take()
    problems, seen = {}, 0
    for path, headers in POST_ROUTES:
        for body in ROUTE_JUNK:
            problem = _problem(_post(f"{sec_server}{path}", body, JSON, headers))
            seen += 1
            if problem:
                problems[(path, bool(headers), body[:12])] = problem
    assert problems == {}, f"{len(problems)} of {seen} junk requests answered wrongly"
    _assert_logged_little(sec_logs.take(), seen, "webhook.refused")
