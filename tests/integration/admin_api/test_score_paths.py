"""POST /score and /score/batch agree: the same input gets the same result either way, each stored score links
to its company and lead, and the cache answers repeats with the stored id."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services
from admin_api.app import create_app
from nlp import SignalExtractor
from store.db import session_scope
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.scores import get_score
from tests.integration.admin_api.conftest import HEADERS, api_settings

NOTES = "Their VP of Operations asked for pricing on a Voice AI agent for 20k calls a month; demo booked Tuesday."
ITEMS = [
    {"domain": "acmehealth.com", "industry": "healthcare", "employees": 450, "call_notes": NOTES, "urgency_level": 4},
    {"company_name": "Tiny Shop", "employees": 3},
    {"domain": "gmail.com"},
    {"salesforce_lead_id": "00Q000000000001AAA", "company_name": "Linked Co", "industry": "Underwater weaving"},
]
VOLATILE = {"score_id", "scored_at", "cached"}


def _client(database_url: str, engine: Engine, tmp_path: Path, extractor: SignalExtractor, ttl: int) -> TestClient:
    settings = api_settings(database_url, tmp_path, api={"cache_ttl_seconds": ttl})
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda _s, _e, _x: None)
    return TestClient(create_app(settings, services=services), headers=HEADERS)


@pytest.fixture
def uncached(database_url: str, engine: Engine, tmp_path: Path, extractor: SignalExtractor) -> TestClient:
    """The app with the score cache off, so every request is scored and stored."""
    return _client(database_url, engine, tmp_path, extractor, ttl=0)


def _stable(result: dict) -> dict:
    return {key: value for key, value in result.items() if key not in VOLATILE}


def test_batch_and_single_give_the_same_result_for_the_same_input(uncached: TestClient) -> None:
    batch = uncached.post("/score/batch", json={"items": ITEMS}).json()
    assert batch["scored"] == len(ITEMS)
    singles = [uncached.post("/score", json=item).json() for item in ITEMS]
    assert [_stable(item["result"]) for item in batch["items"]] == [_stable(single) for single in singles]
    assert len({r["recommendation"] for r in singles}) > 1
    ids = [item["result"]["score_id"] for item in batch["items"]] + [single["score_id"] for single in singles]
    assert len(set(ids)) == len(ids)


def test_batch_scores_are_stored_in_order_and_linked(uncached: TestClient, engine: Engine) -> None:
    with session_scope(engine) as session:
        company, _ = upsert_company("acmehealth.com", session=session, name="Acme Health")
        other, _ = upsert_company("linked.example", session=session, name="Linked Co")
        lead, _, _ = upsert_lead(session=session, salesforce_id="00Q000000000001AAA", company_id=other.id)
    body = uncached.post("/score/batch", json={"items": [*ITEMS, {"domain": "d.com", "employees": -1}]}).json()
    assert [item["ok"] for item in body["items"]] == [True, True, True, True, False]
    with session_scope(engine) as session:
        rows = [get_score(item["result"]["score_id"], session=session) for item in body["items"][:4]]
        assert all(row is not None and row.trigger == "api" for row in rows)
        assert [row.company_id for row in rows] == [company.id, None, None, other.id]
        assert [row.lead_id for row in rows] == [None, None, None, lead.id]
        for row, item in zip(rows, body["items"], strict=False):
            assert row.qualification_score == item["result"]["qualification_score"]
            assert row.reasoning == item["result"]["reasoning"] and row.reasoning
    verdict = {"score_id": body["items"][3]["result"]["score_id"], "user_id": "ae@x.com", "verdict": "up"}
    assert uncached.post("/feedback", json=verdict).json()["lead_id"] == lead.id


def test_cache_answers_repeats_with_the_stored_score(
    database_url: str, engine: Engine, tmp_path: Path, extractor: SignalExtractor
) -> None:
    client = _client(database_url, engine, tmp_path, extractor, ttl=3600)
    first = client.post("/score/batch", json={"items": ITEMS[:2]}).json()["items"]
    single = client.post("/score", json=ITEMS[1]).json()
    again = client.post("/score/batch", json={"items": ITEMS[:3]}).json()["items"]
    assert single["cached"] and single["score_id"] == first[1]["result"]["score_id"]
    assert [item["result"]["cached"] for item in again] == [True, True, False]
    assert [item["result"]["score_id"] for item in again[:2]] == [item["result"]["score_id"] for item in first]
