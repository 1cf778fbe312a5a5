"""Population stability (PSI) per feature and for the score distribution, plus the drift verdict.

A reference profile (bin edges or levels and the share of rows per bin, missing values in their own bin) is
stored with every trained version; the daily check bins the current population the same way.
PSI = sum((actual - expected) * ln(actual / expected)) with shares floored at `EPSILON`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from config.sections import LearningSection
from scoring.features import FEATURES

EPSILON = 1e-4
SCORE_EDGES = tuple(round(x, 1) for x in np.linspace(0.0, 1.0, 11))
Severity = Literal["ok", "warn", "alert", "critical"]
_RANK: dict[str, int] = {"ok": 0, "warn": 1, "alert": 2, "critical": 3}


def _numeric_shares(values: np.ndarray, edges: list[float]) -> list[float]:
    missing = np.isnan(values)
    counts = (
        np.histogram(values[~missing], bins=[-np.inf, *edges, np.inf])[0].tolist() if edges else [int((~missing).sum())]
    )
    total = max(1, len(values))
    return [c / total for c in counts] + [float(missing.sum()) / total]


def _category_shares(column: pd.Series, levels: list[str]) -> list[float]:
    total = max(1, len(column))
    counts = column.astype(object).value_counts(dropna=True)
    shares = [float(counts.get(level, 0)) / total for level in levels]
    return [*shares, float(column.isna().sum()) / total]


def reference_profile(frame: pd.DataFrame, scores: np.ndarray) -> dict[str, Any]:
    """Bins and shares of every feature and of the predicted progression probability on the training rows."""
    features: dict[str, Any] = {}
    for spec in FEATURES:
        column = frame[spec.name]
        if spec.kind == "category":
            levels = [str(x) for x in spec.levels]
            features[spec.name] = {"levels": levels, "shares": _category_shares(column, levels)}
        else:
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            known = values[~np.isnan(values)]
            edges = sorted(set(np.quantile(known, np.linspace(0.1, 0.9, 9)).round(6).tolist())) if known.size else []
            features[spec.name] = {"edges": edges, "shares": _numeric_shares(values, edges)}
    return {"features": features, "score": {"edges": list(SCORE_EDGES[1:-1]), "shares": score_shares(scores)}}


def score_shares(scores: np.ndarray) -> list[float]:
    """Shares of probabilities in ten equal-width bins (plus an always-empty missing bin for symmetry)."""
    return _numeric_shares(np.asarray(scores, dtype=np.float64), list(SCORE_EDGES[1:-1]))


def psi(expected: list[float], actual: list[float]) -> float:
    """Population stability index between two share vectors of equal length."""
    e = np.maximum(np.asarray(expected, dtype=np.float64), EPSILON)
    a = np.maximum(np.asarray(actual, dtype=np.float64), EPSILON)
    if e.shape != a.shape:
        raise ValueError(f"PSI needs equally binned shares, got {e.shape} and {a.shape}")
    return float(np.sum((a - e) * np.log(a / e)))


def feature_psi(reference: dict[str, Any], frame: pd.DataFrame) -> dict[str, float]:
    """PSI of each profiled feature between the reference and the current frame."""
    out: dict[str, float] = {}
    for name, profile in reference.get("features", {}).items():
        if name not in frame.columns:
            continue
        if "levels" in profile:
            current = _category_shares(frame[name], profile["levels"])
        else:
            current = _numeric_shares(frame[name].to_numpy(dtype=np.float64, na_value=np.nan), profile["edges"])
        out[name] = round(psi(profile["shares"], current), 6)
    return out


def psi_severity(value: float, learning: LearningSection) -> Severity:
    """ok / warn / alert by the configured PSI thresholds."""
    if value >= learning.psi_alert:
        return "alert"
    return "warn" if value >= learning.psi_warn else "ok"


def precision_severity(precision: float | None, baseline: float | None, learning: LearningSection) -> Severity:
    """Rolling handoff precision against the configured floors and the champion's evaluated precision."""
    if precision is None:
        return "ok"
    if precision < learning.critical_accuracy_threshold:
        return "critical"
    if precision < learning.accuracy_threshold:
        return "warn"
    if baseline is not None and baseline - precision >= learning.decline_threshold:
        return "alert"
    return "ok"


@dataclass
class DriftReport:
    """The outcome of one drift check."""

    model_version: str | None
    n_current: int
    n_scores: int
    feature_psi: dict[str, float] = field(default_factory=dict)
    score_psi: float | None = None
    rolling_precision: float | None = None
    rolling_precision_n: int = 0
    baseline_precision: float | None = None
    findings: list[str] = field(default_factory=list)
    severity: Severity = "ok"
    retrain_recommended: bool = False

    def raise_to(self, severity: Severity, finding: str) -> None:
        """Record a finding and keep the worst severity seen."""
        self.findings.append(finding)
        if _RANK[severity] > _RANK[self.severity]:
            self.severity = severity

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, features sorted by PSI (largest first)."""
        ranked = dict(sorted(self.feature_psi.items(), key=lambda item: -item[1]))
        return {
            "model_version": self.model_version,
            "n_current": self.n_current,
            "n_scores": self.n_scores,
            "feature_psi": ranked,
            "score_psi": self.score_psi,
            "rolling_handoff_precision": self.rolling_precision,
            "rolling_handoff_precision_n": self.rolling_precision_n,
            "baseline_handoff_precision": self.baseline_precision,
            "severity": self.severity,
            "retrain_recommended": self.retrain_recommended,
            "findings": self.findings,
        }


def assess(report: DriftReport, learning: LearningSection) -> DriftReport:
    """Turn the measured PSIs and rolling precision into findings, a severity and a retrain recommendation."""
    for name, value in report.feature_psi.items():
        level = psi_severity(value, learning)
        if level != "ok":
            report.raise_to(level, f"feature {name} shifted (PSI {value:.3f})")
    if report.score_psi is not None and psi_severity(report.score_psi, learning) != "ok":
        report.raise_to(
            psi_severity(report.score_psi, learning), f"score distribution shifted (PSI {report.score_psi:.3f})"
        )
    level = precision_severity(report.rolling_precision, report.baseline_precision, learning)
    if level != "ok" and report.rolling_precision is not None:
        report.raise_to(
            level, f"rolling handoff precision {report.rolling_precision:.1%} over {report.rolling_precision_n} leads"
        )
    report.retrain_recommended = report.severity in ("alert", "critical")
    return report
