"""Choose the handoff policy from outcomes: the largest volume whose precision reaches the target with a
confidence bound, on the newest validated slice, for AE handoffs and for HIGH_VOICE_AI alike.

Candidates are the cut-offs between distinct probabilities, ranked from the top. For each, the one-sided
Wilson lower bound of its precision (learning.metrics.rate_interval) must reach the target; the lowest such
cut-off wins (most handoffs). When none does, the policy keeps the configured score threshold and says what
precision that volume gets. An AE capacity per week, when the chosen volume exceeds it, adds a higher cut-off.
The rule-based prior is Platt-calibrated on the same slice first (kept only if that lowers the Brier score).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from learning import metrics
from learning.table import TrainingTable
from learning.training import TrainConfig, fit_calibrator
from scoring.calibration import IdentityCalibrator, logit
from scoring.config import PolicyConfig, ScoringConfig
from scoring.policy import HandoffPolicy, OperatingPoint
from scoring.scorer import Scorer


@dataclass(frozen=True)
class PrecisionCurve:
    """Per distinct probability (descending): rows, weight and weighted positives at or above it."""

    thresholds: np.ndarray
    handoffs: np.ndarray
    weight: np.ndarray
    positives: np.ndarray

    def at(self, threshold: float) -> int | None:
        """Index of the last candidate at or above `threshold` (None when no row reaches it)."""
        index = int(np.searchsorted(-self.thresholds, -threshold, side="right")) - 1
        return None if index < 0 else index


def precision_curve(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> PrecisionCurve:
    """Cumulative counts when handing off every row at or above each distinct probability."""
    order = np.argsort(-p, kind="stable")
    ps, ys, ws = p[order], y[order], w[order]
    last = np.flatnonzero(np.append(ps[1:] != ps[:-1], True)) if len(ps) else np.empty(0, dtype=np.intp)
    return PrecisionCurve(
        thresholds=ps[last],
        handoffs=last + 1,
        weight=np.cumsum(ws)[last],
        positives=np.cumsum(ws * ys)[last],
    )


def _bounds(curve: PrecisionCurve, confidence: float) -> np.ndarray:
    pairs = zip(curve.positives, curve.weight, strict=True)
    return np.array([(metrics.rate_interval(k, n, confidence) or (0.0, 1.0))[0] for k, n in pairs])


def _point(
    curve: PrecisionCurve, index: int | None, *, threshold: float, target: float, rows: int, weeks: float | None,
    confidence: float, met: bool, note: str = "",
) -> OperatingPoint:  # fmt: skip
    handoffs = 0 if index is None else int(curve.handoffs[index])
    weight, positives = (0.0, 0.0) if index is None else (curve.weight[index], curve.positives[index])
    bounds = metrics.rate_interval(positives, weight, confidence)
    return OperatingPoint(
        target=target,
        met=met,
        threshold=float(threshold),
        handoffs=handoffs,
        rows=rows,
        expected_precision=None if weight <= 0 else float(positives / weight),
        precision_lower_bound=None if bounds is None else bounds[0],
        weekly_volume=None if weeks is None else handoffs / weeks,
        note=note,
    )


def _per_week(point: OperatingPoint) -> str:
    return "" if point.weekly_volume is None else f" ({point.weekly_volume:.1f} a week)"


def choose_point(
    y: np.ndarray, p: np.ndarray, w: np.ndarray, *, target: float, fallback: float, config: PolicyConfig,
    weeks: float | None,
) -> OperatingPoint:  # fmt: skip
    """The lowest cut-off whose precision lower bound reaches `target`; else `fallback`, saying what it gets."""
    curve = precision_curve(y, p, w)
    rows, confidence = len(y), config.confidence
    lower = _bounds(curve, confidence)
    eligible = np.flatnonzero((lower >= target) & (curve.handoffs >= config.min_handoffs))
    if eligible.size:
        k = int(eligible[-1])
        point = _point(
            curve, k, threshold=curve.thresholds[k], target=target, rows=rows, weeks=weeks, confidence=confidence,
            met=True,
        )  # fmt: skip
        note = (
            f"Hands off leads from {point.threshold:.0%}: {point.handoffs} of {rows}{_per_week(point)} at "
            f"{point.expected_precision:.0%} precision, at least {point.precision_lower_bound:.0%} with "
            f"{confidence:.0%} confidence (target {target:.0%})."
        )
        return point.model_copy(update={"note": note})
    point = _point(
        curve, curve.at(fallback), threshold=fallback, target=target, rows=rows, weeks=weeks, confidence=confidence,
        met=False,
    )  # fmt: skip
    judged = lower[curve.handoffs >= config.min_handoffs]
    best = f"; the best is {judged.max():.0%}" if judged.size else ""
    precision = "no precision" if point.expected_precision is None else f"{point.expected_precision:.0%} precision"
    note = (
        f"No volume reaches {target:.0%} precision with {confidence:.0%} confidence on {rows} leads{best}. "
        f"The current cut-off {fallback:.0%} hands off {point.handoffs}{_per_week(point)} at {precision}."
    )
    return point.model_copy(update={"note": note})


def capacity_point(
    y: np.ndarray, p: np.ndarray, w: np.ndarray, chosen: OperatingPoint, *, config: PolicyConfig, weeks: float | None
) -> OperatingPoint | None:
    """A higher cut-off when `chosen` hands off more a week than AEs can take (None when capacity does not bind)."""
    capacity = config.capacity_per_week
    if capacity is None or weeks is None or chosen.weekly_volume is None or chosen.weekly_volume <= capacity:
        return None
    curve = precision_curve(y, p, w)
    fits = np.flatnonzero(curve.handoffs <= capacity * weeks)
    index = int(fits[-1]) if fits.size else None
    threshold = float(curve.thresholds[index]) if index is not None else float(np.nextafter(curve.thresholds[0], 2))
    point = _point(
        curve, index, threshold=min(1.0, threshold), target=chosen.target, rows=len(y), weeks=weeks,
        confidence=config.confidence, met=False,
    )  # fmt: skip
    met = point.precision_lower_bound is not None and point.precision_lower_bound >= chosen.target
    note = (
        f"AE capacity {capacity} a week: hands off from {point.threshold:.0%}, {point.handoffs} of {len(y)}"
        f"{_per_week(point)}; leads from {chosen.threshold:.0%} up to it are held back by capacity."
    )
    return point.model_copy(update={"met": met, "note": note})


def slice_weeks(table: TrainingTable) -> float | None:
    """How many weeks the slice's label times span (at least one day), None when empty."""
    window = table.window()
    if window is None:
        return None
    return max((window[1] - window[0]).total_seconds() / 86400.0, 1.0) / 7.0


