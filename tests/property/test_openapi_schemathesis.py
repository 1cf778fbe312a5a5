"""Schemathesis against the running app's own OpenAPI schema, on both backends: generated requests (valid and
invalid, with a valid API key) never get a 5xx, and documented responses match the schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from sqlalchemy.engine import Engine

from admin_api.api.services import build_services, make_extractor
from admin_api.app import create_app
from config import Settings
from nlp import SignalExtractor
from tests.fakes.fellow import FakeFellow
from tests.fakes.salesforce import FakeSalesforce

API_KEY = "schemathesis-key-5e1f0c7a9b"
HEADERS = {"Authorization": f"Bearer {API_KEY}"}
EXAMPLES_PER_OPERATION = 12


@pytest.fixture(scope="session")
def api_extractor() -> SignalExtractor:
    """One spaCy pipeline for every app built here."""
    return make_extractor(Settings())


@pytest.fixture
def api_app(
    database_url: str,
    engine: Engine,
    tmp_path: Path,
    api_extractor: SignalExtractor,
    fake_salesforce: FakeSalesforce,
    fake_fellow: FakeFellow,
) -> FastAPI:
    """The real app on a migrated database with every webhook live (Salesforce and Fellow on, against the fakes);
    retraining is not run (it is tested end to end elsewhere)."""
    settings = Settings(
        environment="test",
        database_url=database_url,
        salesforce_instance_url=fake_salesforce.url,
        salesforce_access_token=fake_salesforce.session_id,
        salesforce_ca_bundle=fake_salesforce.ca_file,
        salesforce_webhook_secret="sf-hook-secret-8c2d4e6f",
        fellow_api_url=fake_fellow.api_url,
        fellow_api_key=fake_fellow.api_key,
        fellow_webhook_secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        api_keys=(SecretStr(API_KEY),),
        data_dir=tmp_path,
        learning={"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")},
    )
    services = build_services(settings, engine=engine, extractor=api_extractor, retrain_job=lambda *_a: None)
    return create_app(settings, services=services)


@pytest.mark.slow
def test_no_generated_request_gets_a_server_error(api_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", api_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8, "the schema should document the scoring, feedback, model and system routes"
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(headers=HEADERS)
            case.validate_response(response, checks=[not_a_server_error])

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
