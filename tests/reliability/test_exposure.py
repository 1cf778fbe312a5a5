"""What the app shows the outside: hardening headers, redirects that never echo the Host header, API docs off in
production unless configured, and one log line (not two tracebacks) for an unexpected error."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.reliability.secured import LogLines, auth

STRONG_KEY = "Zq3v8K1pXw0bT6yN2mR9sLd4hJ7cFa5g"


def _production(settings: Settings, **api: object) -> Settings:
    return settings.model_copy(
        update={
            "environment": "production",
            "api_keys": (SecretStr(STRONG_KEY),),
            "api": settings.api.model_copy(update=api),
        }
    )


def _served(settings: Settings, engine: Engine, extractor: SignalExtractor) -> Iterator[str]:
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda *_a: None)
    with live_server(create_app(settings, services=services, model_refresh_seconds=60)) as url:
        yield url


def test_pages_carry_hardening_headers_and_redirects_are_relative(sec_server: str) -> None:
    page = httpx.get(f"{sec_server}/dashboard", headers=auth())
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert httpx.get(f"{sec_server}/health").headers["x-frame-options"] == "DENY"
    for path in ("/dashboard/", "/models/info/", "/"):
        moved = httpx.get(f"{sec_server}{path}", headers={"Host": "evil.example", **auth()}, follow_redirects=False)
        assert moved.is_redirect, (path, moved.status_code)
        assert moved.headers["location"].startswith("/") and "evil.example" not in moved.headers["location"]


def test_docs_are_off_in_production_unless_configured(
    sec_settings: Settings, engine: Engine, sec_extractor: SignalExtractor
) -> None:
    for url in _served(_production(sec_settings), engine, sec_extractor):
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert httpx.get(f"{url}{path}").status_code == 404, path
    for url in _served(_production(sec_settings, docs_in_production=True), engine, sec_extractor):
        assert httpx.get(f"{url}/openapi.json").status_code == 200


def test_an_unexpected_error_is_one_log_line_with_one_traceback(sec_app: FastAPI, sec_logs: LogLines) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    sec_app.add_api_route("/broken", broken)
    with live_server(sec_app) as url:
        sec_logs.take()
        answer = httpx.get(f"{url}/broken")
        lines = sec_logs.take()
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "internal_error"
    assert sum('"api.unexpected_error"' in line for line in lines) == 1
    assert not any("Exception in ASGI application" in line for line in lines), "uvicorn logged it a second time"
