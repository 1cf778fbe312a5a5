"""The single definition of every model-quality and business metric (DESIGN.md "Business metrics").

Evaluation, the promotion gate, drift checks, the dashboard and the Slack report all import these functions,
so "handoff precision" means the same thing everywhere. Undefined values (no handoffs, one class only) are
None rather than a misleading 0. Weights are optional everywhere; without them every lead counts once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

ArrayLike = Sequence[float] | Sequence[bool] | np.ndarray


def _arrays(y_true: ArrayLike, other: ArrayLike, weights: ArrayLike | None) -> tuple[np.ndarray, ...]:
    y = np.asarray(y_true, dtype=np.float64)
    x = np.asarray(other, dtype=np.float64)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=np.float64)
    if not y.shape == x.shape == w.shape or y.ndim != 1:
        raise ValueError(f"metric inputs must be 1-d and equally long, got {y.shape}, {x.shape}, {w.shape}")
    return y, x, w


def _ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator <= 0 else float(numerator / denominator)


def handoff_precision(progressed: ArrayLike, handed_off: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Share of AE_HANDOFF leads that progressed ("accuracy" in the original brief; target 85%+)."""
    y, h, w = _arrays(progressed, handed_off, weights)
    return _ratio(float(np.sum(w * y * h)), float(np.sum(w * h)))


