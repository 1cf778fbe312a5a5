"""The handoff policy on generated leads whose true progression probabilities are known."""

from __future__ import annotations

import numpy as np
import pytest

from learning import metrics
from learning.policy import capacity_point, choose_point, precision_curve
from scoring.config import PolicyConfig

GOAL = PolicyConfig(target_precision=0.85, voice_ai_target_precision=0.9, confidence=0.9, min_handoffs=10)


def _world(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """True probabilities (a calibrated model sees them exactly) and outcomes drawn from them."""
    rng = np.random.default_rng(seed)
    p = rng.beta(1.0, 1.5, size=n)
    return p, (rng.random(n) < p).astype(float)


def _true_precision(threshold: float, population: np.ndarray) -> float:
    return float(population[population >= threshold].mean())


def test_chosen_point_meets_the_target_in_the_population_within_its_confidence() -> None:
    population, _ = _world(999, 200_000)
    true, naive_true = [], []
    for seed in range(30):
        p, y = _world(seed, 3000)
        point = choose_point(y, p, np.ones_like(y), target=0.85, fallback=0.65, config=GOAL, weeks=10.0)
        assert point.met and point.precision_lower_bound >= 0.85 and point.handoffs >= GOAL.min_handoffs
        true.append(_true_precision(point.threshold, population))
        curve = precision_curve(y, p, np.ones_like(y))
        naive = np.flatnonzero(curve.positives / curve.weight >= 0.85)[-1]
        naive_true.append(_true_precision(float(curve.thresholds[naive]), population))
    hits = np.mean(np.array(true) >= 0.85)
    assert hits >= 0.8, f"the target holds in the population for {hits:.0%} of slices"
    assert min(true) >= 0.82
    assert np.mean(np.array(naive_true) >= 0.85) < hits - 0.2, "the point estimate alone would over-promise"


def test_an_unreachable_target_keeps_the_current_volume_and_says_what_it_gets() -> None:
    rng = np.random.default_rng(1)
    p = rng.random(500)
    y = (rng.random(500) < 0.3).astype(float)  # outcomes independent of the score: nothing reaches 85%
    point = choose_point(y, p, np.ones_like(y), target=0.85, fallback=0.65, config=GOAL, weeks=5.0)
    assert not point.met and point.threshold == 0.65
    assert point.handoffs == int((p >= 0.65).sum())
    assert point.expected_precision == pytest.approx(y[p >= 0.65].mean())
    assert "No volume reaches 85% precision" in point.note and f"{point.expected_precision:.0%}" in point.note
    assert point.weekly_volume == pytest.approx(point.handoffs / 5.0)


def test_capacity_raises_the_cut_off_only_when_it_binds() -> None:
    p, y = _world(3, 600)
    w = np.ones_like(y)
    chosen = choose_point(y, p, w, target=0.85, fallback=0.65, config=GOAL, weeks=10.0)
    assert capacity_point(y, p, w, chosen, config=GOAL, weeks=10.0) is None
    tight = GOAL.model_copy(update={"capacity_per_week": 2})
    capped = capacity_point(y, p, w, chosen, config=tight, weeks=10.0)
    assert capped is not None and capped.threshold > chosen.threshold
    assert capped.handoffs <= 20 and capped.weekly_volume <= 2


def test_rate_interval_brackets_the_rate_and_narrows_with_more_leads() -> None:
    small, large = metrics.rate_interval(9, 10, 0.9), metrics.rate_interval(900, 1000, 0.9)
    assert small[0] < 0.9 < small[1] and large[0] < 0.9 < large[1]
    assert large[1] - large[0] < small[1] - small[0]
    assert metrics.rate_interval(0, 0, 0.9) is None
