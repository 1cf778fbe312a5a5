"""End to end: seed -> train -> serve -> score over HTTP -> feedback -> retrain -> new version on /models/info."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from admin_api.api.services import build_services, make_extractor
from admin_api.app import create_app
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.learning_jobs import retrain_job
from config import Settings
from store.db import make_engine, session_scope
from store.migrate import upgrade
from tests.fakes.core.live_server import live_server

KEY = "e2e-key-5c4b3a29"


@pytest.mark.slow
def test_seed_train_serve_score_feedback_retrain(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'fellow.db'}",
        api_keys=(SecretStr(KEY),),
        data_dir=tmp_path,
        learning={"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")},
    )
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with session_scope(engine) as session:
        seed_dataset(generate_sample(150, 21), session=session)
    extractor = make_extractor(settings)
    first = retrain_job(settings, engine, extractor)
    services = build_services(settings, engine=engine, extractor=extractor, retrain_job=retrain_job)
    headers = {"Authorization": f"Bearer {KEY}"}
    with live_server(create_app(settings, services=services, model_refresh_seconds=0.5)) as url:
        info = httpx.get(f"{url}/models/info", headers=headers).json()
        assert [v["version"] for v in info["versions"]] == [first.version]
        scored = httpx.post(
            f"{url}/score",
            json={"domain": "acmehealth.com", "industry": "healthcare", "call_notes": "They asked for pricing."},
            headers=headers,
            timeout=60,
        ).json()
        vote = {"score_id": scored["score_id"], "user_id": "ae@example.com", "verdict": "up"}
        assert httpx.post(f"{url}/feedback", json=vote, headers=headers).status_code == 200
        assert httpx.post(f"{url}/learn/retrain", headers=headers).status_code == 202
        services.retrainer.join(timeout=900)
        versions = httpx.get(f"{url}/models/info", headers=headers).json()["versions"]
        assert len(versions) == 2 and versions[0]["version"] != first.version
        assert versions[0]["metrics"].get("gate") is not None
        champion = httpx.get(f"{url}/models/info", headers=headers).json()["champion"]
        if champion is not None:
            deadline = time.monotonic() + 30
            while httpx.get(f"{url}/models/info", headers=headers).json()["serving"]["version"] != champion:
                assert time.monotonic() < deadline
                time.sleep(0.2)
