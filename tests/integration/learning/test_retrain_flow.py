"""End to end on both backends: seeded store -> retrain -> registry, evaluation report, gate, outbox; drift."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine

from admin_api.demo.sample_data import SampleDataset
from admin_api.demo.seed import seed_dataset
from config import Settings
from learning.flows import retrain
from learning.monitoring import run_drift_check
from learning.table import SignalCache
from learning.training import TrainConfig
from store.db import session_scope
from store.repositories import outbox
from store.repositories.model_versions import get_model_version

FAST = TrainConfig(max_rounds=40, early_stopping_rounds=10, max_trials=1, num_threads=1, min_rows=10)


def test_retrain_registers_evaluates_and_reports(
    engine: Engine, tmp_path: Path, sample: SampleDataset, signal_cache: SignalCache
) -> None:
    settings = Settings(learning={"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")})
    with session_scope(engine) as session:
        seed_dataset(sample, session=session)
    result = retrain(engine, settings, signal_cache, config=FAST)
    summary = result.to_dict()
    assert set(summary["evaluation"]["contenders"]) == {"challenger", "prior"}
    assert summary["evaluation"]["n"] >= 20 and Path(summary["report"]).read_text().count("<svg") == 3
    json.dumps(summary)
    with session_scope(engine) as session:
        row = get_model_version(result.version, session=session)
        assert row.state == ("champion" if result.promoted else "candidate")
        assert row.metrics["gate"]["promote"] == result.decision.promote
        (event,) = outbox.events(session=session, topic="slack.report")
        assert event.payload["kind"] == "promotion" and result.version in event.payload["title"]
        report = run_drift_check(session, settings, signal_cache)
        assert report.to_dict()["severity"] in ("ok", "warn", "alert", "critical")
        if result.promoted:
            assert report.model_version == result.version and report.score_psi is None
