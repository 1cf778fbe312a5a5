"""Real public lead data (SAFE columns): the production trainer beats a same-run logistic regression.

The CSV is not in the repository (licence unknown); it is read from ../shared/datasets beside the clone.
"""

from __future__ import annotations

import pytest

from bench.worlds.x_education import DATASET, load_safe
from learning.baselines import logistic_baseline
from learning.csv_eval import evaluate_csv, split_positions
from learning.training import TrainConfig

QUICK = TrainConfig(max_rounds=400, early_stopping_rounds=30, max_trials=1, num_threads=2)


@pytest.mark.skipif(not DATASET.exists(), reason=f"real dataset absent: {DATASET} (CI keeps shared/ beside the clone)")
def test_safe_columns_beat_logistic_regression(capsys: pytest.CaptureFixture[str]) -> None:
    table = load_safe()
    result = evaluate_csv(table, folds=3, config=QUICK)
    baseline = logistic_baseline(table, split_positions(table, 3, QUICK.seed))
    with capsys.disabled():
        print(f"\nX Education SAFE 3-fold: model {result.summary} | logistic regression {baseline}")
    assert result.summary["n"] == 9240
    assert result.summary["roc_auc"] > baseline["roc_auc"]
    assert result.summary["brier"] <= result.details["brier_uncalibrated"] + 1e-9
    assert result.warnings == []
