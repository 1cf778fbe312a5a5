"""The business metric definitions (DESIGN.md) and the probability metrics."""

from __future__ import annotations

import numpy as np
import pytest

from learning import metrics

PROGRESSED = np.array([1, 1, 0, 0, 1, 0, 0, 0], dtype=float)
HANDOFF = np.array([1, 0, 1, 0, 1, 0, 0, 0], dtype=float)


def test_handoff_precision_is_share_of_handoffs_that_progressed() -> None:
    assert metrics.handoff_precision(PROGRESSED, HANDOFF) == pytest.approx(2 / 3)
    assert metrics.rejection_rate(PROGRESSED, HANDOFF) == pytest.approx(1 / 3)


def test_recall_and_time_saved() -> None:
    assert metrics.handoff_recall(PROGRESSED, HANDOFF) == pytest.approx(2 / 3)
    assert metrics.ae_time_saved(PROGRESSED, HANDOFF) == pytest.approx(4 / 5)


def test_undefined_metrics_are_none_not_zero() -> None:
    nobody = np.zeros(8)
    assert metrics.handoff_precision(PROGRESSED, nobody) is None
    assert metrics.rejection_rate(PROGRESSED, nobody) is None
    assert metrics.roc_auc(np.ones(4), np.linspace(0, 1, 4)) is None


def test_weights_change_the_figures() -> None:
    weights = np.array([1, 1, 3, 1, 1, 1, 1, 1], dtype=float)
    assert metrics.handoff_precision(PROGRESSED, HANDOFF, weights) == pytest.approx(2 / 5)


def test_voice_ai_precision() -> None:
    assert metrics.voice_ai_precision([1, 0, 1, 1], [1, 1, 0, 1]) == pytest.approx(2 / 3)


def test_reliability_and_calibration_error_of_a_perfectly_calibrated_vector() -> None:
    p = np.repeat([0.15, 0.85], 20)
    y = np.concatenate([np.r_[np.ones(3), np.zeros(17)], np.r_[np.ones(17), np.zeros(3)]])
    table = metrics.reliability_table(y, p)
    assert sum(b.n for b in table) == 40
    assert table[1].observed_rate == pytest.approx(0.15) and table[8].observed_rate == pytest.approx(0.85)
    assert metrics.calibration_error(y, p) == pytest.approx(0.0)
    assert metrics.calibration_error(y, np.full(40, 0.5)) == pytest.approx(0.0)
    assert metrics.calibration_error(y, np.where(p > 0.5, 0.99, 0.01)) > 0.1


def test_lift_by_decile_ranks_top_scores_first() -> None:
    p = np.linspace(0, 1, 100)
    y = (p > 0.8).astype(float)
    lift = metrics.lift_by_decile(y, p)
    assert len(lift) == 10 and lift[0].decile == 1
    assert lift[0].lift == pytest.approx(5.0) and lift[-1].positive_rate == 0


def test_shapes_are_checked() -> None:
    with pytest.raises(ValueError, match="equally long"):
        metrics.brier([1, 0], [0.5])
