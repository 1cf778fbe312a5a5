"""The promotion gate: a challenger replaces the champion (or the rule-based prior) only when it is better.

Rules, all on the newest evaluation slice: enough rows to judge; the primary metric beats the incumbent's by
`promotion_margin`; calibration error does not grow by more than `max_calibration_regression`; handoff recall
does not drop by more than `max_recall_regression` (measured on the exploration slice when both have it).
The recall check applies against a champion model only: the rule-based prior's thresholds are uncalibrated,
so its recall is bought with low precision and is no bar a calibrated model should be held to. With
`require_shadow`, the challenger's shadow period must also have ended and the shadow comparison on the
outcomes that arrived meanwhile must favour it (learning.shadow); until then the decision is awaiting_shadow.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session

from config.sections import LearningSection
from learning.evaluation import Evaluation
from learning.shadow import ShadowComparison
from store.repositories import outbox
from store.topics import Topic, report_key

MIN_EVALUATION_ROWS = 20


@dataclass
class GateDecision:
    """Whether to promote, against which incumbent, and the numbers behind it."""

    version: str
    promote: bool
    incumbent: str
    primary_metric: str
    reasons: list[str] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)
    awaiting_shadow: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return asdict(self)


def _recall(evaluation: Evaluation, name: str) -> float | None:
    explored = [evaluation.contenders[n].exploration for n in ("challenger", name)]
    if all(e is not None and e.get("handoff_recall") is not None for e in explored):
        result = evaluation.contenders[name].exploration
        return None if result is None else result["handoff_recall"]
    return evaluation.metric(name, "handoff_recall")


def _shadow_reasons(shadow: ShadowComparison | None) -> tuple[list[str], bool]:
    """Why the shadow holds promotion back (empty when it does not), and whether only its period does."""
    if shadow is None:
        return ["promotion requires a shadow period and this version has none"], False
    if not shadow.elapsed:
        return [f"the shadow period runs until {shadow.window.ends_at:%Y-%m-%d %H:%M} UTC"], True
    if not shadow.favours_challenger:
        return [f"the shadow comparison does not favour it: {'; '.join(shadow.reasons)}"], False
    return [], False


def decide_promotion(
    evaluation: Evaluation,
    learning: LearningSection,
    *,
    version: str,
    primary_metric: str = "roc_auc",
    shadow: ShadowComparison | None = None,
) -> GateDecision:
    """Apply the gate to an evaluation holding "challenger" and "champion" (or, with no champion, "prior");
    with `learning.require_shadow`, `shadow` must show an elapsed period that favours the challenger."""
    incumbent = "champion" if "champion" in evaluation.contenders else "prior"
    decision = GateDecision(version=version, promote=False, incumbent=incumbent, primary_metric=primary_metric)
    new, old = evaluation.metric("challenger", primary_metric), evaluation.metric(incumbent, primary_metric)
    new_cal, old_cal = (evaluation.metric(n, "calibration_error") for n in ("challenger", incumbent))
    new_recall, old_recall = _recall(evaluation, "challenger"), _recall(evaluation, incumbent)
    decision.figures = {
        f"challenger_{primary_metric}": new,
        f"{incumbent}_{primary_metric}": old,
        "challenger_calibration_error": new_cal,
        f"{incumbent}_calibration_error": old_cal,
        "challenger_handoff_recall": new_recall,
        f"{incumbent}_handoff_recall": old_recall,
        "evaluation_rows": float(evaluation.n),
    }
    if evaluation.n < MIN_EVALUATION_ROWS:
        decision.reasons.append(f"evaluation slice has {evaluation.n} rows; at least {MIN_EVALUATION_ROWS} needed")
        return decision
    if new is None or old is None:
        decision.reasons.append(f"{primary_metric} is undefined on the evaluation slice (one class only?)")
        return decision
    if new < old + learning.promotion_margin:
        decision.reasons.append(
            f"{primary_metric} {new:.4f} does not beat the {incumbent}'s {old:.4f} by {learning.promotion_margin}"
        )
    if new_cal is not None and old_cal is not None and new_cal - old_cal > learning.max_calibration_regression:
        decision.reasons.append(f"calibration error rises from {old_cal:.4f} to {new_cal:.4f}")
    if (
        incumbent == "champion"
        and new_recall is not None
        and old_recall is not None
        and old_recall - new_recall > learning.max_recall_regression
    ):
        decision.reasons.append(f"handoff recall drops from {old_recall:.1%} to {new_recall:.1%}")
    if learning.require_shadow:
        held, waiting = _shadow_reasons(shadow)
        decision.awaiting_shadow = waiting and not decision.reasons
        decision.reasons.extend(held)
    decision.promote = not decision.reasons
    if decision.promote:
        decision.reasons.append(f"{primary_metric} {new:.4f} beats the {incumbent}'s {old:.4f}; no regressions")
        if learning.require_shadow and shadow is not None:
            decision.reasons.append(f"in shadow: {'; '.join(shadow.reasons)}")
    return decision


def _fmt(value: float | int | None) -> str:
    return "n/a" if value is None else f"{value:.4f}"


def enqueue_report(
    decision: GateDecision, evaluation: Evaluation, *, session: Session, report_path: str | None
) -> None:
    """Queue the evaluation summary and the decision for the channel (idempotent per version)."""
    verb = "promoted" if decision.promote else "not promoted"
    challenger = evaluation.contenders["challenger"].summary
    fields = {
        "version": decision.version,
        "decision": verb,
        "compared_with": decision.incumbent,
        "evaluation_rows": str(evaluation.n),
        "roc_auc": _fmt(challenger.get("roc_auc")),
        "handoff_precision": _fmt(challenger.get("handoff_precision")),
        "handoff_recall": _fmt(challenger.get("handoff_recall")),
        "brier": _fmt(challenger.get("brier")),
    }
    if report_path:
        fields["report"] = report_path
    payload = {
        "kind": "promotion",
        "title": f"Model {decision.version} {verb}",
        "text": "; ".join(decision.reasons),
        "fields": fields,
    }
    outbox.enqueue(Topic.SLACK_REPORT, report_key("promotion", decision.version), payload, session=session)
