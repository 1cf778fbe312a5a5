"""Training labels from Salesforce outcomes and AE feedback, one per lead, with when each became known.

Outcome label: positive when the lead was converted into an opportunity, its status is one of
`converted_statuses` or its opportunity reached one of `progressed_stages` (both configurable,
case-insensitive); when Salesforce gave neither, the outcome's own `progressed` flag. Voice AI label: the
outcome's flag; a lead that did not progress is by definition not a Voice AI opportunity. Feedback label: the
majority of each AE's latest verdict on the lead (ties: the most recent verdict); a 👎 "not_voice_ai" says
the lead is not a Voice AI opportunity. When a lead has both kinds, `label_precedence` picks the source;
weights come from `outcome_weight` / `feedback_weight`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from config.sections import LearningSection
from store.enums import FeedbackReason, FeedbackVerdict
from store.tables import Feedback, Outcome

LabelSource = Literal["outcome", "feedback"]


@dataclass(frozen=True, slots=True)
class Label:
    """One lead's training label.

    `known_at` is when the label became known (decision or feedback time); `snapshot_at` is the moment whose
    knowledge the features must reflect (the judged score's time for feedback; None = derive from the calls).
    """

    lead_id: int
    progressed: bool
    voice_ai: bool | None
    weight: float
    source: LabelSource
    known_at: datetime
    snapshot_at: datetime | None = None


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.strip().casefold() for value in values)


def outcome_progressed(outcome: Outcome, learning: LearningSection) -> bool:
    """Whether an outcome counts as progressed under the configured statuses and stages."""
    if outcome.status is None and outcome.stage is None:
        return bool(outcome.progressed)
    status = (outcome.status or "").strip().casefold()
    stage = (outcome.stage or "").strip().casefold()
    converted = bool(outcome.progressed) and outcome.opportunity_id is not None
    return converted or status in _folded(learning.converted_statuses) or stage in _folded(learning.progressed_stages)


def outcome_label(outcome: Outcome, learning: LearningSection) -> Label:
    """The label an outcome row gives its lead."""
    progressed = outcome_progressed(outcome, learning)
    flag = outcome.voice_ai_opportunity
    return Label(
        lead_id=outcome.lead_id,
        progressed=progressed,
        voice_ai=False if not progressed else (None if flag is None else bool(flag)),
        weight=learning.outcome_weight,
        source="outcome",
        known_at=outcome.decided_at,
    )


def feedback_label(rows: Iterable[Feedback], score_times: Mapping[int, datetime], learning: LearningSection) -> Label:
    """The consensus label of one lead's feedback rows (each user's latest verdict counts once)."""
    latest: dict[str, Feedback] = {}
    for row in sorted(rows, key=lambda r: (r.updated_at, r.id or 0)):
        latest[row.user_id] = row
    if not latest:
        raise ValueError("feedback_label needs at least one feedback row")
    verdicts = list(latest.values())
    newest = max(verdicts, key=lambda r: (r.updated_at, r.id or 0))
    if newest.lead_id is None:
        raise ValueError("feedback_label needs feedback rows that belong to a lead")
    ups = sum(r.verdict == FeedbackVerdict.UP for r in verdicts)
    downs = len(verdicts) - ups
    progressed = ups > downs if ups != downs else newest.verdict == FeedbackVerdict.UP
    not_voice = any(r.verdict == FeedbackVerdict.DOWN and r.reason == FeedbackReason.NOT_VOICE_AI for r in verdicts)
    return Label(
        lead_id=newest.lead_id,
        progressed=progressed,
        voice_ai=False if not_voice or not progressed else None,
        weight=learning.feedback_weight,
        source="feedback",
        known_at=newest.updated_at,
        snapshot_at=score_times.get(newest.score_id),
    )


def assemble_labels(
    outcomes: Iterable[Outcome],
    feedback: Iterable[Feedback],
    score_times: Mapping[int, datetime],
    learning: LearningSection,
) -> list[Label]:
    """One label per lead, chosen by `label_precedence`, ordered by the time it became known."""
    by_source: dict[LabelSource, dict[int, Label]] = {"outcome": {}, "feedback": {}}
    for outcome in outcomes:
        by_source["outcome"][outcome.lead_id] = outcome_label(outcome, learning)
    grouped: dict[int, list[Feedback]] = defaultdict(list)
    for row in feedback:
        if row.lead_id is not None:
            grouped[row.lead_id].append(row)
    for lead_id, rows in grouped.items():
        by_source["feedback"][lead_id] = feedback_label(rows, score_times, learning)
    chosen: dict[int, Label] = {}
    for source in reversed(learning.label_precedence):
        chosen.update(by_source[source])
    return sorted(chosen.values(), key=lambda label: (label.known_at, label.lead_id))
