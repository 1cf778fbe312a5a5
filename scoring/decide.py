"""Vectorised decision step shared by single and batch scoring: probabilities -> scores, rule overrides,
recommendation, priority, completeness and confidence, all as arrays over rows.

The score is the (calibrated) probability in percent, so scores order leads as the probability does. Rule floors
and caps, read as probabilities, move only the routing (recommendation, priority) and name themselves as the
reason; the handoff policy, when one is recorded for the model, sets the AE_HANDOFF and HIGH_VOICE_AI cut-offs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.config import ScoringConfig
from scoring.domain import Priority, Recommendation
from scoring.features import CATEGORY_LEVELS, FEATURE_INDEX
from scoring.policy import HandoffPolicy
from scoring.rules import RuleSet

# What each completeness input checks, and how a gap is named to sales.
MISSING_LABELS: dict[str, str] = {
    "company": "company (name or business domain)",
    "industry": "industry",
    "employees": "employee count",
    "description": "company description",
    "calls": "call notes",
    "urgency": "urgency",
}
_OTHER_INDUSTRY = float(CATEGORY_LEVELS["industry"].index("other"))


@dataclass(frozen=True)
class Decisions:
    """Per-row outcome of the decision step."""

    qualification_score: np.ndarray
    voice_ai_fit: np.ndarray
    recommendation: np.ndarray
    priority: np.ndarray
    fired: np.ndarray
    basis: np.ndarray
    handoff_route: np.ndarray
    voice_route: np.ndarray
    present: dict[str, np.ndarray]
    completeness: np.ndarray
    confidence: np.ndarray


def _col(matrix: np.ndarray, name: str) -> np.ndarray:
    return matrix[:, FEATURE_INDEX[name]]


def inputs_present(matrix: np.ndarray) -> dict[str, np.ndarray]:
    """Which kinds of input each row has (boolean arrays keyed like MISSING_LABELS)."""
    industry = _col(matrix, "industry")
    return {
        "company": _col(matrix, "company_known") == 1.0,
        "industry": ~np.isnan(industry) & (industry != _OTHER_INDUSTRY),
        "employees": ~np.isnan(_col(matrix, "employees")),
        "description": ~np.isnan(_col(matrix, "desc_ai_automation")),
        "calls": (_col(matrix, "call_count") > 0) & ~np.isnan(_col(matrix, "pricing_requested")),
        "urgency": ~np.isnan(_col(matrix, "urgency_level")) | ~np.isnan(_col(matrix, "call_urgency")),
    }


def _recommend(route: np.ndarray, config: ScoringConfig, policy: HandoffPolicy | None) -> np.ndarray:
    """AE_HANDOFF at the policy's cut-off on the probability (the configured score threshold without one)."""
    handoff = route >= policy.handoff_threshold if policy else np.rint(route * 100.0) >= config.thresholds.ae_handoff
    nurture = np.rint(route * 100.0) >= config.thresholds.nurture
    return np.where(
        handoff,
        Recommendation.AE_HANDOFF.value,
        np.where(nurture, Recommendation.NURTURE_TRACK.value, Recommendation.SELF_SERVICE.value),
    ).astype(object)


def _prioritise(
    route: np.ndarray, voice: np.ndarray, config: ScoringConfig, policy: HandoffPolicy | None
) -> np.ndarray:
    p = config.priority
    score = np.rint(route * 100.0)
    base = np.where(
        score >= p.high, Priority.HIGH.value, np.where(score >= p.medium, Priority.MEDIUM.value, Priority.LOW.value)
    ).astype(object)
    if policy is not None and policy.voice_ai is not None:
        flagged = voice >= policy.voice_ai.threshold
    else:
        flagged = (np.rint(voice * 100.0) >= p.high_voice_ai_fit) & (score >= p.high_voice_ai_min_score)
    return np.where(flagged, Priority.HIGH_VOICE_AI.value, base).astype(object)


def _route(progression: np.ndarray, fired: np.ndarray, rules: RuleSet) -> np.ndarray:
    """The probability the routing sees: rule floors, then caps (caps win), as probabilities; never the order."""
    route = progression.copy()
    for k, rule in enumerate(rules.rules):
        if rule.effect == "floor_score":
            route = np.where(fired[:, k], np.maximum(route, int(rule.value) / 100.0), route)
    for k, rule in enumerate(rules.rules):
        if rule.effect == "cap_score":
            route = np.where(fired[:, k], np.minimum(route, int(rule.value) / 100.0), route)
    return route


