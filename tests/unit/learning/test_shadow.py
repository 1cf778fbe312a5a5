"""Champion vs shadow challenger on a small known set of outcomes: ROC-AUC, Brier, handoff precision, verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from learning.shadow import MIN_SHADOW_OUTCOMES, ShadowWindow, compare_arrays, opening_comparison

START = datetime(2026, 1, 1, tzinfo=UTC)
WINDOW = ShadowWindow(START, START + timedelta(days=14))
Y = np.array([1.0, 1.0, 0.0, 0.0])
CHAMPION = (np.array([0.8, 0.4, 0.6, 0.2]), np.array([1.0, 0.0, 1.0, 0.0]))
CHALLENGER = (np.array([0.9, 0.7, 0.3, 0.1]), np.array([1.0, 1.0, 0.0, 0.0]))


def _times(arrays: tuple[np.ndarray, np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.tile(arrays[0], n), np.tile(arrays[1], n)


def test_figures_on_a_known_set() -> None:
    result = compare_arrays("v2", WINDOW, START + timedelta(days=3), Y, CHAMPION, CHALLENGER)
    assert (result.n, result.progressed, result.elapsed) == (4, 2, False)
    assert result.champion.roc_auc == pytest.approx(0.75)  # 3 of 4 progressed/rejected pairs ordered right
    assert result.champion.brier == pytest.approx(0.2)  # (0.04 + 0.36 + 0.36 + 0.04) / 4
    assert result.champion.handoff_precision == pytest.approx(0.5) and result.champion.handoffs == 2
    assert result.challenger.roc_auc == pytest.approx(1.0)
    assert result.challenger.brier == pytest.approx(0.05)  # (0.01 + 0.09 + 0.09 + 0.01) / 4
    assert result.challenger.handoff_precision == pytest.approx(1.0)
    assert not result.favours_challenger
    assert result.reasons == [f"only 4 outcomes arrived since the shadow began; at least {MIN_SHADOW_OUTCOMES} needed"]


def test_enough_outcomes_favour_the_better_side_and_say_why() -> None:
    n = MIN_SHADOW_OUTCOMES // len(Y)
    y = np.tile(Y, n)
    better = compare_arrays("v2", WINDOW, WINDOW.ends_at, y, _times(CHAMPION, n), _times(CHALLENGER, n))
    assert better.elapsed and better.favours_challenger and better.n == MIN_SHADOW_OUTCOMES
    assert better.reasons == ["ROC-AUC 1.000 vs 0.750, no worse on Brier or precision"]
    worse = compare_arrays("v2", WINDOW, WINDOW.ends_at, y, _times(CHALLENGER, n), _times(CHAMPION, n))
    assert not worse.favours_challenger
    assert worse.reasons == [
        "ROC-AUC 0.750 is below the champion's 1.000",
        "Brier 0.200 is worse than the champion's 0.050",
        "handoff precision 50% is below the champion's 100%",
    ]


def test_one_class_and_opening_comparisons_do_not_favour() -> None:
    y = np.ones(MIN_SHADOW_OUTCOMES)
    flat = (np.full(len(y), 0.5), np.ones(len(y)))
    result = compare_arrays("v2", WINDOW, WINDOW.ends_at, y, flat, flat)
    assert result.reasons == ["ROC-AUC is undefined on the shadow outcomes (one class only)"]
    opening = opening_comparison("v2", days=7, now=START)
    assert opening.n == 0 and not opening.elapsed and opening.window.ends_at == START + timedelta(days=7)
    assert opening.to_dict()["champion"] == {"roc_auc": None, "brier": None, "handoff_precision": None, "handoffs": 0}
