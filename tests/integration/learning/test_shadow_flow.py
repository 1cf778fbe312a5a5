"""Shadow on both backends: retrain holds a challenger back for its shadow period, the serving scorer carries it,
the comparison pairs shadow scores with outcomes that arrived since, and the review gates it once the period ends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine

from admin_api.demo.sample_data import SampleDataset
from admin_api.demo.seed import seed_dataset
from config import Settings
from learning import jobs as learning_jobs
from learning.flows import held_for_shadow, retrain, review_shadow
from learning.shadow import ShadowWindow, compare_shadow, shadowing_version, start_shadow
from learning.table import SignalCache
from learning.training import TrainConfig
from store.db import session_scope
from store.repositories.companies import upsert_company
from store.repositories.leads import upsert_lead
from store.repositories.model_versions import add_model_version, get_model_version, update_metrics
from store.repositories.outcomes import upsert_outcome
from store.repositories.scores import add_score
from store.repositories.shadow_scores import add_shadow_score
from store.types import utcnow

FAST = TrainConfig(max_rounds=40, early_stopping_rounds=10, max_trials=1, num_threads=1, min_rows=10)


def test_require_shadow_holds_promotion_until_the_period_ends_and_outcomes_favour(
    engine: Engine,
    tmp_path: Path,
    sample: SampleDataset,
    signal_cache: SignalCache,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    learning = {"models_dir": str(tmp_path / "models"), "reports_dir": str(tmp_path / "reports")}
    settings = Settings(learning={**learning, "shadow_days": 14, "require_shadow": True})
    with session_scope(engine) as session:
        seed_dataset(sample, session=session)
    result = retrain(engine, settings, signal_cache, config=FAST)
    assert not result.promoted
    with session_scope(engine) as session:
        row = get_model_version(result.version, session=session)
        assert row.state == "candidate" and "shadow period runs until" in "; ".join(result.decision.reasons)
        assert row.metrics["gate"]["awaiting_shadow"] == (len(result.decision.reasons) == 1)
        assert shadowing_version(session=session).version == result.version
        assert review_shadow(engine, settings, signal_cache) is None  # the period has not ended
        past = utcnow() - timedelta(days=15)
        start_shadow(result.version, ShadowWindow(past, past + timedelta(days=14)), session=session)
        assert shadowing_version(session=session) is None
        # as if the offline gate had passed on this small sample, so only the shadow held it back
        update_metrics(result.version, {"gate": {**row.metrics["gate"], "awaiting_shadow": True}}, session=session)
        assert held_for_shadow(session) == (result.version, past + timedelta(days=14))
    monkeypatch.setattr(learning_jobs, "retrain_due", lambda context, now: "100 new labels since the last model")
    context = SimpleNamespace(settings=settings, engine=engine, signals=lambda: signal_cache)
    waiting = learning_jobs.retrain_job(context)
    assert not waiting["retrained"] and f"challenger {result.version} waits for its shadow period" in waiting["reason"]
    reviewed = review_shadow(engine, settings, signal_cache)
    assert reviewed is not None and not reviewed.promoted
    assert "outcomes arrived since the shadow began" in "; ".join(reviewed.decision.reasons)
    with session_scope(engine) as session:
        row = get_model_version(result.version, session=session)
        assert row.state == "candidate" and row.metrics["shadow"]["n"] == 0 and row.details["shadow_reviewed_at"]
        assert held_for_shadow(session) is None  # judged: retraining may replace it now
    assert review_shadow(engine, settings, signal_cache) is None  # reviewed once


def test_comparison_pairs_each_lead_s_newest_shadow_score_before_its_outcome(engine: Engine) -> None:
    now = utcnow()
    start = now - timedelta(days=10)
    score = {"voice_ai_fit": 50, "priority": "STANDARD", "confidence": 0.5, "model_version": "champ-1",
             "scorer": "model", "input_hash": "x" * 64}  # fmt: skip
    with session_scope(engine) as session:
        add_model_version("chal-1", session=session, artifact_path="unused", details={}, metrics={})
        start_shadow("chal-1", ShadowWindow(start, now + timedelta(days=4)), session=session)
        company, _ = upsert_company("acme.example", session=session)
        # champion p, recommendation; shadow p, recommendation; scored days ago; decided days ago; progressed
        rows = [
            (0.8, "AE_HANDOFF", 0.9, "AE_HANDOFF", 5, 2, True),
            (0.3, "NURTURE_TRACK", 0.2, "NURTURE_TRACK", 5, 1, False),
            (0.6, "AE_HANDOFF", 0.1, "SELF_SERVICE", 5, 12, False),  # decided before the shadow began
            (0.7, "AE_HANDOFF", 0.4, "NURTURE_TRACK", 1, 3, True),  # shadow-scored after its outcome
        ]
        for i, (cp, cr, sp, sr, scored, decided, progressed) in enumerate(rows):
            lead, _, _ = upsert_lead(session=session, email=f"l{i}@acme.example", company_id=company.id)
            at = now - timedelta(days=scored)
            champion = add_score(session=session, lead_id=lead.id, qualification_score=int(cp * 100),
                                 progression_probability=cp, recommendation=cr, scored_at=at, **score)  # fmt: skip
            add_shadow_score(
                session=session, lead_id=lead.id, score_id=champion.id, model_version="chal-1",
                champion_version="champ-1", qualification_score=int(sp * 100), progression_probability=sp,
                voice_ai_fit=50, recommendation=sr, scored_at=at,
            )  # fmt: skip
            decided_at = now - timedelta(days=decided)
            upsert_outcome(lead.id, session=session, progressed=progressed, decided_at=decided_at)
    with session_scope(engine) as session:
        result = compare_shadow("chal-1", session=session)
    assert result is not None and (result.n, result.progressed, result.elapsed) == (2, 1, False)
    assert result.champion.brier == pytest.approx((0.2**2 + 0.3**2) / 2)
    assert result.challenger.brier == pytest.approx((0.1**2 + 0.2**2) / 2)
    assert result.champion.roc_auc == result.challenger.roc_auc == 1.0
    assert result.champion.handoff_precision == result.challenger.handoff_precision == 1.0
