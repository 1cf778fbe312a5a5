"""Security through the whole app (API, dashboard and the mounted Slack endpoints, real HTTP): replayed and forged
Slack requests, key guessing, secrets in responses and logs, CSRF on dashboard forms, SQL injection strings."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from admin_api.dashboard.routes import router as dashboard_router
from store.db import session_scope
from store.repositories import feedback, model_versions
from store.tables import Company, Feedback, Score
from tests.fakes.slack import FakeSlack, slack_signed_headers
from tests.fakes.slack.payloads import block_actions_payload, interaction_body, slash_command_body
from tests.reliability.processes import wait_until
from tests.reliability.secured import API_KEY, SECRETS, auth
from tests.reliability.world import SIGNING_SECRET, table_count

INJECTIONS = (
    "'; DROP TABLE score; --",
    "Robert'); DELETE FROM lead WHERE ('1'='1",
    '" OR ""="',
    "1 UNION SELECT api_key FROM settings --",
    "acme.com' OR 1=1 --",
    "\\'; TRUNCATE outbox_event CASCADE; --",
)
REPLAY_WINDOW_SECONDS = 300


@pytest.fixture
def server(sec_server: str) -> str:
    """The fully configured app on a real socket."""
    return sec_server


def _slack(server: str, body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> httpx.Response:
    headers = slack_signed_headers(secret, body, timestamp=timestamp)
    return httpx.post(f"{server}/slack/events", content=body.encode(), headers=headers, timeout=15)


def _score(server: str, **fields: Any) -> httpx.Response:
    return httpx.post(f"{server}/score", json=fields, headers=auth(), timeout=60)


def test_slack_replays_after_the_window_and_forgeries_are_401_and_change_nothing(
    server: str, engine: Engine, fake_slack: FakeSlack
) -> None:
    score_id = _score(server, company_name="Replay Telecom", domain="replay.example").json()["score_id"]
    url = fake_slack.response_url()
    click = interaction_body(block_actions_payload("fellow_feedback_up", str(score_id), url))
    captured_at = int(time.time()) - REPLAY_WINDOW_SECONDS - 1  # a request an attacker recorded 5 minutes ago
    headers = slack_signed_headers(SIGNING_SECRET, click, timestamp=captured_at)
    for _ in range(2):
        replay = httpx.post(f"{server}/slack/events", content=click.encode(), headers=headers, timeout=15)
        assert replay.status_code == 401
    assert _slack(server, click, secret="guessed-signing-secret").status_code == 401
    forged_command = slash_command_body("replay.example", fake_slack.response_url())
    assert _slack(server, forged_command, secret="x").status_code == 401
    with session_scope(engine) as session:
        assert feedback.list_feedback(session=session) == []
    assert fake_slack.responses(url) == []

    fresh = int(time.time())
    for _ in range(2):  # Slack's own retry of a genuine click inside the window: one verdict, not two
        assert _slack(server, click, timestamp=fresh).status_code == 200
    wait_until(lambda: table_count(engine, Feedback) == 1, what="the genuine click recorded", timeout=30)
    assert table_count(engine, Feedback) == 1


def test_key_guessing_is_braked_on_the_api_and_the_dashboard_login(server: str) -> None:
    statuses = [httpx.post(f"{server}/score", json={"domain": "a.com"}, headers=auth(f"guess-{n}")).status_code
                for n in range(40)]  # fmt: skip
    assert statuses[0] == 401 and 429 in statuses
    braked = httpx.post(f"{server}/score", json={"domain": "a.com"}, headers=auth("guess-again"))
    assert braked.status_code == 429 and int(braked.headers["Retry-After"]) > 0
    logins = [httpx.post(f"{server}/dashboard/login", data={"key": f"guess-{n}"}).status_code for n in range(40)]
    assert 429 in logins


def test_configured_secrets_never_appear_in_responses_or_logs(
    server: str, fake_slack: FakeSlack, capfd: pytest.CaptureFixture[str], engine: Engine
) -> None:
    seen: list[str] = []
    seen.append(_score(server, company_name="Acme", domain="acme.com", call_notes="voice AI agent, budget ok").text)
    seen.append(_score(server, company_name=SECRETS["fellow_api_key"][:5], employees="lots").text)  # a 422
    seen.append(httpx.post(f"{server}/score", json={"domain": "a.com"}, headers=auth(API_KEY + "x")).text)
    seen.append(httpx.post(f"{server}/score", content=b"{not json", headers=auth()).text)
    for path in ("/health", "/ready", "/metrics", "/models/info", "/openapi.json", "/docs", "/dashboard/login"):
        seen.append(httpx.get(f"{server}{path}", headers=auth(), timeout=30).text)
    login = httpx.post(f"{server}/dashboard/login", data={"key": API_KEY})
    cookies = login.cookies
    for path in ("/dashboard", "/dashboard/models", "/dashboard/config"):
        seen.append(httpx.get(f"{server}{path}", cookies=cookies, timeout=30).text)
    seen.append(_slack(server, slash_command_body("acme.com", fake_slack.response_url())).text)
    seen.append(_slack(server, slash_command_body("acme.com", fake_slack.response_url()), secret="x").text)
    seen.append(
        httpx.post(
            f"{server}/webhooks/salesforce/lead", json={"lead_id": "00Q"}, headers={"X-Fellow-Secret": "no"}
        ).text
    )
    seen.append(httpx.post(f"{server}/webhooks/fellow", content=b"{}", headers={"webhook-id": "m"}).text)
    wait_until(lambda: bool(fake_slack.calls("response_url")), what="the /qualify reply", timeout=60)
    captured = capfd.readouterr()
    haystack = "\n".join([*seen, captured.out, captured.err])
    assert "salesforce" in haystack.lower(), "the scan must have seen real output"
    leaked = [name for name, value in SECRETS.items() if value in haystack]
    assert leaked == [], f"secret values found in responses/logs: {leaked}"


def test_dashboard_forms_refuse_posts_without_the_sessions_csrf_token(server: str, engine: Engine) -> None:
    forms = sorted(
        route.path
        for route in dashboard_router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods and route.path != "/dashboard/login"
    )
    assert {"/dashboard/logout", "/dashboard/models/rollback", "/dashboard/learn/retrain"} <= set(forms)
    cookies = httpx.post(f"{server}/dashboard/login", data={"key": API_KEY}).cookies
    page = httpx.get(f"{server}/dashboard/models", cookies=cookies).text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token, "the dashboard's forms carry a CSRF token"
    with session_scope(engine) as session:
        champion_before = model_versions.get_champion(session=session)
    for path in forms:
        for csrf in ({}, {"csrf": ""}, {"csrf": token.group(1)[:-2] + "xx"}, {"csrf": "forged"}):
            data = {"version": "v1", **csrf}  # a complete form, so only the token decides
            response = httpx.post(f"{server}{path}", data=data, cookies=cookies, follow_redirects=False)
            assert response.status_code == 403, (path, csrf, response.status_code)
        anonymous = httpx.post(
            f"{server}{path}", data={"csrf": token.group(1), "version": "v1"}, follow_redirects=False
        )
        assert anonymous.status_code in (303, 401, 403), (path, anonymous.status_code)
    with session_scope(engine) as session:
        assert model_versions.get_champion(session=session) == champion_before
    assert httpx.get(f"{server}/dashboard", cookies=cookies, follow_redirects=False).status_code == 200


def test_sql_injection_strings_are_data_everywhere(server: str, engine: Engine, fake_slack: FakeSlack) -> None:
    tables = set(inspect(engine).get_table_names())
    for n, attack in enumerate(INJECTIONS):
        fields = {"company_name": attack, "industry": attack[:100], "description": attack, "call_notes": attack}
        scored = _score(server, domain=f"inj{n}.example", **fields)
        assert scored.status_code == 200, scored.text
        as_lead_id = _score(server, domain=f"inj{n}.example", salesforce_lead_id=attack)
        assert as_lead_id.status_code in (200, 422), as_lead_id.text
        as_domain = _score(server, domain=attack)
        assert as_domain.status_code in (200, 422), as_domain.text
        given = httpx.post(
            f"{server}/feedback",
            json={"score_id": scored.json()["score_id"], "user_id": attack[:64], "verdict": "down",
                  "reason": "other", "comment": attack},
            headers=auth(),
        )  # fmt: skip
        assert given.status_code == 200, given.text
        command = _slack(server, slash_command_body(attack, fake_slack.response_url(), user_name=attack))
        assert command.status_code == 200
        click = interaction_body(block_actions_payload("fellow_feedback_up", attack, fake_slack.response_url()))
        assert _slack(server, click).status_code == 200
    assert set(inspect(engine).get_table_names()) == tables
    with session_scope(engine) as session:
        names = set(session.execute(select(Company.name)).scalars())
        comments = {row.comment for row in session.execute(select(Feedback)).scalars()}
        assert session.execute(select(Score)).first() is not None
    assert set(INJECTIONS) <= names | comments, "attack strings are stored verbatim as data"
    assert {row for row in comments if row} == set(INJECTIONS)
