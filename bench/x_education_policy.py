"""Handoff policy on real public lead data (X Education, SAFE columns): precision and volume on unseen folds at
the policy's operating point, against the fixed AE_HANDOFF threshold, with the default configuration's target.

Stratified 5-fold cross-validation through `learning.csv_eval.evaluate_csv` (what `fellow learn evaluate-csv`
runs): in each fold the policy is chosen on a quarter of the training rows by a model that never saw them, and
judged on the fold's test rows. The export has no dates, so there is no time order to respect.
"""

from __future__ import annotations

from typing import Any

from bench.worlds.x_education import DATASET, load_safe
from learning.csv_eval import evaluate_csv, handoff_mask
from scoring.config import load_scoring_config


def run() -> dict[str, Any]:
    """Evaluate once (the folds are deterministic) and report the fixed threshold next to the policy."""
    if not DATASET.exists():
        return {"skipped": f"dataset absent: {DATASET}"}
    scoring = load_scoring_config()
    table = load_safe()
    result = evaluate_csv(table, folds=5, ae_handoff_score=scoring.thresholds.ae_handoff, policy=scoring.policy)
    summary, policy = result.summary, result.summary["policy"]
    assert result.probabilities is not None and result.test_index is not None
    return {
        "rows": summary["n"],
        "base_rate": result.details["base_rate"],
        "roc_auc": summary["roc_auc"],
        "brier": summary["brier"],
        "fixed_threshold": scoring.thresholds.ae_handoff,
        "fixed_handoff_share": float(
            handoff_mask(result.probabilities[result.test_index], scoring.thresholds.ae_handoff).mean()
        ),
        "fixed_handoff_precision": summary["handoff_precision"],
        "policy_target": policy["target_precision"],
        "policy_handoffs": policy["handoffs"],
        "policy_handoff_share": policy["handoff_share"],
        "policy_handoff_precision": policy["handoff_precision"],
        "policy_handoff_recall": policy["handoff_recall"],
        "policy_thresholds": policy["thresholds"],
        "policy_validation_lower_bounds": policy["validation_lower_bounds"],
        "policy_verdict": policy["verdict"],
    }
