"""The lead page's "not right" form over real HTTP: CSRF-checked, validated, stored, shown at once, and counted in
the per-signal precision estimate on the suggestions page; the API's grouped `quotes` beside `evidence`."""

from __future__ import annotations

import re
from collections import Counter

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session

from admin_api.api.services import Services
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.bootstrap import backfill_scores
from config import Settings
from store.db import session_scope
from store.repositories.corrections import list_corrections
from store.repositories.scores import latest_scores
from store.tables import Score
from tests.fakes.core.live_server import live_server
from tests.integration.admin_api.conftest import API_KEY


@pytest.fixture
def scored(app: FastAPI, settings: Settings) -> tuple[FastAPI, int, int, Score]:
    """A small sample with leads scored; a lead whose latest score has evidence."""
    services: Services = app.state.services
    with session_scope(services.engine) as session:
        seed_dataset(generate_sample(40, 5), session=session)
    backfill_scores(settings, services.engine, services.extractor, limit=25)
    with Session(services.engine) as session:
        for row in latest_scores(session=session):
            score = session.get(Score, row.score_id)
            if score is not None and any(item.get("signal") != "volume" for item in score.evidence):
                return app, row.lead_id, row.score_id, score
    raise AssertionError("the sample has no scored lead with call evidence")


def _form(page: str) -> dict[str, str]:
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    index = re.search(r'name="evidence_index" value="(\d+)"', page)
    assert token and index, "the lead page offers a not-right form per reason"
    return {"csrf": token.group(1), "evidence_index": index.group(1)}


def test_not_right_on_the_lead_page(scored: tuple[FastAPI, int, int, Score]) -> None:
    app, lead_id, score_id, _score = scored
    engine = app.state.services.engine
    with live_server(app) as url, httpx.Client(base_url=url) as browser:
        assert browser.post("/dashboard/login", data={"key": API_KEY}).status_code == 303
        page = browser.get(f"/dashboard/leads/{lead_id}")
        assert page.status_code == 200
        quotes = re.findall(r"<blockquote>“([^”]*)”", page.text)
        assert len(quotes) == len(set(quotes)), "each quote appears once on the lead page"
        form = _form(page.text)
        base = {**form, "score_id": str(score_id), "who": "Sam AE"}
        path = f"/dashboard/leads/{lead_id}/corrections"

        assert browser.post(path, data={**base, "csrf": "forged"}).status_code == 403
        bad = browser.post(path, data={**base, "corrected_signal": "not_a_signal"})
        assert bad.status_code == 400 and "corrected_signal" in bad.json()["error"]["message"]
        assert browser.post(path, data={**base, "evidence_index": "999"}).status_code == 404
        assert browser.post(path, data={**base, "evidence_index": "x"}).status_code == 400
        assert browser.post(path, data={**base, "score_id": str(score_id + 10_000)}).status_code == 404
        assert browser.post(path, data={**base, "who": "   "}).status_code == 400
        with session_scope(engine) as session:
            assert list_corrections(session=session) == []

        done = browser.post(path, data={**base, "corrected_signal": "pain_point", "comment": "rep said it"})
        assert done.status_code == 303 and done.headers["location"].startswith(f"/dashboard/leads/{lead_id}?msg=")
        again = browser.post(path, data={**base, "corrected_signal": "pain_point", "comment": "rep said it"})
        assert again.status_code == 303
        with session_scope(engine) as session:
            (row,) = list_corrections(session=session)
            assert (row.score_id, row.source, row.user_id, row.corrected_signal) == (
                score_id,
                "dashboard",
                "dashboard:Sam AE",
                "pain_point",
            )
        shown = browser.get(f"/dashboard/leads/{lead_id}").text
        assert "marked not right" in shown and "by Sam AE" in shown

        table = browser.get("/dashboard/suggestions").text
        signal = row.signal.replace("_", " ")
        line = re.search(rf"<tr><td>{signal}</td><td>(\d+)</td><td>(\d+)</td>", table)
        assert line is not None and int(line.group(2)) == 1 and int(line.group(1)) >= 1


def test_api_quotes_group_the_evidence(scored: tuple[FastAPI, int, int, Score]) -> None:
    app, *_ = scored
    notes = "CFO signed off on bdgt, wants a quote for 50k mins/month of SIP trunking, pain: dropped calls with Twilio."
    with live_server(app) as url:
        response = httpx.post(
            f"{url}/score",
            json={"company_name": "Quotes Co", "call_notes": notes},
            headers={"Authorization": f"Bearer {API_KEY}"},
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"signal", "quote", "call_id", "start", "end"} <= set(body["evidence"][0])
    texts = [group["quote"] for group in body["quotes"]]
    assert len(texts) == len(set(texts))
    by_quote = {group["quote"]: group["signals"] for group in body["quotes"]}
    assert "budget_confirmed" in by_quote["CFO signed off on bdgt"]
    assert "pricing_requested" in by_quote["wants a quote for 50k mins/month of SIP trunking"]
    counts = Counter(item["quote"] for item in body["evidence"])
    assert all(len(by_quote[q]) >= n for q, n in counts.items() if q in by_quote)
