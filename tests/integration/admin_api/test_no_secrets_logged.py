"""Nothing the API logs contains a configured secret, whatever the requests carry."""

from __future__ import annotations

import logging

import httpx
import pytest
from pydantic import SecretStr

from admin_api.api.services import build_services
from admin_api.app import create_app
from config import Settings
from config.logs import configure_logging
from nlp import SignalExtractor
from tests.fakes.core.live_server import live_server
from tests.integration.admin_api.conftest import API_KEY, api_settings

SLACK_SECRET = "slack-signing-secret-9d8c7b6a"
SF_TOKEN = "00Dxx-salesforce-token-5e4f3a2b"


def test_logs_never_contain_secrets(
    database_url: str, engine: object, tmp_path, extractor: SignalExtractor, capsys: pytest.CaptureFixture[str]
) -> None:
    settings: Settings = api_settings(
        database_url,
        tmp_path,
        salesforce_access_token=SecretStr(SF_TOKEN),
        salesforce_instance_url="https://example.my.salesforce.com",
        log_format="json",
        log_level="debug",
    )
    configure_logging(settings)
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=lambda *_: None)  # type: ignore[arg-type]
    with live_server(create_app(settings, services=services)) as url:
        good = {"Authorization": f"Bearer {API_KEY}"}
        httpx.post(f"{url}/score", json={"domain": "a.com", "company_name": SF_TOKEN[:40]}, headers=good)
        httpx.post(f"{url}/score", json={"domain": "a.com", "employees": API_KEY}, headers=good)
        httpx.post(f"{url}/score", json={"domain": "a.com"}, headers={"Authorization": f"Bearer {API_KEY}x"})
        httpx.post(f"{url}/models/reload/{API_KEY}", headers=good)
        httpx.post(
            f"{url}/score", content=b"{" + API_KEY.encode(), headers={**good, "content-type": "application/json"}
        )
        httpx.get(f"{url}/health")
        httpx.get(f"{url}/ready")
    logging.getLogger().handlers[0].flush()
    output = capsys.readouterr()
    logged = output.out + output.err
    assert "auth.rejected" in logged
    for secret in (API_KEY, SF_TOKEN, SLACK_SECRET):
        assert secret not in logged
