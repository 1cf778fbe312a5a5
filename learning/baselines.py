"""Baselines on the same folds as `evaluate_csv`, so model figures are always reported next to what a simple,
well-understood model (logistic regression) and a lightly tuned plain LightGBM achieve on the same data in the
same run."""

from __future__ import annotations

from collections.abc import Sequence

import lightgbm
import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from learning import metrics
from learning.csv_data import CsvTable

TUNING_GRID: tuple[dict[str, float], ...] = tuple(
    {"num_leaves": leaves, "min_data_in_leaf": min_leaf, "feature_fraction": fraction}
    for leaves in (7, 15, 31)
    for min_leaf in (20, 50)
    for fraction in (0.5, 0.9)
)
INNER_FOLDS = 3
PLAIN_PARAMS: dict[str, object] = {
    "objective": "binary",
    "metric": "auc",
    "learning_rate": 0.05,
    "verbosity": -1,
    "deterministic": True,
    "num_threads": 2,
}


def logistic_baseline(table: CsvTable, test_folds: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float | None]:
    """Out-of-fold ROC-AUC, PR-AUC and Brier of one-hot + standardised logistic regression."""
    categorical = [c for c in table.features.columns if str(table.features[c].dtype) == "category"]
    numeric = [c for c in table.features.columns if c not in categorical]
    frame = table.features.copy()
    for column in categorical:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), "__missing__")
    encode = ColumnTransformer(
        [
            ("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
            ("num", make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()), numeric),
        ]
    )
    p = np.full(len(table.y), np.nan)
    for train, test in test_folds:
        model = make_pipeline(encode, LogisticRegression(max_iter=2000))
        model.fit(frame.iloc[train], table.y[train])
        p[test] = model.predict_proba(frame.iloc[test])[:, 1]
    return _out_of_fold(table.y, p)


def _out_of_fold(y: np.ndarray, p: np.ndarray) -> dict[str, float | None]:
    tested = ~np.isnan(p)
    return {
        "roc_auc": metrics.roc_auc(y[tested], p[tested]),
        "pr_auc": metrics.pr_auc(y[tested], p[tested]),
        "brier": metrics.brier(y[tested], p[tested]),
    }


def tuned_lightgbm_baseline(
    table: CsvTable,
    test_folds: list[tuple[np.ndarray, np.ndarray]],
    seed: int = 0,
    grid: Sequence[dict[str, float]] = TUNING_GRID,
) -> dict[str, float | None]:
    """Out-of-fold figures of plain LightGBM tuned by nested CV: for each outer fold, every grid entry is scored
    by inner stratified CV with early stopping on the training part only; the best is refitted and tested."""
    p = np.full(len(table.y), np.nan)
    for train, test in test_folds:
        X, y = table.features.iloc[train], table.y[train]
        best: tuple[float, dict[str, object], int] = (-1.0, {}, 0)
        for entry in grid:
            params = {**PLAIN_PARAMS, "seed": seed, **entry}
            result = lightgbm.cv(
                params,
                lightgbm.Dataset(X, y),
                num_boost_round=2000,
                nfold=INNER_FOLDS,
                stratified=True,
                seed=seed,
                callbacks=[lightgbm.early_stopping(50, verbose=False)],
            )
            curve = np.asarray(result["valid auc-mean"], dtype=np.float64)
            auc, rounds = float(curve.max()), int(curve.argmax()) + 1
            if auc > best[0]:
                best = (auc, params, rounds)
        booster = lightgbm.train(best[1], lightgbm.Dataset(X, y), num_boost_round=best[2])
        p[test] = booster.predict(table.features.iloc[test])
    return _out_of_fold(table.y, p)