def rejection_rate(progressed: ArrayLike, handed_off: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """1 - handoff precision: share of handed-off leads the AE rejects (target below 15%)."""
    precision = handoff_precision(progressed, handed_off, weights)
    return None if precision is None else 1.0 - precision


def handoff_recall(progressed: ArrayLike, handed_off: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Share of progressing leads that were handed off."""
    y, h, w = _arrays(progressed, handed_off, weights)
    return _ratio(float(np.sum(w * y * h)), float(np.sum(w * y)))


def ae_time_saved(progressed: ArrayLike, handed_off: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Share of non-progressing leads kept away from AEs, compared with handing off every lead."""
    y, h, w = _arrays(progressed, handed_off, weights)
    return _ratio(float(np.sum(w * (1 - y) * (1 - h))), float(np.sum(w * (1 - y))))


def voice_ai_precision(voice_ai: ArrayLike, flagged: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Share of leads flagged HIGH_VOICE_AI that were real Voice AI opportunities (target 90%+)."""
    y, f, w = _arrays(voice_ai, flagged, weights)
    return _ratio(float(np.sum(w * y * f)), float(np.sum(w * f)))


def roc_auc(y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Area under the ROC curve; None when only one class is present."""
    y, p, w = _arrays(y_true, prob, weights)
    if len(np.unique(y)) < 2:
        return None
    return float(roc_auc_score(y, p, sample_weight=w))


def pr_auc(y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Area under the precision-recall curve (average precision); None without positives."""
    y, p, w = _arrays(y_true, prob, weights)
    if not np.any(y > 0) or len(np.unique(y)) < 2:
        return None
    return float(average_precision_score(y, p, sample_weight=w))


def brier(y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Mean squared error of the probabilities (lower is better); None on empty input."""
    y, p, w = _arrays(y_true, prob, weights)
    return _ratio(float(np.sum(w * (p - y) ** 2)), float(np.sum(w)))


def base_rate(y_true: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Weighted share of positives."""
    y, _, w = _arrays(y_true, y_true, weights)
    return _ratio(float(np.sum(w * y)), float(np.sum(w)))


def rate_interval(successes: float, total: float, confidence: float) -> tuple[float, float] | None:
    """One-sided Wilson score bounds (lower, upper) of a rate, each holding with `confidence`; None if empty.

    Used for a precision we can promise (the handoff policy) and for whether outcomes contradict a rule.
    """
    if total <= 0:
        return None
    z = NormalDist().inv_cdf(confidence)
    rate = min(1.0, max(0.0, successes / total))
    denominator = 1.0 + z * z / total
    centre = rate + z * z / (2.0 * total)
    margin = z * math.sqrt(rate * (1.0 - rate) / total + z * z / (4.0 * total * total))
    return max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator)


def base_rate_brier(y_true: ArrayLike, weights: ArrayLike | None = None) -> float | None:
    """Brier score of always predicting the base rate: the bar any shown probability must beat."""
    rate = base_rate(y_true, weights)
    return None if rate is None else brier(y_true, np.full(len(np.asarray(y_true)), rate), weights)


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram: predicted vs observed positive rate."""

    lower: float
    upper: float
    n: int
    mean_predicted: float | None
    observed_rate: float | None


def reliability_table(
    y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None, *, bins: int = 10
) -> list[ReliabilityBin]:
    """Equal-width probability bins with the mean prediction and the observed rate in each."""
    y, p, w = _arrays(y_true, prob, weights)
    edges = np.linspace(0.0, 1.0, bins + 1)
    index = np.clip(np.digitize(p, edges[1:-1], right=False), 0, bins - 1)
    table = []
    for b in range(bins):
        mask = index == b
        weight = float(np.sum(w[mask]))
        table.append(
            ReliabilityBin(
                lower=float(edges[b]),
                upper=float(edges[b + 1]),
                n=int(mask.sum()),
                mean_predicted=_ratio(float(np.sum(w[mask] * p[mask])), weight),
                observed_rate=_ratio(float(np.sum(w[mask] * y[mask])), weight),
            )
        )
    return table


def calibration_error(y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None, *, bins: int = 10) -> float:
    """Expected calibration error: weighted mean |observed - predicted| over the reliability bins."""
    y, p, w = _arrays(y_true, prob, weights)
    total = float(np.sum(w))
    if total <= 0:
        return 0.0
    error = 0.0
    index = np.clip(np.digitize(p, np.linspace(0.0, 1.0, bins + 1)[1:-1]), 0, bins - 1)
    for b in range(bins):
        mask = index == b
        error += abs(float(np.sum(w[mask] * (y[mask] - p[mask]))))
    return error / total


@dataclass(frozen=True)
class DecileLift:
    """Positive rate in one score decile (1 = highest scores) relative to the overall rate."""

    decile: int
    n: int
    min_score: float
    positive_rate: float | None
    lift: float | None


def lift_by_decile(y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None) -> list[DecileLift]:
    """Sort by score (ties broken by position), cut into ten equal groups, report each group's lift."""
    y, p, w = _arrays(y_true, prob, weights)
    if y.size == 0:
        return []
    overall = base_rate(y, w)
    order = np.argsort(-p, kind="stable")
    out = []
    for k, chunk in enumerate(np.array_split(order, min(10, y.size)), start=1):
        rate = _ratio(float(np.sum(w[chunk] * y[chunk])), float(np.sum(w[chunk])))
        lift = None if rate is None or not overall else rate / overall
        out.append(DecileLift(k, int(chunk.size), float(p[chunk].min()), rate, lift))
    return out


@dataclass(frozen=True)
class BusinessMetrics:
    """The DESIGN.md business metrics for one set of routing decisions."""

    n: int
    handed_off: int
    handoff_precision: float | None
    rejection_rate: float | None
    handoff_recall: float | None
    ae_time_saved: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        """JSON-friendly form."""
        return asdict(self)


def business_metrics(progressed: ArrayLike, handed_off: ArrayLike, weights: ArrayLike | None = None) -> BusinessMetrics:
    """All routing metrics at once for leads whose outcome is known."""
    y, h, _ = _arrays(progressed, handed_off, weights)
    return BusinessMetrics(
        n=int(y.size),
        handed_off=int(np.sum(h > 0)),
        handoff_precision=handoff_precision(y, h, weights),
        rejection_rate=rejection_rate(y, h, weights),
        handoff_recall=handoff_recall(y, h, weights),
        ae_time_saved=ae_time_saved(y, h, weights),
    )


def probability_metrics(
    y_true: ArrayLike, prob: ArrayLike, weights: ArrayLike | None = None
) -> dict[str, float | None]:
    """ROC-AUC, PR-AUC, Brier (and the base rate's), calibration error and base rate of one probability vector."""
    return {
        "roc_auc": roc_auc(y_true, prob, weights),
        "pr_auc": pr_auc(y_true, prob, weights),
        "brier": brier(y_true, prob, weights),
        "base_rate_brier": base_rate_brier(y_true, weights),
        "calibration_error": calibration_error(y_true, prob, weights),
        "base_rate": base_rate(y_true, weights),
    }
