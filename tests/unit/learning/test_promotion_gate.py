"""The promotion gate's recall check: a challenger that loses handoff recall against a champion is held back;
against the rule-based prior, or when either recall is unknown, recall does not count."""

from __future__ import annotations

from config.sections import LearningSection
from learning.evaluation import ContenderResult, Evaluation
from learning.promotion import decide_promotion


def _evaluation(incumbent: str, challenger_recall: float | None, incumbent_recall: float | None) -> Evaluation:
    def contender(name: str, auc: float, recall: float | None) -> ContenderResult:
        summary: dict[str, float | int | None] = {"roc_auc": auc, "calibration_error": 0.05, "handoff_recall": recall}
        return ContenderResult(name=name, model_version=name, summary=summary)

    contenders = {
        "challenger": contender("challenger", 0.80, challenger_recall),
        incumbent: contender(incumbent, 0.70, incumbent_recall),
    }
    return Evaluation(n=200, window=None, base_rate=0.3, exploration_rows=0, contenders=contenders)


def _recall_reasons(evaluation: Evaluation) -> list[str]:
    decision = decide_promotion(evaluation, LearningSection(), version="v2")
    return [reason for reason in decision.reasons if "recall" in reason]


def test_a_recall_drop_against_the_champion_holds_promotion_back() -> None:
    evaluation = _evaluation("champion", challenger_recall=0.50, incumbent_recall=0.70)
    assert _recall_reasons(evaluation) == ["handoff recall drops from 70.0% to 50.0%"]
    assert not decide_promotion(evaluation, LearningSection(), version="v2").promote


def test_a_small_recall_drop_or_an_unknown_recall_or_the_prior_does_not_count() -> None:
    assert _recall_reasons(_evaluation("champion", challenger_recall=0.68, incumbent_recall=0.70)) == []
    assert _recall_reasons(_evaluation("champion", challenger_recall=None, incumbent_recall=0.70)) == []
    assert _recall_reasons(_evaluation("champion", challenger_recall=0.50, incumbent_recall=None)) == []
    assert _recall_reasons(_evaluation("prior", challenger_recall=0.10, incumbent_recall=0.90)) == []
    assert decide_promotion(_evaluation("prior", 0.10, 0.90), LearningSection(), version="v2").promote
