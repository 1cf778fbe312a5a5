"""A plain logistic-regression baseline on the same folds as `evaluate_csv`, so model figures are always
reported next to what a simple, well-understood model achieves on the same data in the same run."""

from __future__ import annotations

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from learning import metrics
from learning.csv_data import CsvTable


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
    tested = ~np.isnan(p)
    return {
        "roc_auc": metrics.roc_auc(table.y[tested], p[tested]),
        "pr_auc": metrics.pr_auc(table.y[tested], p[tested]),
        "brier": metrics.brier(table.y[tested], p[tested]),
    }
