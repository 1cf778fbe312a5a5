"""Webhook endpoints over real HTTP: the Salesforce Flow push and Fellow note events reach the sync code."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from sqlmodel import Session

from admin_api.api.services import build_services
from admin_api.app import create_app
from nlp import SignalExtractor
from store.repositories import leads, scores
from tests.fakes.core.live_server import live_server
from tests.fakes.fellow import FakeFellow
from tests.fakes.fellow.webhooks import new_webhook_secret, svix_headers
from tests.fakes.salesforce import FakeSalesforce
from tests.integration.admin_api.conftest import api_settings

FLOW_SECRET = "flow-secret-5d1c"


@pytest.fixture
def fellow_secret() -> str:
    return new_webhook_secret()


@pytest.fixture
def server(
    database_url: str,
    tmp_path: Path,
    engine: Engine,
    extractor: SignalExtractor,
    fake_salesforce: FakeSalesforce,
    fake_fellow: FakeFellow,
    fellow_secret: str,
) -> Iterator[str]:
    settings = api_settings(
        database_url,
        tmp_path,
        environment="test",
        salesforce_instance_url=fake_salesforce.url,
        salesforce_access_token=SecretStr(fake_salesforce.session_id),
        salesforce_ca_bundle=Path(fake_salesforce.ca_file),
        salesforce_webhook_secret=SecretStr(FLOW_SECRET),
        fellow_api_url=fake_fellow.api_url,
        fellow_api_key=SecretStr(fake_fellow.api_key),
        fellow_webhook_secret=SecretStr(fellow_secret),
        sync={"max_retries": 1, "http_timeout_seconds": 5.0, "salesforce_api_reserve": 0},
    )
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda *_: None)
    with live_server(create_app(settings, services=services, model_refresh_seconds=60)) as url:
        yield url


def test_salesforce_flow_push_scores_the_lead(server: str, fake_salesforce: FakeSalesforce, engine: Engine) -> None:
    [sf_id] = fake_salesforce.seed_leads(1, Industry="Telecommunications")
    url = f"{server}/webhooks/salesforce/lead"
    answer = httpx.post(url, json={"lead_id": sf_id}, headers={"X-Fellow-Webhook-Secret": FLOW_SECRET}, timeout=30)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["salesforce_id"] == sf_id and body["score_id"] is not None
    with Session(engine) as session:
        lead = leads.get_lead_by_salesforce_id(sf_id, session=session)
        assert lead is not None
        assert scores.latest_score(lead.id, session=session).trigger == "salesforce.inbound"


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"X-Fellow-Webhook-Secret": "wrong"}, {"lead_id": "00Q5g0000000001"}, 401),
        ({}, {"lead_id": "00Q5g0000000001"}, 401),
        ({"X-Fellow-Webhook-Secret": FLOW_SECRET}, {"lead_id": "'; DROP TABLE lead; --"}, 400),
        ({"X-Fellow-Webhook-Secret": FLOW_SECRET}, {"lead_id": "00Q5g0000000001AAA"}, 404),
    ],
)
def test_salesforce_flow_push_refuses_bad_requests(server: str, headers: dict, body: dict, status: int) -> None:
    answer = httpx.post(f"{server}/webhooks/salesforce/lead", json=body, headers=headers, timeout=30)
    assert answer.status_code == status
    assert set(answer.json()["error"]) == {"code", "message", "details"}
    assert FLOW_SECRET not in answer.text


def test_fellow_url_verification_echoes_the_challenge(server: str) -> None:
    answer = httpx.post(f"{server}/webhooks/fellow", json={"type": "url_verification", "challenge": "abc123"})
    assert answer.status_code == 200 and answer.text == "abc123"


def test_signed_fellow_event_triggers_ingestion(server: str, fake_fellow: FakeFellow, fellow_secret: str) -> None:
    fake_fellow.add_call("Acme <> Telnyx | Intro", attendees=["jo@acme.com"], content_markdown="Needs voice AI")
    body = json.dumps({"type": "ai_note.generated", "data": {"note_id": "n1"}})
    answer = httpx.post(f"{server}/webhooks/fellow", content=body, headers=svix_headers(fellow_secret, body))
    assert answer.status_code == 200 and answer.json()["ingest"] is True
    deadline = time.monotonic() + 60
    while not fake_fellow.calls("notes") and not fake_fellow.calls("recordings") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert fake_fellow.calls("notes") or fake_fellow.calls("recordings")


def test_forged_fellow_event_is_refused(server: str, fake_fellow: FakeFellow) -> None:
    body = json.dumps({"type": "ai_note.generated"})
    answer = httpx.post(f"{server}/webhooks/fellow", content=body, headers=svix_headers(new_webhook_secret(), body))
    assert answer.status_code == 401
    assert not fake_fellow.calls("notes") and not fake_fellow.calls("recordings")
