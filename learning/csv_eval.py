"""`fellow learn evaluate-csv`: how well would the production training code do on a CRM export?

Stratified k-fold cross-validation, or, with a date column, train on the oldest 80% and test on the newest
20%. Each training set goes through `fit_binary` (the production search, early stopping and calibration).
Handoffs are judged twice on the test rows: by the configured AE_HANDOFF score threshold, and by the handoff
policy the product would choose (`learning.policy.choose_point`), which never sees the test rows: a second model
is fitted on the older three quarters of each training set and the policy is chosen on its newest quarter (a
stratified quarter without dates), as production chooses it on the newest validated slice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split

from learning import metrics
from learning.csv_data import CsvTable
from learning.policy import choose_point
from learning.training import BinaryFit, TrainConfig, fit_binary
from scoring.calibration import sigmoid
from scoring.config import PolicyConfig
from scoring.policy import OperatingPoint

CHANCE_AUC = 0.6
BASE_RATE_DRIFT = 0.05


@dataclass
class CsvEvaluation:
    """Out-of-sample figures (`summary` is what the CLI prints) plus supporting details and warnings."""

    summary: dict[str, Any]
    details: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    probabilities: np.ndarray | None = None
    test_index: np.ndarray | None = None


def handoff_mask(probabilities: np.ndarray, ae_handoff_score: int) -> np.ndarray:
    """Which leads the scorer would hand off: rounded score 0-100 at or above the AE_HANDOFF threshold."""
    return np.rint(np.asarray(probabilities) * 100.0) >= ae_handoff_score


def _summary(y: np.ndarray, p: np.ndarray, ae_handoff_score: int, split: str) -> dict[str, Any]:
    handoff = handoff_mask(p, ae_handoff_score)
    return {
        "roc_auc": metrics.roc_auc(y, p),
        "pr_auc": metrics.pr_auc(y, p),
        "brier": metrics.brier(y, p),
        "handoff_precision": metrics.handoff_precision(y, handoff),
        "handoff_recall": metrics.handoff_recall(y, handoff),
        "n": len(y),
        "split": split,
    }


def split_positions(table: CsvTable, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) positions: one time split with a date column, else shuffled stratified folds."""
    if table.dates is not None:
        order = np.lexsort((np.arange(len(table.y)), table.dates.to_numpy(dtype="datetime64[ns]")))
        cut = round(len(order) * 0.8)
        return [(order[:cut], order[cut:])]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    rng = np.random.default_rng(seed)
    return [(rng.permutation(train), test) for train, test in splitter.split(np.zeros(len(table.y)), table.y)]


POLICY_SHARE = 0.25


