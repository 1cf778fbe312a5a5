"""Handoff policy on a world with known probabilities: precision at the policy's operating point on the newest
held-out slice against the target and against the true probabilities at the same volume, Brier against the base
rate, and the rule audit.

`measure(table, true_p)` takes any labelled TrainingTable with each row's true progression probability (the
Salesforce-shaped world plugs in here); `run()` uses 3,000 generated sample leads. Rows are time-ordered and cut
60/20/20: the model trains on the oldest 60%, each contender's policy is chosen on the next 20% (the newest
validated slice at decision time) and judged on the newest 20%, which neither saw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from admin_api.demo.sample_data import generate_sample
from admin_api.demo.snapshots import sample_snapshots
from config.sections import LearningSection
from learning import metrics
from learning.bundles import train_bundle
from learning.policy import choose_policy
from learning.rule_audit import audit_rules
from learning.table import LeadSnapshot, SignalCache, TrainingTable, build_table
from learning.training import TrainConfig
from nlp import SignalExtractor
from scoring.domain import Priority, Recommendation
from scoring.scorer import Scorer, build_scorer

ROOT = Path(__file__).resolve().parent.parent
N_LEADS = 3000


def _contender(name: str, scorer: Scorer, valid: TrainingTable, test: TrainingTable, true_p: np.ndarray) -> dict:
    policy = choose_policy(scorer, valid, scorer.config)
    served = scorer.with_policy(policy)
    scored = served.score_frame(test.frame)
    y, w = test.progressed, test.weight
    p = scored["progression_probability"].to_numpy(dtype=np.float64)
    handoff = (scored["recommendation"] == Recommendation.AE_HANDOFF.value).to_numpy()
    flagged = (scored["priority"] == Priority.HIGH_VOICE_AI.value).to_numpy()
    k = int(handoff.sum())
    oracle = np.argsort(-true_p, kind="stable")[:k]
    known = test.voice_known()
    figures: dict[str, Any] = {
        f"{name}_target_precision": policy.handoff.target,
        f"{name}_target_met_on_validation": policy.handoff.met,
        f"{name}_cut_off": policy.handoff_threshold,
        f"{name}_expected_precision": policy.handoff.expected_precision,
        f"{name}_precision_lower_bound": policy.handoff.precision_lower_bound,
        f"{name}_handoffs": k,
        f"{name}_test_precision": metrics.handoff_precision(y, handoff, w),
        f"{name}_true_p_of_picked": float(true_p[handoff].mean()) if k else None,
        f"{name}_true_p_top_same_volume": float(true_p[oracle].mean()) if k else None,
        f"{name}_oracle_precision_same_volume": float(y[oracle].mean()) if k else None,
        f"{name}_brier": metrics.brier(y, p, w),
        f"{name}_calibrated": policy.calibrated,
        f"{name}_voice_target": None if policy.voice_ai is None else policy.voice_ai.target,
        f"{name}_voice_flagged": int(flagged[known].sum()),
        f"{name}_voice_precision": metrics.voice_ai_precision(test.voice_ai[known], flagged[known], w[known]),
    }
    for audit in audit_rules(served, test):
        rate = "n/a" if audit.outcome_rate is None else f"{audit.outcome_rate:.2f}"
        estimate = "n/a" if audit.model_estimate is None else f"{audit.model_estimate:.2f}"
        figures[f"{name}_rule_{audit.rule_id}"] = (
            f"fired {audit.fired}, outcome {rate} vs model {estimate}, implies {audit.implied[0]:.2f}-"
            f"{audit.implied[1]:.2f}{' REVIEW' if audit.contradicted else ''}"
        )
    return figures


def measure(table: TrainingTable, true_p: np.ndarray, *, learning: LearningSection | None = None) -> dict[str, Any]:
    """All figures for one labelled table whose rows' true progression probabilities are `true_p`."""
    learning = learning or LearningSection()
    order = np.lexsort((table.lead_ids, table.known_at))
    table, true_p = table.take(order), np.asarray(true_p, dtype=np.float64)[order]
    cut_train, cut_valid = int(len(table) * 0.6), int(len(table) * 0.8)
    train = table.take(np.arange(cut_train))
    valid = table.take(np.arange(cut_train, cut_valid))
    test = table.take(np.arange(cut_valid, len(table)))
    test_p = true_p[cut_valid:]
    bundle = train_bundle(train, learning=learning, config=TrainConfig(num_threads=2)).bundle
    figures: dict[str, Any] = {
        "rows_train_valid_test": f"{len(train)}/{len(valid)}/{len(test)}",
        "test_base_rate": metrics.base_rate(test.progressed, test.weight),
        "test_base_rate_brier": metrics.base_rate_brier(test.progressed, test.weight),
        "test_true_p_brier": metrics.brier(test.progressed, test_p, test.weight),
    }
    for name, scorer in (("model", build_scorer(bundle)), ("prior", build_scorer(None))):
        figures |= _contender(name, scorer, valid, test, test_p)
    return figures


def _salesforce_id(snapshot: LeadSnapshot) -> str:
    """The Salesforce id every generated sample lead has (the key of the generator's truth)."""
    if snapshot.lead.salesforce_id is None:
        raise ValueError("a generated sample lead has no Salesforce id")
    return snapshot.lead.salesforce_id


def run() -> dict[str, Any]:
    """The figures on N_LEADS generated sample leads (call signals cached in data/bench-cache)."""
    learning = LearningSection()
    dataset = generate_sample(N_LEADS, seed=7)
    cache = SignalCache(SignalExtractor(), ROOT / "data" / "bench-cache")
    snapshots = sample_snapshots(dataset, learning)
    table = build_table(snapshots, cache, max_calls=5)
    truth = {t.lead_salesforce_id: float(t.latent["p_progress"]) for t in dataset.truth}
    true_p = np.array([truth[_salesforce_id(s)] for s in snapshots])
    return measure(table, true_p, learning=learning)