def _basis(
    unruled: np.ndarray, recommendation: np.ndarray, progression: np.ndarray, policy: HandoffPolicy | None
) -> np.ndarray:
    """Who decided: a rule (it changed the recommendation), capacity (held back), the policy, or the threshold."""
    held = np.zeros(len(progression), dtype=bool)
    if policy is not None and policy.capacity is not None:
        held = (progression >= policy.handoff.threshold) & (recommendation != Recommendation.AE_HANDOFF.value)
    return np.where(
        unruled != recommendation, "rule", np.where(held, "capacity", "policy" if policy else "threshold")
    ).astype(object)


def _forced(
    value: np.ndarray,
    chosen: np.ndarray,
    rules: RuleSet,
    fired: np.ndarray,
    effect: str,
    blocked: np.ndarray | None = None,
) -> np.ndarray:
    """What a policy cut-off acts on: `value`, except rows a rule decided (1 when chosen, 0 when not)."""
    ruled = fired[:, [k for k, rule in enumerate(rules.rules) if rule.effect == effect]].any(axis=1)
    if blocked is not None:
        ruled |= blocked
    return np.where(ruled, chosen.astype(np.float64), value)


def decide(
    matrix: np.ndarray,
    progression: np.ndarray,
    voice_ai: np.ndarray,
    *,
    rules: RuleSet,
    config: ScoringConfig,
    is_prior: bool,
    policy: HandoffPolicy | None = None,
    signal_warnings: np.ndarray | None = None,
) -> Decisions:
    """Score = the calibrated probability; rules and the handoff policy set recommendation, priority and basis."""
    fired = rules.evaluate(matrix)
    score = np.clip(np.rint(progression * 100.0), 0, 100).astype(np.int64)
    voice_fit = np.clip(np.rint(voice_ai * 100.0), 0, 100).astype(np.int64)
    route = _route(progression, fired, rules)
    unruled = _recommend(progression, config, policy)
    recommendation = _recommend(route, config, policy)
    priority = _prioritise(route, voice_ai, config, policy)
    priority_set = np.zeros(len(score), dtype=bool)
    for k in reversed(range(len(rules.rules))):
        rule = rules.rules[k]
        if rule.effect == "set_recommendation":
            recommendation = np.where(fired[:, k], str(rule.value), recommendation).astype(object)
        elif rule.effect == "set_priority":
            priority = np.where(fired[:, k], str(rule.value), priority).astype(object)
            priority_set |= fired[:, k]
    self_service = (recommendation == Recommendation.SELF_SERVICE.value) & ~priority_set
    priority = np.where(self_service, Priority.LOW.value, priority).astype(object)

    present = inputs_present(matrix)
    weights = config.confidence.inputs.model_dump()
    total = sum(weights.values()) or 1.0
    completeness = sum(weights[key] * present[key] for key in MISSING_LABELS) / total
    c = config.confidence
    certainty = np.abs(2.0 * progression - 1.0)
    confidence = (c.completeness_weight * completeness + c.certainty_weight * certainty) / (
        c.completeness_weight + c.certainty_weight or 1.0
    )
    if is_prior:
        confidence = confidence * c.prior_factor
    if signal_warnings is not None:
        confidence = np.where(signal_warnings, confidence * c.signal_warning_factor, confidence)
    return Decisions(
        qualification_score=score,
        voice_ai_fit=voice_fit,
        recommendation=recommendation,
        priority=priority,
        fired=fired,
        basis=_basis(unruled, recommendation, progression, policy),
        handoff_route=_forced(
            route, recommendation == Recommendation.AE_HANDOFF.value, rules, fired, "set_recommendation"
        ),
        voice_route=_forced(
            voice_ai, priority == Priority.HIGH_VOICE_AI.value, rules, fired, "set_priority", self_service
        ),
        present=present,
        completeness=np.asarray(completeness, dtype=np.float64),
        confidence=np.clip(confidence, 0.0, 1.0),
    )
