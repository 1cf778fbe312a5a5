"""The Fellow hook: refused without a secret (unless allowed), signature checked on the raw bytes before parsing,
and a url_verification echoes only a short token."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.fakes.fellow import FakeFellow
from tests.fakes.fellow.webhooks import svix_headers
from tests.reliability.secured import SECRETS

EVENT = json.dumps({"type": "ai_note.generated", "data": {"note_id": "n1"}})


def _serve(settings: Settings, engine: Engine, extractor: SignalExtractor) -> Iterator[str]:
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(settings, services=services, model_refresh_seconds=60)) as url:
        yield url


@pytest.fixture
def unsigned_server(
    sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor, fake_fellow: FakeFellow
) -> Iterator[str]:
    """Fellow on (against the fake) but no webhook secret."""
    settings = sec_settings.model_copy(update={"fellow_webhook_secret": None, "fellow_api_url": fake_fellow.api_url})
    yield from _serve(settings, engine, sec_extractor)


def test_without_a_secret_fellow_events_are_refused_and_trigger_nothing(
    unsigned_server: str, fake_fellow: FakeFellow
) -> None:
    answers = [httpx.post(f"{unsigned_server}/webhooks/fellow", content=EVENT).status_code for _ in range(5)]
    assert answers == [503] * 5
    assert not fake_fellow.calls("notes") and not fake_fellow.calls("recordings")


def test_signed_events_are_verified_before_the_body_is_parsed(sec_server: str) -> None:
    secret = SECRETS["fellow_webhook_secret"]
    forged = svix_headers(secret, b"something else")
    for junk in (b'{"x":', b"\xff\xfe", b'"x"'):  # parsed first, these would be 400s
        assert httpx.post(f"{sec_server}/webhooks/fellow", content=junk, headers=forged).status_code == 401
    big_unsigned = json.dumps({"type": "ai_note.generated", "pad": "x" * 5000})
    assert httpx.post(f"{sec_server}/webhooks/fellow", content=big_unsigned).status_code == 401
    signed = httpx.post(f"{sec_server}/webhooks/fellow", content=EVENT, headers=svix_headers(secret, EVENT))
    assert signed.status_code == 200 and signed.json()["ingest"] is True


@pytest.mark.parametrize("challenge", ["<script>alert(1)</script>", "x" * 300, "", "a b"])
def test_url_verification_echoes_only_a_short_token(sec_server: str, challenge: str) -> None:
    body = {"type": "url_verification", "challenge": challenge}
    answer = httpx.post(f"{sec_server}/webhooks/fellow", json=body)
    assert answer.status_code == 400
    assert not challenge or challenge not in answer.text
    token = httpx.post(f"{sec_server}/webhooks/fellow", json={"type": "url_verification", "challenge": "3eZbrw1a"})
    assert token.status_code == 200 and token.text == "3eZbrw1a"
