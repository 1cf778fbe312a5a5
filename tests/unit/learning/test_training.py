"""fit_binary: deterministic, refuses unusable labels, handles imbalance, calibrates without harm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from learning import metrics
from learning.training import TrainConfig, TrainingError, fit_binary

FAST = TrainConfig(max_rounds=60, early_stopping_rounds=10, max_trials=2, num_threads=1)


def _data(n: int, rate_shift: float = 0.0, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], size=n)
    logit = 1.5 * x + (colour == "red") - 0.5 + rate_shift
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    frame = pd.DataFrame({"x": x, "noise": rng.normal(size=n), "colour": pd.Categorical(colour)})
    return frame, y


def test_same_data_same_seed_same_model() -> None:
    X, y = _data(600)
    first, second = fit_binary(X, y, config=FAST), fit_binary(X, y, config=FAST)
    assert np.array_equal(first.predict_proba(X), second.predict_proba(X))
    assert first.trials == second.trials and len(first.trials) == 2


def test_learns_the_signal() -> None:
    X, y = _data(1200)
    fit = fit_binary(X.iloc[:900], y[:900], config=FAST)
    assert metrics.roc_auc(y[900:], fit.predict_proba(X.iloc[900:])) > 0.75


def test_one_class_or_too_few_rows_is_refused() -> None:
    X, y = _data(50)
    with pytest.raises(TrainingError, match="all 50 labels are negative"):
        fit_binary(X, np.zeros(50), config=FAST)
    with pytest.raises(TrainingError, match="5 labelled rows, need at least 10"):
        fit_binary(X.iloc[:5], y[:5], config=FAST)


def test_rare_positives_try_minority_up_weighting() -> None:
    X, y = _data(1500, rate_shift=-3.0)
    assert y.mean() < 0.15
    fit = fit_binary(X, y, config=FAST)
    weights = sorted({t["scale_pos_weight"] for t in fit.trials})
    rate = y[:1050].mean()
    assert weights[0] == 1.0 and weights[1] == pytest.approx(np.sqrt((1 - rate) / rate), rel=0.01)


def test_calibration_never_worse_than_raw_on_its_slice() -> None:
    X, y = _data(1500, rate_shift=-2.0)
    fit = fit_binary(X, y, config=FAST)
    assert fit.metrics["calibration_brier"] <= fit.metrics["calibration_brier_raw"] + 1e-9


def test_tiny_data_trains_without_validation() -> None:
    X, y = _data(16, seed=3)
    fit = fit_binary(X, y, config=FAST)
    assert fit.trials == [] and fit.calibrator.method == "none"


def test_refit_uses_every_row_unless_a_calibrator_needs_the_held_out_slice() -> None:
    X, y = _data(1500)
    fit = fit_binary(X, y, config=FAST)
    calibrated = fit.calibrator.method != "none"
    assert fit.metrics["refit_rows"] == (1275 if calibrated else 1500)
    assert fit.params["num_boost_round"] == fit.best_iteration
