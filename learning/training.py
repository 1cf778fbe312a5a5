"""LightGBM training shared by production retraining and CSV history evaluation.

`fit_binary` takes rows already in time order and splits them into fit / validation / calibration slices
(oldest to newest). A small, bounded grid of parameters is tried with early stopping on the validation slice
and ranked by validation ROC-AUC; the winner is refitted on fit + validation and calibrated on the untouched
calibration slice: Platt (and isotonic from `isotonic_min_rows` rows) are compared with the booster's own
probabilities by cross-fitted Brier score on that slice; a calibrator is kept only if it improves on them by
at least 1% (smaller gains are noise that does not survive out of sample). When no calibrator is kept, the
calibration slice has done its job and the booster is refitted once more on every row (rounds scaled to the
row count), so the newest rows also shape the model. Class imbalance is handled on purpose:
when positives are rare (or dominant), the grid also tries up-weighting the minority class by the square root
of the class ratio; since that distorts raw probabilities, calibration always runs on unweighted, held-out
data. Everything is seeded and single-order, so the same data and seed give the same model.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lightgbm
import numpy as np
import pandas as pd
import structlog

from learning import metrics
from scoring.calibration import IdentityCalibrator, IsotonicCalibrator, PlattCalibrator, sigmoid

log = structlog.get_logger(__name__)

Progress = Callable[[str], None]
AnyCalibrator = IdentityCalibrator | PlattCalibrator | IsotonicCalibrator

BASE_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "cat_smooth": 10.0,
    "cat_l2": 10.0,
    "max_cat_to_onehot": 8,
    "verbosity": -1,
    "deterministic": True,
    "force_col_wise": True,
}
CALIBRATION_FOLDS = 5
CALIBRATION_MIN_GAIN = 0.01  # relative Brier improvement a calibrator must show to replace raw probabilities
GRID: tuple[dict[str, Any], ...] = (
    {"num_leaves": 15, "min_data_in_leaf": 20, "feature_fraction": 0.5, "lambda_l2": 10.0},
    {"num_leaves": 31, "min_data_in_leaf": 20},
    {"num_leaves": 7, "min_data_in_leaf": 40, "feature_fraction": 0.5},
    {"num_leaves": 63, "min_data_in_leaf": 100, "feature_fraction": 0.6},
)


class TrainingError(ValueError):
    """The data cannot produce a trustworthy model (too few rows, one class only); the message says why."""


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of one training run; defaults suit production, tests shrink rounds and trials."""

    seed: int = 42
    max_rounds: int = 2000
    early_stopping_rounds: int = 50
    max_trials: int = 4
    valid_fraction: float = 0.15
    calibration_fraction: float = 0.15
    isotonic_min_rows: int = 5000
    imbalance_threshold: float = 0.25
    num_threads: int = 2
    min_rows: int = 10


