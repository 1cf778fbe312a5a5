"""Authenticated input that used to be a 500 or to reach pages and cards unfiltered: ids beyond the database's
range, NUL and bidi controls in text, a stored `javascript:` call link."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine

from store.db import session_scope
from store.tables import Call, Feedback, Lead
from store.types import utcnow
from tests.fakes.slack import FakeSlack, slack_signed_headers
from tests.fakes.slack.payloads import block_actions_payload, interaction_body
from tests.reliability.processes import wait_until
from tests.reliability.secured import auth
from tests.reliability.world import SIGNING_SECRET

RLO = "\u202e"
XSS_URL = "javascript:fetch('/dashboard/models')"


def test_ids_beyond_the_databases_range_are_4xx(sec_server: str, fake_slack: FakeSlack) -> None:
    for lead_id in ("9223372036854775808", "2147483648", "0", "-1"):
        answer = httpx.get(f"{sec_server}/dashboard/leads/{lead_id}", headers=auth())
        assert answer.status_code in (404, 422), (lead_id, answer.status_code)
    url = fake_slack.response_url()
    click = interaction_body(block_actions_payload("fellow_feedback_up", "9223372036854775808", url))
    signed = httpx.post(
        f"{sec_server}/slack/events", content=click, headers=slack_signed_headers(SIGNING_SECRET, click)
    )
    assert signed.status_code == 200
    wait_until(lambda: fake_slack.responses(url), what="a reply to the user", timeout=30)


def test_nul_and_bidi_controls_are_stripped_from_stored_text(sec_server: str, engine: Engine) -> None:
    scored = httpx.post(
        f"{sec_server}/score", json={"company_name": f"Evil{RLO}Corp\x00", "domain": "evil.example"}, headers=auth()
    )
    assert scored.status_code == 200, scored.text
    body = {"score_id": scored.json()["score_id"], "user_id": "u\x00x", "verdict": "down", "comment": f"a\x00b{RLO}c"}
    given = httpx.post(f"{sec_server}/feedback", json=body, headers=auth())
    assert given.status_code == 200, given.text
    with session_scope(engine) as session:
        row = session.execute(select(Feedback)).scalars().one()
        assert (row.user_id, row.comment) == ("ux", "abc")


def test_a_stored_javascript_call_link_is_never_rendered(sec_server: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        lead = Lead(first_name=f"Mal{RLO}lory", created_at=utcnow(), modified_at=utcnow(), updated_at=utcnow())
        session.add(lead)
        session.flush()
        now = utcnow()
        session.add(
            Call(fellow_id="x1", lead_id=lead.id, title="Intro", call_url=XSS_URL, ingested_at=now, updated_at=now)
        )
        session.add(Call(fellow_id="x2", lead_id=lead.id, title=f"Re{RLO}view", call_url="https://ok.fellow.app/r/2",
                         ingested_at=now, updated_at=now))  # fmt: skip
        lead_id = lead.id
    page = httpx.get(f"{sec_server}/dashboard/leads/{lead_id}", headers=auth())
    assert page.status_code == 200
    assert "javascript:" not in page.text and "https://ok.fellow.app/r/2" in page.text
    assert RLO not in page.text
