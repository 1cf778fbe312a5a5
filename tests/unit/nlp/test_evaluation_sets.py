"""Per-signal quality on the hand-labelled evaluation sets; prints the tables (run with -s to see them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp import BOOLEAN_SIGNALS, SignalExtractor
from nlp.evaluation import evaluate, load_cases

DATA = Path(__file__).resolve().parents[2] / "data" / "nlp"
DEV_F1_FLOOR = 0.90
DEV_PR_FLOOR = 0.80
HOLDOUT_MACRO_F1_FLOOR = 0.70


def test_dev_set_is_large_and_varied() -> None:
    cases = load_cases(DATA / "eval_dev.yaml")
    assert len(cases) >= 150
    assert any(c.transcript for c in cases)
    for name in BOOLEAN_SIGNALS:
        assert sum(name in c.signals for c in cases) >= 5, name


def test_dev_set_meets_per_signal_floors(extractor: SignalExtractor) -> None:
    report = evaluate(extractor, load_cases(DATA / "eval_dev.yaml"))
    print("\nDEV SET\n" + report.table())
    below = [
        name
        for name in BOOLEAN_SIGNALS
        if report.counts[name].f1 < DEV_F1_FLOOR
        or report.counts[name].precision < DEV_PR_FLOOR
        or report.counts[name].recall < DEV_PR_FLOOR
    ]
    assert not below, f"below floor: {below}\n" + "\n".join(report.errors)


def test_holdout_set_is_reported_and_guarded(extractor: SignalExtractor) -> None:
    """The held-out set is never tuned on; this guards against regressions, it is not the quality claim."""
    report = evaluate(extractor, load_cases(DATA / "eval_holdout.yaml"))
    print("\nHELD-OUT SET\n" + report.table())
    macro = sum(report.counts[name].f1 for name in BOOLEAN_SIGNALS) / len(BOOLEAN_SIGNALS)
    print(f"held-out macro F1 over boolean signals: {macro:.3f}")
    assert macro >= HOLDOUT_MACRO_F1_FLOOR


@pytest.mark.parametrize("path", ["eval_dev.yaml", "eval_holdout.yaml"])
def test_evaluation_files_use_known_names(path: str) -> None:
    ids = [c.id for c in load_cases(DATA / path)]
    assert len(ids) == len(set(ids))