def _calibration_only(scorer: Scorer, calibration: dict) -> HandoffPolicy:
    """A policy that only calibrates (configured cut-offs), to see the prior's calibrated probabilities."""
    unmet = OperatingPoint(
        target=0.5, met=False, threshold=scorer.config.thresholds.ae_handoff / 100, handoffs=0, rows=0
    )
    return HandoffPolicy(
        model_version=scorer.model_version,
        chosen_at=datetime.now(UTC),
        confidence=0.5,
        rows=0,
        handoff=unmet,
        calibration=calibration,
    )


def choose_policy(scorer: Scorer, table: TrainingTable, config: ScoringConfig) -> HandoffPolicy:
    """The policy for `scorer`'s model version from its probabilities and the outcomes of `table`."""
    scored = scorer.score_frame(table.frame)
    y, w = table.progressed, table.weight
    p = scored["progression_probability"].to_numpy(dtype=np.float64)
    calibration = None
    if scorer.kind == "prior" and len(y):
        calibrator = fit_calibrator(logit(p), y, w, TrainConfig())
        if calibrator.method != IdentityCalibrator.method:
            calibration = calibrator.to_dict()
            scored = scorer.with_policy(_calibration_only(scorer, calibration)).score_frame(table.frame)
            p = scored["progression_probability"].to_numpy(dtype=np.float64)
    route = scored["handoff_route"].to_numpy(dtype=np.float64)
    weeks, goal = slice_weeks(table), config.policy
    handoff = choose_point(
        y, route, w, target=goal.target_precision, fallback=config.thresholds.ae_handoff / 100, config=goal, weeks=weeks
    )
    known = table.voice_known()
    v = scored["voice_route"].to_numpy(dtype=np.float64)[known]
    voice = None
    if known.any():
        voice = choose_point(
            table.voice_ai[known], v, w[known], target=goal.voice_ai_target_precision,
            fallback=config.priority.high_voice_ai_fit / 100, config=goal, weeks=weeks,
        )  # fmt: skip
    return HandoffPolicy(
        model_version=scorer.model_version,
        chosen_at=datetime.now(UTC),
        confidence=goal.confidence,
        rows=len(y),
        handoff=handoff,
        capacity=capacity_point(y, route, w, handoff, config=goal, weeks=weeks),
        voice_ai=voice,
        base_rate=metrics.base_rate(y, w),
        brier=metrics.brier(y, p, w),
        base_rate_brier=metrics.base_rate_brier(y, w),
        calibration=calibration,
    )
