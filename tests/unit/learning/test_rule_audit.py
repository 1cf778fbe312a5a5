"""Rules judged by outcomes: a rule the outcomes contradict is flagged with its numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from learning.rule_audit import audit_rules
from learning.table import TrainingTable
from nlp import CallSignals
from scoring.domain import CallFacts, CompanyFacts, LeadFacts
from scoring.features import build_features, features_frame
from scoring.scorer import build_scorer

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _table(uninterested_progress: float, n: int = 200) -> TrainingTable:
    rng = np.random.default_rng(0)
    rows, progressed = [], []
    for i in range(n):
        said_no = i % 2 == 0
        call = CallFacts(i, NOW - timedelta(days=1), "notes", CallSignals(not_interested=said_no, pain_point=True))
        company = CompanyFacts(name=f"Co {i}", domain=f"co{i}.com", industry="Healthcare", employees=300)
        rows.append(build_features(company, LeadFacts(title="VP Operations"), [call], NOW))
        progressed.append(float(rng.random() < (uninterested_progress if said_no else 0.4)))
    return TrainingTable(
        frame=features_frame(rows),
        lead_ids=np.arange(n, dtype=np.int64),
        progressed=np.array(progressed),
        voice_ai=np.full(n, np.nan),
        weight=np.ones(n),
        known_at=np.array([np.datetime64("2026-05-01") + np.timedelta64(i, "h") for i in range(n)]),
        source=np.array(["outcome"] * n, dtype=object),
        exploration=np.zeros(n, dtype=bool),
    )


def test_a_cap_the_outcomes_contradict_is_flagged_with_its_numbers() -> None:
    audits = {a.rule_id: a for a in audit_rules(build_scorer(None), _table(uninterested_progress=0.7))}
    cap = audits["not_interested"]
    assert cap.fired == 100 and cap.fire_rate == 0.5 and cap.contradicted
    assert cap.implied == (0.0, 0.25) and cap.outcome_rate > 0.6 and cap.outcome_interval[0] > 0.25
    assert cap.model_estimate is not None and cap.note.startswith("REVIEW:") and "100 leads" in cap.note
    assert not audits["voice_ai_hot"].contradicted and audits["voice_ai_hot"].note == "too few leads to judge"


def test_a_cap_the_outcomes_support_is_not_flagged() -> None:
    audits = {a.rule_id: a for a in audit_rules(build_scorer(None), _table(uninterested_progress=0.05))}
    assert not audits["not_interested"].contradicted
    assert audits["not_interested"].note == "consistent with outcomes"
