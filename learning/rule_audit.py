"""Rules judged by outcomes: how often each rule in config/rules.yaml fired, the outcome rate of the leads it
fired on against the model's own estimate for them, and whether outcomes contradict what the rule implies.

A rule implies a range for the outcome rate of its leads: a cap at 25 says "at most 25% progress", a floor at 75
"at least 75%", routing away from AEs "below the handoff cut-off", HIGH_VOICE_AI "at least the Voice AI
cut-off" (on the Voice AI label). It is flagged for review when the outcome rate's confidence interval lies
wholly outside that range on enough leads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from learning import metrics
from learning.table import TrainingTable
from scoring.domain import Priority, Recommendation
from scoring.features import encode_frame
from scoring.rules import Rule
from scoring.scorer import Scorer


@dataclass(frozen=True)
class RuleAudit:
    """One rule's record on a labelled slice."""

    rule_id: str
    effect: str
    label: str
    fired: int
    fire_rate: float
    outcome_rate: float | None
    outcome_interval: tuple[float, float] | None
    model_estimate: float | None
    implied: tuple[float, float]
    contradicted: bool
    note: str

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return asdict(self)


def implied_range(rule: Rule, scorer: Scorer) -> tuple[float, float]:
    """The outcome rate a rule claims for the leads it fires on, as (low, high)."""
    config, policy = scorer.config, scorer.policy
    handoff = policy.handoff_threshold if policy else config.thresholds.ae_handoff / 100
    value = str(rule.value)
    if rule.effect == "cap_score":
        return 0.0, float(rule.value) / 100
    if rule.effect == "floor_score":
        return float(rule.value) / 100, 1.0
    if rule.effect == "set_recommendation":
        return (handoff, 1.0) if value == Recommendation.AE_HANDOFF.value else (0.0, handoff)
    levels = config.priority
    voice = policy.voice_ai.threshold if policy and policy.voice_ai else levels.high_voice_ai_fit / 100
    return {
        Priority.HIGH_VOICE_AI.value: (voice, 1.0),
        Priority.HIGH.value: (levels.high / 100, 1.0),
        Priority.MEDIUM.value: (levels.medium / 100, levels.high / 100),
    }.get(value, (0.0, levels.medium / 100))


def audit_rules(scorer: Scorer, table: TrainingTable) -> list[RuleAudit]:
    """Every rule of `scorer` on a labelled slice, in the order of the rules file."""
    fired = scorer.rules.evaluate(encode_frame(table.frame))
    scored = scorer.score_frame(table.frame)
    goal = scorer.config.policy
    out = []
    for k, rule in enumerate(scorer.rules.rules):
        voice = rule.effect == "set_priority" and str(rule.value) == Priority.HIGH_VOICE_AI.value
        y, column = (table.voice_ai, "voice_ai_probability") if voice else (table.progressed, "progression_probability")
        mask = fired[:, k] & ~np.isnan(y)
        w, estimate = table.weight[mask], scored[column].to_numpy(dtype=np.float64)[mask]
        total, positives = float(w.sum()), float((w * y[mask]).sum())
        interval = metrics.rate_interval(positives, total, goal.confidence)
        low, high = implied_range(rule, scorer)
        judged = interval is not None and int(mask.sum()) >= goal.min_handoffs
        contradicted = judged and interval is not None and (interval[0] > high or interval[1] < low)
        rate = None if total <= 0 else positives / total
        mean = None if total <= 0 else float((w * estimate).sum() / total)
        note = "too few leads to judge" if not judged else "consistent with outcomes"
        if contradicted:
            note = (
                f"REVIEW: {rate:.0%} of its {int(mask.sum())} leads became {'Voice AI' if voice else 'progressed'} "
                f"(model estimate {mean:.0%}); the rule implies {low:.0%}-{high:.0%}"
            )
        out.append(
            RuleAudit(
                rule_id=rule.id,
                effect=rule.effect_text,
                label="voice_ai" if voice else "progressed",
                fired=int(fired[:, k].sum()),
                fire_rate=float(fired[:, k].mean()) if len(table) else 0.0,
                outcome_rate=rate,
                outcome_interval=interval,
                model_estimate=mean,
                implied=(low, high),
                contradicted=bool(contradicted),
                note=note,
            )
        )
    return out
