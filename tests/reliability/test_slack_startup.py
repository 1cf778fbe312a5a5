"""Slack never gates start-up: with Slack unreachable the server starts, serves scoring, reports Slack degraded
in /ready and the log, and verifies the token again in the background until Slack answers."""

from __future__ import annotations

import httpx
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.fakes.slack import FakeSlack
from tests.reliability.processes import wait_until
from tests.reliability.secured import auth


def _ready(url: str) -> dict:
    return httpx.get(f"{url}/ready", headers=auth(), timeout=10).json()


def test_the_server_starts_and_serves_while_slack_is_unreachable(
    sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor
) -> None:
    settings = sec_settings.model_copy(update={"slack_api_url": "http://127.0.0.1:9/api/"})
    services = build_services(settings, engine=engine, extractor=sec_extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(settings, services=services, model_refresh_seconds=60)) as url:
        scored = httpx.post(f"{url}/score", json={"domain": "up.example"}, headers=auth(), timeout=30)
        assert scored.status_code == 200
        wait_until(lambda: _ready(url)["integrations"]["slack"] == "degraded", what="Slack degraded", timeout=30)
        health = _ready(url)
        assert health["status"] == "degraded" and "auth.test" in health["integrations"]["slack_detail"]
        assert httpx.get(f"{url}/ready").status_code == 200, "Slack down is degraded, not unavailable"


def test_slack_is_verified_again_in_the_background(
    sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor, fake_slack: FakeSlack
) -> None:
    fake_slack.server_error("auth.test", times=1)
    services = build_services(sec_settings, engine=engine, extractor=sec_extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(sec_settings, services=services, model_refresh_seconds=60)) as url:
        wait_until(lambda: _ready(url)["integrations"]["slack"] == "on", what="Slack verified", timeout=30)
        assert _ready(url)["status"] == "ok"
    assert len(fake_slack.calls("auth.test")) >= 2