def policy_positions(table: CsvTable, train: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(fit, validation) positions inside a training set: the newest quarter by date, else a stratified quarter."""
    if table.dates is not None:
        cut = round(len(train) * (1.0 - POLICY_SHARE))
        return train[:cut], train[cut:]
    fit, valid = train_test_split(train, test_size=POLICY_SHARE, stratify=table.y[train], random_state=seed)
    return np.asarray(fit), np.asarray(valid)


def _margin(fit: BinaryFit, table: CsvTable, rows: np.ndarray) -> np.ndarray:
    """The booster's raw scores for `rows` as a float array."""
    return np.asarray(fit.booster.predict(table.features.iloc[rows], raw_score=True), dtype=np.float64)


@dataclass(frozen=True)
class FoldPolicy:
    """The operating point chosen for one fold and which of its test rows it hands off."""

    point: OperatingPoint
    handoff: np.ndarray


def fold_policy(
    table: CsvTable, train: np.ndarray, test: np.ndarray, *, policy: PolicyConfig, ae_handoff_score: int,
    config: TrainConfig, name: str,
) -> FoldPolicy:  # fmt: skip
    """Fit on the older part of `train`, choose the policy on the rest, and apply it to `test`."""
    fit_rows, valid = policy_positions(table, train, config.seed)
    fit = fit_binary(table.features.iloc[fit_rows], table.y[fit_rows], config=config, name=f"{name} policy")
    p_valid = fit.calibrator.transform(_margin(fit, table, valid))
    p_test = fit.calibrator.transform(_margin(fit, table, test))
    point = choose_point(
        table.y[valid], p_valid, np.ones(len(valid)), target=policy.target_precision,
        fallback=ae_handoff_score / 100, config=policy, weeks=None,
    )  # fmt: skip
    return FoldPolicy(point, np.asarray(p_test) >= point.threshold)


def policy_summary(y: np.ndarray, folds: list[FoldPolicy], handoff: np.ndarray, policy: PolicyConfig) -> dict:
    """The policy's figures on the test rows: share handed off, precision reached against the target."""
    precision = metrics.handoff_precision(y, handoff)
    reached = sum(f.point.met for f in folds)
    met = reached == len(folds)
    if not reached:
        verdict = "no volume reached the target on any fold's validation slice; the fixed threshold was kept"
    elif not met:
        verdict = f"{reached} of {len(folds)} folds reached the target on validation; the rest kept the fixed threshold"
    elif precision is not None and precision >= policy.target_precision:
        verdict = "target reached on the test rows"
    else:
        verdict = "target promised on the validation slice but missed on the test rows"
    return {
        "target_precision": policy.target_precision,
        "met_on_validation": met,
        "handoffs": int(handoff.sum()),
        "handoff_share": float(handoff.mean()) if len(handoff) else None,
        "handoff_precision": precision,
        "handoff_recall": metrics.handoff_recall(y, handoff),
        "thresholds": [round(f.point.threshold, 4) for f in folds],
        "validation_lower_bounds": [f.point.precision_lower_bound for f in folds],
        "verdict": verdict,
    }


def evaluate_csv(
    table: CsvTable, *, folds: int = 5, ae_handoff_score: int = 65, config: TrainConfig | None = None,
    policy: PolicyConfig | None = None,
) -> CsvEvaluation:  # fmt: skip
    """Out-of-sample evaluation of the production trainer on a validated CSV, with the handoff policy when given."""
    config = config or TrainConfig()
    if table.dates is None and not 2 <= folds <= 20:
        raise ValueError(f"--folds must be between 2 and 20, got {folds}")
    y = table.y
    p = np.full(len(y), np.nan)
    raw = np.full(len(y), np.nan)
    policy_handoff = np.zeros(len(y), dtype=bool)
    fold_auc, fold_policies = [], []
    for k, (train, test) in enumerate(split_positions(table, folds, config.seed), start=1):
        fit = fit_binary(table.features.iloc[train], y[train], config=config, name=f"csv fold {k}")
        margin = _margin(fit, table, test)
        p[test], raw[test] = fit.calibrator.transform(margin), sigmoid(margin)
        fold_auc.append(metrics.roc_auc(y[test], p[test]))
        if policy is not None:
            chosen = fold_policy(
                table, train, test, policy=policy, ae_handoff_score=ae_handoff_score, config=config,
                name=f"csv fold {k}",
            )  # fmt: skip
            policy_handoff[test] = chosen.handoff
            fold_policies.append(chosen)
    tested = ~np.isnan(p)
    split = (
        "time: oldest 80% train, newest 20% test"
        if table.dates is not None
        else f"stratified {folds}-fold cross-validation"
    )
    summary = _summary(y[tested], p[tested], ae_handoff_score, split)
    if policy is not None:
        summary["policy"] = policy_summary(y[tested], fold_policies, policy_handoff[tested], policy)
    details: dict[str, Any] = {
        "brier_uncalibrated": metrics.brier(y[tested], raw[tested]),
        "fold_roc_auc": fold_auc,
        "base_rate": metrics.base_rate(y),
    }
    warnings = []
    auc = summary["roc_auc"]
    if auc is None or auc < CHANCE_AUC:
        warnings.append(
            f"ROC-AUC {auc if auc is None else round(auc, 3)} is barely better than chance (0.5): "
            "these columns carry little signal about the outcome"
        )
    if table.dates is not None:
        train_rate, test_rate = float(np.mean(y[~tested])), float(np.mean(y[tested]))
        details |= {"train_base_rate": train_rate, "test_base_rate": test_rate}
        if abs(train_rate - test_rate) > BASE_RATE_DRIFT:
            warnings.append(
                f"base rate drifts from {train_rate:.1%} (training period) to {test_rate:.1%} (test period); "
                "figures from the older period may not hold"
            )
    return CsvEvaluation(summary, details, warnings, p, np.flatnonzero(tested))
