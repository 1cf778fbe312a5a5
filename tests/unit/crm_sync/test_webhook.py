"""Fellow webhook verification: Svix-style signatures, replay window, URL verification, hints."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from crm_sync.fellow.webhook import WebhookError, handle_webhook
from tests.fakes.fellow import new_webhook_secret, svix_headers

NOW = 1_700_000_000.0
BODY = json.dumps({"type": "ai_note.generated", "data": {"note_id": "Fabc"}}).encode()


def test_valid_signature_asks_for_ingestion() -> None:
    secret = new_webhook_secret()
    headers = svix_headers(secret, BODY, timestamp=int(NOW))
    result = handle_webhook(BODY, headers, secret=SecretStr(secret), now=lambda: NOW)
    assert result.status == 200 and result.ingest and result.note_id == "Fabc"


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (lambda h: {**h, "svix-signature": "v1,AAAA"}, "does not match"),
        (lambda h: {k: v for k, v in h.items() if k != "svix-id"}, "missing"),
        (lambda h: {**h, "svix-timestamp": str(int(NOW) - 3600)}, "window"),
    ],
)
def test_bad_signatures_are_refused(tamper, message: str) -> None:  # type: ignore[no-untyped-def]
    secret = new_webhook_secret()
    headers = tamper(svix_headers(secret, BODY, timestamp=int(NOW)))
    with pytest.raises(WebhookError, match=message) as caught:
        handle_webhook(BODY, headers, secret=SecretStr(secret), now=lambda: NOW)
    assert caught.value.status == 401


def test_signature_over_other_body_is_refused() -> None:
    secret = new_webhook_secret()
    headers = svix_headers(secret, b"{}", timestamp=int(NOW))
    with pytest.raises(WebhookError, match="does not match"):
        handle_webhook(BODY, headers, secret=SecretStr(secret), now=lambda: NOW)


def test_url_verification_echoes_the_challenge_as_text() -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123"}).encode()
    result = handle_webhook(body, {}, secret=SecretStr(new_webhook_secret()))
    assert (result.status, result.body, result.content_type, result.ingest) == (200, "abc123", "text/plain", False)


def test_without_a_secret_events_are_hints_only() -> None:
    result = handle_webhook(BODY, {}, secret=None)
    assert result.ingest


def test_other_events_do_not_ingest_and_garbage_is_a_400() -> None:
    assert not handle_webhook(b'{"type": "action_item.completed"}', {}, secret=None).ingest
    with pytest.raises(WebhookError) as caught:
        handle_webhook(b"\xff\xfe not json", {}, secret=None)
    assert caught.value.status == 400
