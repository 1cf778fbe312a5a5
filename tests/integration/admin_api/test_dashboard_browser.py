"""The dashboard in headless Chromium: every page draws its Chart.js charts with data (the vendored library served
by the app itself); screenshots are saved to test-artifacts/. Also the login form, the signed session and CSRF
checks over HTTP. Leads search, filters, paging and the model page's action states are in
test_dashboard_leads_browser.py and test_dashboard_models_browser.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import Session
from starlette.types import Receive, Scope, Send

from admin_api.api.services import Services
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.bootstrap import backfill_scores
from config import Settings
from learning.shadow import ShadowWindow, start_shadow
from nlp.suggest import SUGGESTIONS_DIR, Suggestion, write_patch
from scoring.policy import HandoffPolicy, OperatingPoint
from store.db import session_scope
from store.repositories.model_versions import add_model_version
from store.repositories.scores import latest_scores
from store.types import utcnow
from tests.fakes.core.live_server import live_server
from tests.integration.admin_api.conftest import API_KEY

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PAGES = {"overview": "/dashboard", "trends": "/dashboard/trends", "models": "/dashboard/models",
         "insights": "/dashboard/insights", "leads": "/dashboard/leads",
         "suggestions": "/dashboard/suggestions"}  # fmt: skip
WITHOUT_CHARTS = {"leads", "suggestions"}
CHART = re.compile(r'<canvas class="chart"[^>]*data-points="(\d+)"[^>]*data-drawn="(\d+)"')


def chromium_binary() -> str | None:
    """Debian's chromium, installed on first use when apt is available."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found or not shutil.which("apt-get"):
        return found
    subprocess.run(["apt-get", "install", "-y", "chromium"], capture_output=True, timeout=600, check=False)
    return shutil.which("chromium")


