"""FakeFellow driven by a real httpx client: pagination, filters, includes, auth modes, faults, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.core.clock import ManualClock
from tests.fakes.fellow import FakeFellow, new_webhook_secret, svix_headers, svix_signature

T0 = datetime(2024, 6, 3, 12, 0, tzinfo=UTC)


def http(fake: FakeFellow) -> httpx.Client:
    return httpx.Client(base_url=fake.api_url, headers=fake.auth_headers(), timeout=5)


def list_all(client: httpx.Client, kind: str, page_size: int, **body: Any) -> tuple[list[dict[str, Any]], int]:
    items, cursor, pages = [], None, 0
    while True:
        response = client.post(f"/{kind}", json={**body, "pagination": {"cursor": cursor, "page_size": page_size}})
        response.raise_for_status()
        page = response.json()
        items += page["data"]
        pages += 1
        cursor = page["page_info"]["cursor"]
        if cursor is None:
            return items, pages


def test_me_checks_the_key(fake_fellow: FakeFellow) -> None:
    assert http(fake_fellow).get("/me").json()["workspace"]["subdomain"] == "ourcompany"
    wrong = httpx.get(f"{fake_fellow.api_url}/me", headers={"X-API-KEY": "nope"}, timeout=5)
    assert wrong.status_code == 401


def test_cursor_pagination_visits_every_recording_once(fake_fellow: FakeFellow) -> None:
    seeded = fake_fellow.seed_calls(5, start=T0)
    items, pages = list_all(http(fake_fellow), "recordings", page_size=2)
    assert pages == 3
    assert [i["id"] for i in items] == [recording for _, recording in seeded]
    assert all("transcript" not in i for i in items)
    assert fake_fellow.call_count("recordings") == 3


def test_includes_add_transcripts_markdown_and_attendees(fake_fellow: FakeFellow) -> None:
    fake_fellow.add_call(
        "Intro: Acme <> Us",
        attendees=[("cto@acme.example", "Ana CTO"), "ae@ourcompany.example"],
        transcript=[("Ana CTO", "We handle 10k calls a day.")],
        content_markdown="# Acme\n* 10k calls/day",
    )
    client = http(fake_fellow)
    recording = client.post("/recordings", json={"include": {"transcript": True}}).json()["data"][0]
    note = client.post("/notes", json={"include": {"content_markdown": True, "event_attendees": True}}).json()["data"][
        0
    ]
    assert recording["note_id"] == note["id"]
    assert recording["transcript"]["speech_segments"][0] == {
        "speaker": "Ana CTO",
        "text": "We handle 10k calls a day.",
        "start_time": 0.0,
        "end_time": 4.5,
    }
    assert note["content_markdown"].startswith("# Acme")
    assert [a["email"] for a in note["event_attendees"]] == ["cto@acme.example", "ae@ourcompany.example"]


def test_created_and_updated_filters() -> None:
    clock = ManualClock(T0)
    with FakeFellow(clock=clock) as fake:
        old_note, _ = fake.add_call("old")
        clock.advance(2 * 86400)
        new_note, _ = fake.add_call("new")
        client = http(fake)
        since = {"filters": {"created_at_start": (T0 + timedelta(days=1)).isoformat()}}
        assert [n["id"] for n in client.post("/notes", json=since).json()["data"]] == [new_note]
        clock.advance(2 * 86400)
        fake.edit_note(old_note, content_markdown="edited")
        updated = {"filters": {"updated_at_start": "2024-06-06T12:00:00Z", "created_at_end": "2024-06-04T00:00:00Z"}}
        assert [n["id"] for n in client.post("/notes", json=updated).json()["data"]] == [old_note]


@pytest.mark.parametrize(
    "body",
    [
        {"pagination": {"page_size": 0}},
        {"pagination": {"page_size": 51}},
        {"filters": {"created_after": "2024-01-01T00:00:00Z"}},
        {"filters": {"created_at_start": "yesterday"}},
        {"include": {"transcript": True}},
        {"pagination": {"cursor": "not-a-cursor"}},
    ],
    ids=["page-0", "page-51", "unknown-filter", "bad-date", "wrong-include", "bad-cursor"],
)
def test_bad_list_requests_are_400(fake_fellow: FakeFellow, body: dict[str, Any]) -> None:
    assert http(fake_fellow).post("/notes", json=body).status_code == 400


def test_cursor_is_tied_to_its_filters(fake_fellow: FakeFellow) -> None:
    fake_fellow.seed_calls(3, start=T0)
    client = http(fake_fellow)
    cursor = client.post("/notes", json={"pagination": {"page_size": 1}}).json()["page_info"]["cursor"]
    other = {"filters": {"created_at_start": T0.isoformat()}, "pagination": {"cursor": cursor, "page_size": 1}}
    assert client.post("/notes", json=other).status_code == 400


@pytest.fixture
def nested_fellow() -> Iterator[FakeFellow]:
    with FakeFellow(auth_mode="authorization", envelope="nested", attendees_as_emails=True) as fake:
        yield fake


def test_nested_envelope_and_authorization_header(nested_fellow: FakeFellow) -> None:
    nested_fellow.add_call("Intro", attendees=["cto@acme.example"])
    assert nested_fellow.auth_headers() == {"Authorization": f"ApiKey {nested_fellow.api_key}"}
    body = http(nested_fellow).post("/notes", json={"include": {"event_attendees": True}}).json()
    assert body["notes"]["page_info"]["cursor"] is None
    assert body["notes"]["data"][0]["event_attendees"] == ["cto@acme.example"]
    x_api_key = httpx.post(f"{nested_fellow.api_url}/notes", headers={"X-API-KEY": nested_fellow.api_key}, json={})
    assert x_api_key.status_code == 401


def test_rate_limit_then_success(fake_fellow: FakeFellow) -> None:
    fake_fellow.seed_calls(1, start=T0)
    fake_fellow.rate_limit("recordings", retry_after=3)
    client = http(fake_fellow)
    limited = client.post("/recordings", json={})
    assert (limited.status_code, limited.headers["Retry-After"]) == (429, "3")
    assert len(client.post("/recordings", json={}).json()["data"]) == 1
    assert [c.status for c in fake_fellow.calls("recordings")] == [429, 200]


def test_server_error_and_malformed_pages(fake_fellow: FakeFellow) -> None:
    fake_fellow.server_error("notes")
    fake_fellow.malformed_page("notes", "invalid_json")
    fake_fellow.malformed_page("notes", "missing_page_info")
    client = http(fake_fellow)
    assert client.post("/notes", json={}).status_code == 500
    broken = client.post("/notes", json={})
    with pytest.raises(json.JSONDecodeError):
        broken.json()
    assert "page_info" not in client.post("/notes", json={}).json()
    assert client.post("/notes", json={}).json()["page_info"]["cursor"] is None


def test_slow_page_trips_the_client_timeout(fake_fellow: FakeFellow) -> None:
    fake_fellow.slow("notes", seconds=3)
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{fake_fellow.api_url}/notes", headers=fake_fellow.auth_headers(), json={}, timeout=0.3)
    assert http(fake_fellow).post("/notes", json={}).status_code == 200


def test_svix_signature_matches_the_published_example() -> None:
    secret, msg_id, timestamp = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert svix_signature(secret, msg_id, timestamp, '{"test": 2432232314}') == expected


def test_svix_headers_verify_with_a_fresh_secret() -> None:
    secret, body = new_webhook_secret(), json.dumps({"event": "ai_note.generated", "note_id": "F1"})
    headers = svix_headers(secret, body, timestamp=1_700_000_000)
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['svix-id']}.1700000000.{body}".encode()
    assert (
        headers["svix-signature"] == "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    )
