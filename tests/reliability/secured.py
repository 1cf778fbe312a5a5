"""The fully configured app the security tests attack (fixtures `sec_settings`, `sec_app`, `sec_server`, registered
in conftest): every secret set, Slack live against the fake, JSON logs at debug level."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services, make_extractor
from admin_api.app import create_app
from config import Settings
from config.logs import configure_logging
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.fakes.slack import FakeSlack
from tests.reliability.world import SIGNING_SECRET

API_KEY = "sec-api-key-3f9a2c7e1b5d"
SECRETS = {
    "api_key": API_KEY,
    "slack_signing_secret": SIGNING_SECRET,
    "salesforce_access_token": "00Dsec!AQ0AQ-token-7c1e9b2a4f6d",
    "salesforce_client_secret": "sf-client-secret-2b8d6f0a",
    "salesforce_webhook_secret": "sf-hook-secret-5a7c9e1b",
    "fellow_api_key": "fellow-key-8e6c4a2b0d",
    "fellow_webhook_secret": "whsec_c2VjcmV0LWZlbGxvdy13ZWJob29r",
}


def auth(key: str = API_KEY) -> dict[str, str]:
    """The Bearer header for a key."""
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def sec_extractor() -> SignalExtractor:
    """One spaCy pipeline for the module."""
    return make_extractor(Settings())


@pytest.fixture
def sec_settings(database_url: str, tmp_path: Path, fake_slack: FakeSlack) -> Settings:
    """Every secret configured (Slack live against the fake), JSON logs at debug level."""
    return Settings(
        environment="test",
        database_url=database_url,
        api_keys=(SecretStr(API_KEY),),
        data_dir=tmp_path,
        learning={"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")},
        slack_bot_token=fake_slack.token,
        slack_api_url=fake_slack.api_url,
        salesforce_instance_url="https://example.my.salesforce.com",
        salesforce_client_id="sec-client-id",
        salesforce_login_url="https://127.0.0.1:9",
        fellow_api_url="http://127.0.0.1:9/api/v1",
        log_format="json",
        log_level="debug",
        **{name: SecretStr(value) for name, value in SECRETS.items() if name != "api_key"},
    )


@pytest.fixture
def sec_app(sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor) -> FastAPI:
    """The real app with the Slack app mounted; retraining recorded, not run."""
    configure_logging(sec_settings)
    services = build_services(sec_settings, engine=engine, extractor=sec_extractor, retrain_job=lambda *_a: None)
    return create_app(sec_settings, services=services, model_refresh_seconds=0.5)


class LogLines(logging.Handler):
    """Every log line the app writes, rendered exactly as the configured formatter renders it."""

    def __init__(self, formatter: logging.Formatter | None) -> None:
        super().__init__()
        self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def take(self) -> list[str]:
        """The lines so far, forgetting them."""
        taken, self.lines = self.lines, []
        return taken


@pytest.fixture
def sec_logs(sec_app: FastAPI) -> Iterator[LogLines]:
    """The app's log lines (logging is configured while the app is built)."""
    root = logging.getLogger()
    handler = LogLines(root.handlers[0].formatter if root.handlers else None)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


@pytest.fixture
def sec_server(sec_app: FastAPI) -> Iterator[str]:
    """The app on a real socket."""
    with live_server(sec_app) as url:
        yield url
