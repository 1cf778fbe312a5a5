"""`evaluate_csv` judges the handoff policy on test rows it never saw, on CSVs whose true probabilities are known."""

from __future__ import annotations

import numpy as np
import pandas as pd

from learning.csv_data import CsvTable
from learning.csv_eval import evaluate_csv, policy_positions, split_positions
from learning.training import TrainConfig
from scoring.config import PolicyConfig

GOAL = PolicyConfig(target_precision=0.85, voice_ai_target_precision=0.9, confidence=0.9, min_handoffs=10)
QUICK = TrainConfig(max_rounds=200, early_stopping_rounds=20, max_trials=1, num_threads=1)


def _table(n: int, seed: int, strength: float, dated: bool) -> tuple[CsvTable, np.ndarray]:
    """A CSV whose outcome is drawn from a known probability of one feature (`strength` 0 means no signal)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    p = 1 / (1 + np.exp(-(strength * x - 1.2)))
    y = (rng.random(n) < p).astype(float)
    features = pd.DataFrame({"x": x, "noise": rng.normal(size=n)})
    dates = pd.Series(pd.date_range("2026-01-01", periods=n, freq="h")) if dated else None
    return CsvTable(raw=features, features=features, y=y, ids=None, dates=dates), p


def test_the_policy_reaches_its_target_on_unseen_rows_near_what_true_probabilities_reach() -> None:
    table, true_p = _table(4000, 1, 3.0, dated=True)
    result = evaluate_csv(table, ae_handoff_score=65, config=QUICK, policy=GOAL)
    policy = result.summary["policy"]
    test = result.test_index
    assert policy["met_on_validation"] and policy["handoffs"] >= GOAL.min_handoffs
    volume = policy["handoffs"]
    true_precision = float(np.sort(true_p[test])[::-1][:volume].mean())
    assert policy["handoff_precision"] >= GOAL.target_precision - 0.05
    assert abs(policy["handoff_precision"] - true_precision) < 0.08
    assert policy["verdict"].startswith("target")
    assert len(policy["thresholds"]) == 1 and policy["validation_lower_bounds"][0] >= GOAL.target_precision


def test_without_signal_the_policy_says_the_fixed_threshold_was_kept() -> None:
    table, _ = _table(1500, 2, 0.0, dated=False)
    policy = evaluate_csv(table, folds=3, ae_handoff_score=65, config=QUICK, policy=GOAL).summary["policy"]
    assert not policy["met_on_validation"]
    assert policy["verdict"].startswith("no volume reached the target")
    assert len(policy["thresholds"]) == 3 and set(policy["thresholds"]) == {0.65}


def test_the_policy_is_chosen_on_the_newest_quarter_of_the_training_rows_only() -> None:
    table, _ = _table(400, 3, 1.0, dated=True)
    ((train, test),) = split_positions(table, 5, seed=0)
    fit, valid = policy_positions(table, train, seed=0)
    assert len(valid) == 80 and set(fit) | set(valid) == set(train) and not set(valid) & set(test)
    assert table.dates is not None and table.dates.iloc[fit].max() < table.dates.iloc[valid].min()


def test_without_a_policy_the_summary_has_only_the_fixed_threshold() -> None:
    table, _ = _table(600, 4, 2.0, dated=False)
    assert "policy" not in evaluate_csv(table, folds=2, config=QUICK).summary
