"""The model page's plain words: the AUC / handoff-precision trade-off, the retraining outcome, and the evaluation
report's verdict and metric names."""

from __future__ import annotations

from pathlib import Path

from admin_api.dashboard.model_cards import _compared, trade_off
from admin_api.runtime.retrain import RetrainStatus, describe_outcome
from learning.evaluation import ContenderResult, Evaluation
from learning.flows import RetrainResult
from learning.promotion import GateDecision
from learning.report import render

SUMMARY = {"roc_auc": 0.715, "brier": 0.2, "handoff_precision": 0.636, "handed_off": 22, "n": 120}
PRIOR = {"roc_auc": 0.769, "brier": 0.21, "handoff_precision": 0.576, "handed_off": 33, "n": 120}


def _evaluation() -> Evaluation:
    contenders = {
        "challenger": ContenderResult("challenger", "v-2", dict(SUMMARY)),
        "prior": ContenderResult("prior", "prior-abc", dict(PRIOR)),
    }
    return Evaluation(
        n=120, window=("2026-01-01", "2026-03-01"), base_rate=0.3, exploration_rows=0, contenders=contenders
    )


def _decision() -> GateDecision:
    reasons = ["roc_auc 0.7150 does not beat the prior's 0.7690 by 0.01"]
    return GateDecision(version="v-2", promote=False, incumbent="prior", primary_metric="roc_auc", reasons=reasons)


def test_the_trade_off_is_spelled_out_when_auc_and_precision_disagree() -> None:
    compared = _compared(_evaluation().to_dict())
    assert [row["name"] for row in compared] == ["this version", "rule-based prior"]
    text = trade_off(compared)
    assert text is not None
    assert "ROC-AUC 0.715 vs 0.769 (worse)" in text and "handoff precision 63.6% vs 57.6% (better)" in text
    assert "handing off 22 leads against 33" in text
    agreeing = [dict(compared[0], roc_auc=0.8), compared[1]]
    assert trade_off(agreeing) is None and trade_off(compared[:1]) is None


def test_a_finished_run_says_what_the_gate_decided() -> None:
    result = RetrainResult("v-2", False, _decision(), _evaluation(), Path("v-2.html"))
    detail, version, promoted = describe_outcome(result)
    assert detail == "v-2 was trained but not promoted: roc_auc 0.7150 does not beat the prior's 0.7690 by 0.01."
    assert (version, promoted) == ("v-2", False)
    assert describe_outcome(None)[0] == "The run ended without a new model version."
    assert RetrainStatus("failed", detail="boom").to_dict()["label"] == "Retraining failed."


def test_the_report_names_metrics_in_words_and_states_its_verdict() -> None:
    page = render(_evaluation(), title="Model evaluation v-2", decision=_decision())
    assert "<h2>Verdict: not promoted</h2>" in page and "does not beat the prior" in page
    assert "handoff precision (share of AE handoffs that progressed)" in page and "<td>roc_auc</td>" not in page
    assert "Verdict: none" in render(_evaluation(), title="Re-evaluation")
