"""Side-by-side evaluation of scorers (champion, challenger, rule-based prior) on the newest time slice.

Each contender first gets its handoff policy chosen on the slice (learning.policy: calibration for the prior,
operating points for the precision targets), then scores the slice through `Scorer.score_frame` under that
policy, so handoffs and HIGH_VOICE_AI flags include the rule overrides and cut-offs exactly as in production.
Every rule is audited against the slice's outcomes (learning.rule_audit). Rows of the exploration slice were
routed as if unscored, so their outcomes do not depend on any model's routing: routing metrics are repeated on
them when there are enough, and that is the figure to trust for handoff recall.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from learning import metrics
from learning.drift import score_shares
from learning.policy import choose_policy
from learning.rule_audit import audit_rules
from learning.table import TrainingTable
from scoring.domain import Priority, Recommendation
from scoring.policy import HandoffPolicy
from scoring.scorer import Scorer

MIN_EXPLORATION_ROWS = 30


@dataclass
class ContenderResult:
    """Every figure for one scorer on the evaluation slice."""

    name: str
    model_version: str
    summary: dict[str, float | int | None]
    reliability: list[dict[str, Any]] = field(default_factory=list)
    lift: list[dict[str, Any]] = field(default_factory=list)
    score_histogram: list[float] = field(default_factory=list)
    exploration: dict[str, float | int | None] | None = None
    policy: HandoffPolicy | None = None
    rule_audit: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {**asdict(self), "policy": self.policy_dict()}

    def policy_dict(self) -> dict[str, Any] | None:
        """The policy as JSON data (None when none was chosen)."""
        return None if self.policy is None else self.policy.model_dump(mode="json")


@dataclass
class Evaluation:
    """The evaluation of all contenders on one slice."""

    n: int
    window: tuple[str, str] | None
    base_rate: float | None
    exploration_rows: int
    contenders: dict[str, ContenderResult]

    def metric(self, name: str, key: str) -> float | None:
        """One summary figure of one contender (None when absent or undefined)."""
        result = self.contenders.get(name)
        value = None if result is None else result.summary.get(key)
        return None if value is None else float(value)

    def to_dict(self) -> dict[str, Any]:
        """JSON summary (without the per-bin tables, which live in the HTML report)."""
        return {
            "n": self.n,
            "window": self.window,
            "base_rate": self.base_rate,
            "exploration_rows": self.exploration_rows,
            "contenders": {
                name: {
                    "model_version": r.model_version,
                    **r.summary,
                    "exploration": r.exploration,
                    "policy": r.policy_dict(),
                    "rule_audit": r.rule_audit,
                }
                for name, r in self.contenders.items()
            },
        }


def _routing(progressed: np.ndarray, handoff: np.ndarray, weight: np.ndarray) -> dict[str, float | int | None]:
    return metrics.business_metrics(progressed, handoff, weight).to_dict()


def evaluate_scorer(name: str, scorer: Scorer, table: TrainingTable) -> ContenderResult:
    """All metrics of one scorer (under its own policy, if any) on a labelled table."""
    scored = scorer.score_frame(table.frame)
    p = scored["progression_probability"].to_numpy(dtype=np.float64)
    v = scored["voice_ai_probability"].to_numpy(dtype=np.float64)
    handoff = (scored["recommendation"] == Recommendation.AE_HANDOFF.value).to_numpy(dtype=np.float64)
    flagged = (scored["priority"] == Priority.HIGH_VOICE_AI.value).to_numpy(dtype=np.float64)
    y, w = table.progressed, table.weight
    known = table.voice_known()
    summary: dict[str, float | int | None] = {
        **metrics.probability_metrics(y, p, w),
        **_routing(y, handoff, w),
        "voice_ai_precision": metrics.voice_ai_precision(table.voice_ai[known], flagged[known], w[known]),
        "voice_ai_flagged": int(flagged[known].sum()),
        "voice_ai_roc_auc": metrics.roc_auc(table.voice_ai[known], v[known], w[known]),
        "voice_ai_brier": metrics.brier(table.voice_ai[known], v[known], w[known]),
    }
    explore = table.exploration
    exploration = _routing(y[explore], handoff[explore], w[explore]) if explore.sum() >= MIN_EXPLORATION_ROWS else None
    return ContenderResult(
        name=name,
        model_version=scorer.model_version,
        summary=summary,
        reliability=[asdict(b) for b in metrics.reliability_table(y, p, w)],
        lift=[asdict(d) for d in metrics.lift_by_decile(y, p, w)],
        score_histogram=score_shares(p)[:-1],
        exploration=exploration,
        policy=scorer.policy,
        rule_audit=[audit.to_dict() for audit in audit_rules(scorer, table)],
    )


def evaluate_with_policy(name: str, scorer: Scorer, table: TrainingTable) -> ContenderResult:
    """Choose the scorer's handoff policy on the slice, then evaluate it under that policy."""
    if not len(table):
        return evaluate_scorer(name, scorer, table)
    policy = choose_policy(scorer.with_policy(None), table, scorer.config)
    return evaluate_scorer(name, scorer.with_policy(policy), table)


def evaluate(table: TrainingTable, scorers: dict[str, Scorer]) -> Evaluation:
    """Evaluate every named scorer on the same labelled slice, each under the policy chosen on it."""
    window = table.window()
    return Evaluation(
        n=len(table),
        window=None if window is None else (window[0].isoformat(), window[1].isoformat()),
        base_rate=metrics.base_rate(table.progressed, table.weight) if len(table) else None,
        exploration_rows=int(table.exploration.sum()),
        contenders={name: evaluate_with_policy(name, scorer, table) for name, scorer in scorers.items()},
    )
