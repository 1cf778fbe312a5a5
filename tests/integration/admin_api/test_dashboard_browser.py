"""The dashboard in headless Chromium: every page renders its SVG charts with data; screenshots are saved to
test-artifacts/. Also the login form, the signed session and CSRF checks over HTTP."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
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
from store.db import session_scope
from store.repositories.scores import latest_scores
from tests.integration.admin_api.conftest import API_KEY
from tests.integration.admin_api.live_server import live_server

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PAGES = {"overview": "/dashboard", "trends": "/dashboard/trends", "models": "/dashboard/models",
         "insights": "/dashboard/insights", "leads": "/dashboard/leads"}  # fmt: skip
CHART = re.compile(r'<svg class="chart"[^>]*data-points="(\d+)"')


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
        charts = [int(points) for points in CHART.findall(dom.stdout)]
        if name != "leads":
            assert charts, f"{name}: no chart in the rendered page"
            assert any(points > 0 for points in charts), f"{name}: charts drew no data"
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
