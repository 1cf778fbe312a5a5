"""The leads page (search, filters, sort, paging, bad filters), the not-found page and the model page's action
states (roll-back offered only with an earlier champion, retraining running / finished / failed followed by the
page's own polling) in headless Chromium, with screenshots in test-artifacts/."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.types import Receive, Scope, Send

from admin_api.api.services import Services, build_services
from admin_api.app import create_app
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.bootstrap import backfill_scores
from config import Settings
from nlp import SignalExtractor
from store.db import session_scope
from store.repositories.lead_search import LeadQuery, domains_to_try, search_leads
from store.repositories.model_versions import add_model_version, set_champion
from tests.fakes.core.live_server import live_server
from tests.integration.admin_api.conftest import API_KEY
from tests.integration.admin_api.test_dashboard_browser import ARTIFACTS, BearerForBrowser, _browse, chromium_binary

ROW = re.compile(r'<tr data-lead="(\d+)">')


def _text(dom: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


@pytest.fixture
def chromium() -> str:
    """The Chromium binary (skips only when it cannot be installed on this machine)."""
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed and apt-get could not install it")
    ARTIFACTS.mkdir(exist_ok=True)
    return binary


class Gate:
    """A retrain job that waits until the page has polled its status `polls` times, then ends as told."""

    def __init__(self, polls: int, fail: bool) -> None:
        self.polls, self.fail = polls, fail
        self.seen = 0
        self.armed = False
        self.release = threading.Event()

    def job(self, _settings: Settings, _engine: Engine, _extractor: SignalExtractor) -> object:
        assert self.release.wait(60), "the page never polled the retrain status"
        if self.fail:
            raise RuntimeError("12 labelled leads; need at least 50 to train")
        return None

    def counting(self, app: FastAPI) -> BearerForBrowser:
        async def asgi(scope: Scope, receive: Receive, send: Send) -> None:
            if self.armed and scope["type"] == "http" and scope["path"] == "/dashboard/learn/retrain/status":
                self.seen += 1
                if self.seen >= self.polls:
                    self.release.set()
            await app(scope, receive, send)

        return BearerForBrowser(asgi)  # type: ignore[arg-type]


def _app(settings: Settings, engine: Engine, extractor: SignalExtractor, gate: Gate) -> FastAPI:
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=gate.job)
    app = create_app(settings, services=services, model_refresh_seconds=60)
    with session_scope(engine) as session:
        seed_dataset(generate_sample(80, 7), session=session)
    backfill_scores(settings, engine, extractor, limit=60)
    return app


@pytest.fixture
def leads_app(settings: Settings, engine: Engine, extractor: SignalExtractor) -> FastAPI:
    """The app over a sample with 60 scored leads."""
    return _app(settings, engine, extractor, Gate(1, False))


@pytest.fixture
def leads_url(leads_app: FastAPI) -> Iterator[str]:
    with live_server(BearerForBrowser(leads_app)) as url:  # type: ignore[arg-type]
        yield url


def _backend(database_url: str) -> str:
    return "postgres" if database_url.startswith("postgresql") else "sqlite"


def test_leads_search_filter_sort_and_page_in_chromium(
    chromium: str, leads_url: str, leads_app: FastAPI, tmp_path: Path, database_url: str
) -> None:
    services: Services = leads_app.state.services
    with Session(services.engine) as session:
        everything = search_leads(LeadQuery(per_page=100), session=session)
        tries = domains_to_try(session=session)
    assert everything.total == 60
    assert tries and all(t.recommendation is not None and t.calls > 0 for t in tries)
    best = max(
        r.qualification_score for r in everything.rows if r.recommendation == tries[0].recommendation and r.calls
    )
    assert tries[0].qualification_score == best
    named = next(row for row in everything.rows if row.company_name)
    handed = [row.lead_id for row in everything.rows if row.recommendation == "AE_HANDOFF"]

    first = _browse(chromium, f"{leads_url}/dashboard/leads", tmp_path, "--dump-dom").stdout
    second = _browse(chromium, f"{leads_url}/dashboard/leads?page=2", tmp_path, "--dump-dom").stdout
    ids_1, ids_2 = ROW.findall(first), ROW.findall(second)
    assert len(ids_1) == 25 and len(ids_2) == 25 and not set(ids_1) & set(ids_2)
    assert "60 leads match; page 1 of 3" in _text(first) and 'rel="next"' in first and "page=2" in first

    word = named.company_name.split()[0]  # type: ignore[union-attr]
    found = _browse(chromium, f"{leads_url}/dashboard/leads?q={word.lower()}", tmp_path, "--dump-dom").stdout
    assert str(named.lead_id) in ROW.findall(found) and word in _text(found)

    filtered_url = f"{leads_url}/dashboard/leads?recommendation=AE_HANDOFF&sort=score&order=asc&per_page=100"
    filtered = _browse(chromium, filtered_url, tmp_path, "--dump-dom").stdout
    shown = [int(i) for i in ROW.findall(filtered)]
    assert sorted(shown) == sorted(handed) and "AE handoff" in _text(filtered)
    scores = {row.lead_id: row.qualification_score for row in everything.rows}
    assert [scores[i] for i in shown] == sorted(scores[i] for i in shown)
    assert 'option value="AE_HANDOFF" selected' in filtered

    none = _browse(chromium, f"{leads_url}/dashboard/leads?feedback=up", tmp_path, "--dump-dom").stdout
    assert "0 leads match" in _text(none) and "Clear the filters" in _text(none)
    shot = ARTIFACTS / f"dashboard-leads-filtered-{_backend(database_url)}.png"
    _browse(chromium, f"{leads_url}/dashboard/leads?q={word.lower()}", tmp_path, f"--screenshot={shot}")
    assert shot.exists() and shot.stat().st_size > 10_000


def test_unknown_lead_and_bad_filter_are_html_pages(
    chromium: str, leads_url: str, tmp_path: Path, database_url: str
) -> None:
    headers = {"authorization": f"Bearer {API_KEY}"}
    for path, status, words in (
        ("/dashboard/leads/999999", 404, "There is no lead #999999"),
        ("/dashboard/leads/not-a-number", 404, "There is no lead #not-a-number"),
        ("/dashboard/leads?per_page=7", 400, "per_page='7' must be one of 25, 50, 100"),
        ("/dashboard/leads?priority=URGENT", 400, "priority='URGENT' is not one of"),
        ("/dashboard/leads?colour=red", 400, "unknown filter 'colour'"),
        ("/dashboard/models/v-missing/report", 404, "There is no evaluation report for model version"),
    ):
        response = httpx.get(f"{leads_url}{path}", headers=headers)
        assert response.status_code == status and response.headers["content-type"].startswith("text/html"), path
        assert words in _text(response.text), path
    dom = _browse(chromium, f"{leads_url}/dashboard/leads/999999", tmp_path, "--dump-dom").stdout
    assert "Lead not found" in dom and 'action="/dashboard/leads"' in dom
    shot = ARTIFACTS / f"dashboard-not-found-{_backend(database_url)}.png"
    _browse(chromium, f"{leads_url}/dashboard/leads/999999", tmp_path, f"--screenshot={shot}")
    assert shot.exists()


def test_rollback_is_offered_only_with_an_earlier_champion(
    chromium: str, leads_url: str, leads_app: FastAPI, tmp_path: Path, database_url: str
) -> None:
    before = _browse(chromium, f"{leads_url}/dashboard/models", tmp_path, "--dump-dom").stdout
    assert 'action="/dashboard/models/rollback"' not in before and "no earlier champion" in _text(before)
    services: Services = leads_app.state.services
    artifact = tmp_path / "artifact.bin"
    artifact.write_bytes(b"not loaded by this test")
    with session_scope(services.engine) as session:
        for version in ("v-first", "v-second"):
            add_model_version(version, session=session, artifact_path=str(artifact), details={}, metrics={})
            set_champion(version, session=session)
    after = _browse(chromium, f"{leads_url}/dashboard/models", tmp_path, "--dump-dom").stdout
    assert 'action="/dashboard/models/rollback"' in after and "Roll back to v-first" in _text(after)
    assert after.count('action="/dashboard/models/reload"') == 2  # both registered versions; the prior serves
    assert "Not evaluated: no evaluation was recorded" in _text(after)
    shot = ARTIFACTS / f"dashboard-models-actions-{_backend(database_url)}.png"
    _browse(chromium, f"{leads_url}/dashboard/models", tmp_path, f"--screenshot={shot}")
    assert shot.exists()


@pytest.mark.parametrize("fail", [False, True], ids=["finished", "failed"])
def test_retrain_status_is_followed_by_the_page(
    chromium: str, settings: Settings, engine: Engine, extractor: SignalExtractor, tmp_path: Path, fail: bool
) -> None:
    gate = Gate(polls=2, fail=fail)
    app = _app(settings, engine, extractor, gate)
    services: Services = app.state.services
    with live_server(gate.counting(app)) as url:  # type: ignore[arg-type]
        idle = httpx.get(f"{url}/dashboard/learn/retrain/status").json()
        assert idle["state"] == "idle"
        assert services.retrainer.start("test")
        running = _browse(chromium, f"{url}/dashboard/models", tmp_path, "--dump-dom").stdout
        assert 'data-state="running"' in running and 'id="retrain-button" disabled' in running
        gate.armed = True
        followed = _browse(
            chromium, f"{url}/dashboard/models", tmp_path, "--virtual-time-budget=60000", "--dump-dom"
        ).stdout
        services.retrainer.join(30)
        state = "failed" if fail else "finished"
        assert f'data-state="{state}"' in followed, _text(followed)[:2000]
        status = httpx.get(f"{url}/dashboard/learn/retrain/status").json()
    assert status["state"] == state and status["finished_at"] is not None
    if fail:
        assert "need at least 50 to train" in status["detail"] and "need at least 50" in _text(followed)
    else:
        assert status["detail"] == "The run ended without a new model version."