@dataclass
class BinaryFit:
    """A fitted booster with its calibrator and how it was chosen."""

    booster: lightgbm.Booster
    calibrator: AnyCalibrator
    params: dict[str, Any]
    best_iteration: int
    metrics: dict[str, float | None] = field(default_factory=dict)
    trials: list[dict[str, Any]] = field(default_factory=list)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Calibrated probabilities for a frame with the training columns."""
        return self.calibrator.transform(np.asarray(self.booster.predict(X, raw_score=True), dtype=np.float64))


def slice_bounds(n: int, config: TrainConfig) -> tuple[int, int]:
    """End positions of the fit and validation slices (the rest, newest, is for calibration)."""
    n_cal = max(1, int(n * config.calibration_fraction)) if n >= 20 else 0
    n_valid = max(1, int(n * config.valid_fraction)) if n >= 20 else 0
    return n - n_cal - n_valid, n - n_cal


def _check_labels(y: np.ndarray, config: TrainConfig, what: str) -> None:
    if len(y) < config.min_rows:
        raise TrainingError(f"{what}: {len(y)} labelled rows, need at least {config.min_rows}")
    positives = int(np.sum(y > 0.5))
    if positives == 0 or positives == len(y):
        raise TrainingError(f"{what}: all {len(y)} labels are {'positive' if positives else 'negative'}")


def _params(grid_entry: dict[str, Any], n_fit: int, pos_weight: float, config: TrainConfig) -> dict[str, Any]:
    params = {**BASE_PARAMS, **grid_entry, "seed": config.seed, "num_threads": config.num_threads}
    params["min_data_in_leaf"] = max(2, min(int(params["min_data_in_leaf"]), n_fit // 10))
    params["min_data_per_group"] = max(2, min(100, n_fit // 20))
    params["scale_pos_weight"] = pos_weight
    return params


def _weight_options(y: np.ndarray, w: np.ndarray, config: TrainConfig, can_calibrate: bool) -> list[float]:
    rate = float(np.sum(w * y) / np.sum(w))
    if not can_calibrate or config.imbalance_threshold <= rate <= 1 - config.imbalance_threshold:
        return [1.0]
    ratio = (1 - rate) / rate
    return [1.0, round(math.sqrt(ratio), 3)]


def _dataset(X: pd.DataFrame, y: np.ndarray, w: np.ndarray, reference: lightgbm.Dataset | None = None) -> Any:
    return lightgbm.Dataset(
        X, label=y, weight=w, reference=reference, free_raw_data=False, params={"feature_pre_filter": False}
    )


def _cross_fitted_brier(
    kind: type[PlattCalibrator | IsotonicCalibrator], margin: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int
) -> float:
    folds = np.random.default_rng(seed).permutation(len(y)) % CALIBRATION_FOLDS
    p = np.empty(len(y))
    for k in range(CALIBRATION_FOLDS):
        train, test = folds != k, folds == k
        if len(np.unique(y[train])) < 2:
            return math.inf
        p[test] = kind().fit(margin[train], y[train], sample_weight=w[train]).transform(margin[test])
    return metrics.brier(y, p, w) or math.inf


def fit_calibrator(margin: np.ndarray, y: np.ndarray, w: np.ndarray, config: TrainConfig) -> AnyCalibrator:
    """Keep the booster's own probabilities unless a calibrator lowers the cross-fitted Brier score on the
    held-out slice (so calibration never makes probabilities worse than the uncalibrated model's)."""
    identity = IdentityCalibrator().fit(margin, y)
    if len(y) < 2 * CALIBRATION_FOLDS or len(np.unique(y)) < 2:
        return identity
    kinds: list[type[PlattCalibrator | IsotonicCalibrator]] = [PlattCalibrator]
    if len(y) >= config.isotonic_min_rows:
        kinds.append(IsotonicCalibrator)
    scores = {kind: _cross_fitted_brier(kind, margin, y, w, config.seed) for kind in kinds}
    best = min(scores, key=scores.__getitem__)
    if scores[best] >= (1.0 - CALIBRATION_MIN_GAIN) * (metrics.brier(y, sigmoid(margin), w) or math.inf):
        return identity
    return best().fit(margin, y, sample_weight=w)


def _search(
    candidates: list[tuple[dict[str, Any], float]],
    train_set: lightgbm.Dataset,
    y_fit: np.ndarray,
    valid_set: lightgbm.Dataset,
    X_valid: pd.DataFrame,
    y_valid: np.ndarray,
    w_valid: np.ndarray,
    config: TrainConfig,
    name: str,
    progress: Progress | None,
) -> tuple[tuple[float, dict[str, Any], int], list[dict[str, Any]]]:
    """Try each candidate with early stopping; return (best AUC, params, rounds) and the trial log."""
    best: tuple[float, dict[str, Any], int] | None = None
    trials: list[dict[str, Any]] = []
    for trial, (entry, pos_weight) in enumerate(candidates, start=1):
        params = _params(entry, len(y_fit), pos_weight, config)
        booster = lightgbm.train(
            params,
            train_set,
            num_boost_round=config.max_rounds,
            valid_sets=[valid_set],
            callbacks=[lightgbm.early_stopping(config.early_stopping_rounds, verbose=False)],
        )
        rounds = max(1, booster.best_iteration or config.max_rounds)
        auc = metrics.roc_auc(y_valid, booster.predict(X_valid, num_iteration=rounds), w_valid) or 0.0
        trials.append({"trial": trial, "params": entry, "scale_pos_weight": pos_weight, "rounds": rounds, "auc": auc})
        log.info("learning.train.trial", model=name, trial=trial, rounds=rounds, valid_auc=round(auc, 4), **entry)
        if progress is not None:
            progress(f"{name}: trial {trial}/{len(candidates)} validation AUC {auc:.4f} after {rounds} rounds")
        if best is None or auc > best[0]:
            best = (auc, params, rounds)
    if best is None:
        raise TrainingError(f"{name}: no hyper-parameter candidates to try")
    return best, trials


def fit_binary(
    X: pd.DataFrame,
    y: np.ndarray,
    w: np.ndarray | None = None,
    *,
    config: TrainConfig | None = None,
    name: str = "model",
    progress: Progress | None = None,
) -> BinaryFit:
    """Train one calibrated binary model on time-ordered rows (oldest first); TrainingError on unusable data."""
    config = config or TrainConfig()
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(y) if w is None else np.asarray(w, dtype=np.float64)
    _check_labels(y, config, name)
    n = len(y)
    fit_end, valid_end = slice_bounds(n, config)
    fit, valid, cal = slice(0, fit_end), slice(fit_end, valid_end), slice(valid_end, n)
    can_validate = len(np.unique(y[valid])) == 2 and len(np.unique(y[fit])) == 2
    can_calibrate = len(np.unique(y[cal])) == 2
    if not can_validate:
        fit = slice(0, valid_end)
    options = _weight_options(y[fit], w[fit], config, can_calibrate)
    candidates = [(entry, pw) for entry in GRID for pw in options][: max(1, config.max_trials)]
    train_set = _dataset(X.iloc[fit], y[fit], w[fit])
    if can_validate:
        valid_set = _dataset(X.iloc[valid], y[valid], w[valid], reference=train_set)
        best, trials = _search(
            candidates, train_set, y[fit], valid_set, X.iloc[valid], y[valid], w[valid], config, name, progress
        )
    else:
        best, trials = (float("nan"), _params(GRID[0], fit.stop, 1.0, config), min(100, config.max_rounds)), []
    _, params, rounds = best
    refit = slice(0, valid_end)
    scale = (refit.stop - refit.start) / max(1, fit.stop - fit.start)
    final_rounds = max(1, round(rounds * scale))
    booster = lightgbm.train(params, _dataset(X.iloc[refit], y[refit], w[refit]), num_boost_round=final_rounds)
    has_cal = cal.stop > cal.start
    margin = np.asarray(booster.predict(X.iloc[cal], raw_score=True) if has_cal else [], dtype=np.float64)
    calibrator = fit_calibrator(margin, y[cal], w[cal], config)
    raw_p, cal_p = sigmoid(margin), calibrator.transform(margin)
    if has_cal and calibrator.method == IdentityCalibrator.method:
        final_rounds = max(1, round(rounds * n / max(1, fit.stop - fit.start)))
        booster = lightgbm.train(params, _dataset(X, y, w), num_boost_round=final_rounds)
        refit = slice(0, n)
    fit_metrics = {
        "valid_auc": best[0] if can_validate else None,
        "calibration_rows": float(cal.stop - cal.start),
        "calibration_brier_raw": metrics.brier(y[cal], raw_p, w[cal]) if has_cal else None,
        "calibration_brier": metrics.brier(y[cal], cal_p, w[cal]) if has_cal else None,
        "rounds": float(final_rounds),
        "refit_rows": float(refit.stop - refit.start),
    }
    log.info("learning.train.fitted", model=name, rows=n, rounds=final_rounds, calibrator=calibrator.method)
    if progress is not None:
        progress(f"{name}: refitted {final_rounds} rounds on {refit.stop} rows, calibrated ({calibrator.method})")
    params = {**params, "num_boost_round": final_rounds, "calibration": calibrator.method}
    return BinaryFit(booster, calibrator, params, final_rounds, fit_metrics, trials)
