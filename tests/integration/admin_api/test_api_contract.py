"""The HTTP contract over a real socket: scoring, batch limits, feedback, errors, auth and the key-guessing brake."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.integration.admin_api.conftest import HEADERS, OTHER_KEY

GOOD = {"company_name": "Acme Health", "domain": "AcmeHealth.com", "industry": "healthcare", "employees": 450}


def test_score_returns_the_contract_and_a_stored_id(server: str) -> None:
    response = httpx.post(f"{server}/score", json=GOOD, headers=HEADERS, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert 0 <= body["qualification_score"] <= 100
    assert body["recommendation"] in {"AE_HANDOFF", "NURTURE_TRACK", "SELF_SERVICE"}
    assert body["priority"] in {"HIGH_VOICE_AI", "HIGH", "MEDIUM", "LOW"}
    assert body["reasoning"] and isinstance(body["factors"], list)
    assert body["score_id"] >= 1 and body["cached"] is False
    again = httpx.post(f"{server}/score", json=GOOD, headers=HEADERS, timeout=30).json()
    assert again["cached"] is True and again["score_id"] == body["score_id"]


ORIGINAL_EXAMPLE = {
    "company_name": "Acme Corp",
    "domain": "acme.com",
    "industry": "SaaS",
    "employees": "50-100",
    "description": "Customer support platform for mid-market retailers",
    "call_notes": "They asked for pricing on SIP trunking and an AI voice agent; budget approved for Q3.",
    "urgency_level": 4,
}


def test_the_original_contracts_example_is_scored_verbatim_alone_and_in_a_batch(server: str) -> None:
    body = httpx.post(f"{server}/score", json=ORIGINAL_EXAMPLE, headers=HEADERS, timeout=30).json()
    assert 0 <= body["qualification_score"] <= 100, body
    assert "Employees '50-100' read as 75." in body["warnings"]
    batch = httpx.post(f"{server}/score/batch", json={"items": [ORIGINAL_EXAMPLE]}, headers=HEADERS, timeout=30)
    assert batch.status_code == 200 and batch.json()["scored"] == 1, batch.text


def test_call_notes_are_read(server: str) -> None:
    notes = {**GOOD, "call_notes": "They asked for pricing and booked a follow-up demo next week with the CTO."}
    body = httpx.post(f"{server}/score", json=notes, headers=HEADERS, timeout=30).json()
    assert body["evidence"], body


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"domain": "a.com", "employees": "many"}, "employees"),
        ({"domain": "a.com", "urgency_level": 9}, "urgency_level"),
        ({"industry": "retail"}, "company_name"),
        ({"domain": "a.com", "unexpected": 1}, "unexpected"),
        ({"domain": "a.com", "employees": True}, "employees"),
    ],
)
def test_invalid_bodies_get_422_with_the_field(server: str, payload: dict, field: str) -> None:
    response = httpx.post(f"{server}/score", json=payload, headers=HEADERS, timeout=30)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["message"] or any(field in ".".join(d["loc"]) for d in error["details"])


def test_malformed_json_is_a_400(server: str) -> None:
    response = httpx.post(
        f"{server}/score", content=b'{"domain": "a.com",', headers={**HEADERS, "content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


def test_ten_megabyte_body_is_refused_with_413(server: str) -> None:
    body = json.dumps({"domain": "a.com", "call_notes": "x" * 10_000_000}).encode()
    response = httpx.post(
        f"{server}/score", content=body, headers={**HEADERS, "content-type": "application/json"}, timeout=60
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_streamed_oversized_body_without_length_is_refused(server: str) -> None:
    def chunks():
        for _ in range(40):
            yield b"x" * 100_000

    response = httpx.post(
        f"{server}/score", content=chunks(), headers={**HEADERS, "content-type": "application/json"}, timeout=60
    )
    assert response.status_code == 413


def test_batch_scores_valid_items_and_reports_bad_ones(server: str) -> None:
    items = [GOOD, {"employees": -5, "domain": "b.com"}, {"company_name": "Tiny Shop", "employees": 3}]
    response = httpx.post(f"{server}/score/batch", json={"items": items}, headers=HEADERS, timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert (body["scored"], body["failed"]) == (2, 1)
    assert [item["ok"] for item in body["items"]] == [True, False, True]
    assert body["items"][1]["error"]["code"] == "invalid_item"
    assert "employees" in body["items"][1]["error"]["message"]


def test_batch_over_the_limit_is_refused(server: str) -> None:
    items = [{"domain": f"d{i}.com"} for i in range(101)]
    response = httpx.post(f"{server}/score/batch", json={"items": items}, headers=HEADERS, timeout=30)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "batch_too_large" and error["details"] == {"max_items": 100, "items": 101}


def test_batch_of_exactly_the_limit_is_scored(server: str) -> None:
    items = [{"domain": f"d{i}.com", "employees": i} for i in range(100)]
    body = httpx.post(f"{server}/score/batch", json={"items": items}, headers=HEADERS, timeout=60).json()
    assert body["scored"] == 100


def test_feedback_records_once_per_user_and_rejects_unknown_scores(server: str) -> None:
    score_id = httpx.post(f"{server}/score", json=GOOD, headers=HEADERS, timeout=30).json()["score_id"]
    vote = {"score_id": score_id, "user_id": "ae@example.com", "verdict": "down", "reason": "wrong_fit"}
    first = httpx.post(f"{server}/feedback", json=vote, headers=HEADERS).json()
    second = httpx.post(f"{server}/feedback", json={**vote, "verdict": "up"}, headers=HEADERS).json()
    assert first["created"] is True and second["created"] is False
    assert second["feedback_id"] == first["feedback_id"] and second["verdict"] == "up" and second["reason"] is None
    missing = httpx.post(f"{server}/feedback", json={**vote, "score_id": 999_999}, headers=HEADERS)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_score"
    bad = httpx.post(f"{server}/feedback", json={**vote, "reason": "because"}, headers=HEADERS)
    assert bad.status_code == 422


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic abc"}])
def test_missing_or_wrong_keys_are_401(server: str, headers: dict) -> None:
    for method, path in (("POST", "/score"), ("GET", "/models/info"), ("POST", "/models/reload/v1")):
        response = httpx.request(method, f"{server}{path}", json=GOOD, headers=headers)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "unauthorized"
        assert response.headers["www-authenticate"] == "Bearer"


def test_every_configured_key_works(server: str) -> None:
    response = httpx.get(f"{server}/models/info", headers={"Authorization": f"Bearer {OTHER_KEY}"})
    assert response.status_code == 200


def test_key_guessing_is_braked(server: str) -> None:
    statuses = [
        httpx.get(f"{server}/models/info", headers={"Authorization": f"Bearer guess-{i}"}).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [401] * 10 and statuses[10:] == [429, 429]
    blocked = httpx.get(f"{server}/models/info", headers={"Authorization": "Bearer guess-again"})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1
    # the brake is keyed by address and key prefix: a colleague behind the same address keeps working
    assert httpx.get(f"{server}/models/info", headers=HEADERS).status_code == 200


@pytest.mark.parametrize("version", ["..", ".hidden", "v1..v2", "a" * 101, "v 1", "v%00"])
def test_bad_version_names_are_refused(server: str, version: str) -> None:
    response = httpx.post(f"{server}/models/reload/{version}", headers=HEADERS)
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert response.json()["error"]["code"] == "invalid_version"


def test_path_traversal_never_reaches_the_registry(server: str) -> None:
    for raw in ("..%2F..%2Fetc%2Fpasswd", "%2E%2E", "..%5Cwindows"):
        response = httpx.post(f"{server}/models/reload/{raw}", headers=HEADERS)
        assert response.status_code in (404, 422), raw
        assert "error" in response.json()


def test_unknown_version_is_404(server: str) -> None:
    response = httpx.post(f"{server}/models/reload/v20990101-000000", headers=HEADERS)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_version"


def test_models_info_shows_the_prior_before_training(server: str) -> None:
    body = httpx.get(f"{server}/models/info", headers=HEADERS).json()
    assert body["serving"]["scorer"] == "prior" and body["champion"] is None and body["versions"] == []


def test_retrain_starts_in_the_background(server: str, retrain_calls: list[str]) -> None:
    response = httpx.post(f"{server}/learn/retrain", json={"reason": "test"}, headers=HEADERS)
    assert response.status_code == 202 and response.json()["status"] == "started"


def test_health_and_metrics_are_public_by_default(server: str) -> None:
    ready = httpx.get(f"{server}/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["database"]["ok"] is True
    health = httpx.get(f"{server}/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert health.headers["x-content-type-options"] == "nosniff" and health.headers["cache-control"] == "no-store"
    assert httpx.head(f"{server}/health").status_code == 200
    httpx.post(f"{server}/score", json=GOOD, headers=HEADERS, timeout=30)
    metrics = httpx.get(f"{server}/metrics").text
    assert 'fellow_http_request_duration_seconds_count{method="POST",route="/score",status="200"}' in metrics
    assert "fellow_scores_total{recommendation=" in metrics
    assert "fellow_model_info{" in metrics


def test_openapi_documents_examples(server: str) -> None:
    spec = httpx.get(f"{server}/openapi.json").json()
    body = spec["paths"]["/score"]["post"]["requestBody"]["content"]["application/json"]
    assert "with_call_notes" in body["examples"]
    assert httpx.get(f"{server}/docs").status_code == 200
