"""Fixtures for API tests: one signal extractor per session, an app per database, a live server per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services, make_extractor
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.fakes.salesforce import FakeSalesforce
from tests.fakes.slack import FakeSlack

if TYPE_CHECKING:
    from tests.integration.admin_api.canvas_world import CanvasWorld

API_KEY = "test-key-7f3a9c1e5b2d"
OTHER_KEY = "second-key-0a1b2c3d4e"
HEADERS = {"Authorization": f"Bearer {API_KEY}"}


@pytest.fixture(scope="session")
def extractor() -> SignalExtractor:
    """The spaCy pipeline is costly to build; every app in the session shares one."""
    return make_extractor(Settings())


def api_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a test app: two keys, a temp data folder, the given database."""
    return Settings(
        database_url=database_url,
        api_keys=(SecretStr(API_KEY), SecretStr(OTHER_KEY)),
        data_dir=tmp_path,
        learning={"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")},
        **overrides,
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Test settings on each backend."""
    return api_settings(database_url, tmp_path)


@pytest.fixture
def retrain_calls() -> list[str]:
    """Records each retraining the app starts (the learning loop itself is tested end to end elsewhere)."""
    return []


@pytest.fixture
def app(settings: Settings, engine: Engine, extractor: SignalExtractor, retrain_calls: list[str]) -> FastAPI:
    """The real app on a migrated database, with a recording retrain job."""
    services = build_services(
        settings,
        engine=engine,
        extractor=extractor,
        retrain_job=lambda _s, _e, _x: retrain_calls.append("retrain"),
    )
    return create_app(settings, services=services, model_refresh_seconds=0.2)


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The app behind a real uvicorn socket."""
    with live_server(app) as url:
        yield url


@pytest.fixture
def world(
    database_url: str,
    tmp_path: Path,
    engine: Engine,
    extractor: SignalExtractor,
    fake_salesforce: FakeSalesforce,
    fake_slack: FakeSlack,
) -> Iterator[CanvasWorld]:
    """The canvas tests' setting: the product with the panel on, the fake org with the canvas app, Slack on the fake."""
    from tests.integration.admin_api.canvas_world import canvas_world

    with canvas_world(database_url, tmp_path, engine, extractor, fake_salesforce, fake_slack) as built:
        yield built