class BearerForBrowser:
    """Test-only wrapper: adds the API key header to the browser's requests (the browser cannot send one)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "headers": [*scope["headers"], (b"authorization", f"Bearer {API_KEY}".encode())]}
        await self.app(scope, receive, send)


@pytest.fixture
def seeded_app(app: FastAPI, settings: Settings) -> FastAPI:
    """The app over a small sample with some leads scored."""
    services: Services = app.state.services
    with session_scope(services.engine) as session:
        seed_dataset(generate_sample(60, 5), session=session)
    backfill_scores(settings, services.engine, services.extractor, limit=25)
    examples = ("we have the budget set aside for the rollout", "budget is set aside for this quarter")
    proposals = [
        Suggestion("set aside", "progressed", 12, 0.83, 0.4, 2.1, examples, "budget_confirmed"),
        Suggestion("NOT_looks", "feedback:wrong_fit", 8, 0.8, 0.2, 3.0, ("it NOT_looks right",), None),
    ]
    write_patch(proposals, Path(settings.data_dir) / SUGGESTIONS_DIR / "lexicon-suggestions-test.yaml")
    return app


def _browse(binary: str, url: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}", "--window-size=1280,1600",
    ]  # fmt: skip
    return subprocess.run([binary, *flags, *extra, url], capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def browser_server(seeded_app: FastAPI) -> Iterator[str]:
    """The seeded app behind a socket, with the key injected for the browser."""
    with live_server(BearerForBrowser(seeded_app)) as url:  # type: ignore[arg-type]
        yield url


def test_dashboard_pages_render_charts_in_chromium(
    browser_server: str, seeded_app: FastAPI, tmp_path: Path, database_url: str
) -> None:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium is not installed and apt-get could not install it")
    ARTIFACTS.mkdir(exist_ok=True)
    backend = "postgres" if database_url.startswith("postgresql") else "sqlite"
    services: Services = seeded_app.state.services
    with Session(services.engine) as session:
        lead_id = latest_scores(session=session, limit=1)[0].lead_id
    pages = {**PAGES, "lead": f"/dashboard/leads/{lead_id}"}
    for name, path in pages.items():
        dom = _browse(binary, f"{browser_server}{path}", tmp_path, "--dump-dom")
        assert dom.returncode == 0, dom.stderr[-2000:]
        charts = [(int(points), int(drawn)) for points, drawn in CHART.findall(dom.stdout)]
        if name not in WITHOUT_CHARTS:
            assert charts, f"{name}: Chart.js drew no chart in the rendered page"
            assert any(drawn > 0 for _, drawn in charts), f"{name}: charts drew no data"
            assert all(drawn <= points for points, drawn in charts), (name, charts)
        assert "AE_HANDOFF" not in re.sub(r"<[^>]+>", " ", dom.stdout), f"{name}: a raw enum value is shown"
        shot = ARTIFACTS / f"dashboard-{name}-{backend}.png"
        result = _browse(binary, f"{browser_server}{path}", tmp_path, f"--screenshot={shot}")
        assert result.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000, result.stderr[-2000:]


def test_login_session_and_csrf(seeded_app: FastAPI) -> None:
    with live_server(seeded_app) as url, httpx.Client(base_url=url) as browser:
        assert browser.get("/dashboard").headers.get("location") == "/dashboard/login"
        assert browser.post("/dashboard/login", data={"key": "wrong"}).status_code == 401
        signed_in = browser.post("/dashboard/login", data={"key": API_KEY})
        assert signed_in.status_code == 303
        cookie = signed_in.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        page = browser.get("/dashboard/models")
        assert page.status_code == 200
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token is not None
        forged = browser.post("/dashboard/learn/retrain", data={"csrf": "forged"})
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
        started = browser.post("/dashboard/learn/retrain", data={"csrf": token.group(1)})
        assert started.status_code == 303 and "Retraining" in started.headers["location"].replace("%20", " ")
        tampered = {"fellow_session": browser.cookies["fellow_session"][:-2] + "xx"}
        assert httpx.get(f"{url}/dashboard", cookies=tampered).status_code == 303


def _explained_version(settings: Settings, services: Services) -> str:
    """A candidate held back for its shadow period, with a policy, a rule audit, a skipped model and a report."""
    version = "v-shadowed-1"
    point = OperatingPoint(target=0.85, met=True, threshold=0.62, handoffs=18, rows=120, expected_precision=0.89,
                           precision_lower_bound=0.86, weekly_volume=4.5, note="Hands off leads from 62%.")  # fmt: skip
    policy = HandoffPolicy(model_version=version, chosen_at=utcnow(), confidence=0.9, rows=120, handoff=point,
                           brier=0.12, base_rate_brier=0.2)  # fmt: skip
    audit = {"rule_id": "no_budget_cap", "effect": "cap_score", "label": "NURTURE_TRACK", "fired": 9,
             "fire_rate": 0.075, "outcome_rate": 0.44, "outcome_interval": [0.3, 0.6], "model_estimate": 0.4,
             "implied": [0.0, 0.3], "contradicted": True, "note": "outcomes contradict it"}  # fmt: skip
    challenger = {"model_version": version, "roc_auc": 0.812, "brier": 0.121, "handoff_precision": 0.89,
                  "handoff_recall": 0.4, "policy": policy.model_dump(mode="json"), "rule_audit": [audit]}  # fmt: skip
    gate = {"version": version, "promote": False, "awaiting_shadow": True, "incumbent": "prior",
            "reasons": ["the shadow period runs until 2030-01-01 00:00 UTC"]}  # fmt: skip
    metrics = {"evaluation": {"n": 120, "contenders": {"challenger": challenger}}, "gate": gate,
               "skipped_models": {"voice_ai": "no Voice AI labels: set learning.voice_ai_field"}}  # fmt: skip
    with session_scope(services.engine) as session:
        add_model_version(version, session=session, artifact_path="unused", details={}, metrics=metrics)
        start_shadow(version, ShadowWindow(utcnow(), utcnow() + timedelta(days=14)), session=session)
    reports = Path(settings.learning.reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    (reports / f"{version}.html").write_text("<html><body>Model evaluation v-shadowed-1</body></html>")
    return version


def test_model_page_explains_each_version(seeded_app: FastAPI, settings: Settings) -> None:
    version = _explained_version(settings, seeded_app.state.services)
    headers = {"authorization": f"Bearer {API_KEY}"}
    with live_server(seeded_app) as url, httpx.Client(base_url=url, headers=headers) as browser:
        page = browser.get("/dashboard/models").text
        report = browser.get(f"/dashboard/models/{version}/report")
        missing = browser.get("/dashboard/models/v-unknown/report")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "ROC-AUC 0.812" in text and "Brier 0.121" in text and "handoff precision 89%" in text
    assert "Held back until its shadow period ends" in text and "the shadow period runs until 2030-01-01" in text
    assert "voice_ai model not trained: no Voice AI labels" in text
    assert "target 85% precision: met" in text and "cut-off 62%" in text and "4.5 a week" in text
    assert "calibrated" in text and "uncalibrated" not in text
    assert f"Shadow: {version} beside the champion" in text and "0 outcomes arrived since it began" in text
    assert "only 0 outcomes arrived since the shadow began" in text
    assert f"Rule audit ({version}, newest evaluation)" in text and "no_budget_cap" in text
    assert "contradicted by outcomes" in text and "0%–30%" in text
    assert f'href="/dashboard/models/{version}/report"' in page
    assert report.status_code == 200 and "Model evaluation v-shadowed-1" in report.text
    assert missing.status_code == 404
