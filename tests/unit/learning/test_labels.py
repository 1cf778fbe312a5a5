"""Label assembly: configured statuses/stages, feedback consensus, precedence and weights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from config.sections import LearningSection
from learning.exploration import exploration_key, is_exploration
from learning.labels import assemble_labels, feedback_label, outcome_label
from store.tables import Feedback, Outcome

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def _outcome(lead_id: int, status: str | None, stage: str | None = None, progressed: bool = False) -> Outcome:
    return Outcome(lead_id=lead_id, progressed=progressed, voice_ai_opportunity=True, status=status, stage=stage,
                   decided_at=T0 + timedelta(days=lead_id))  # fmt: skip


def _feedback(lead_id: int, user: str, verdict: str, minutes: int, reason: str | None = None) -> Feedback:
    return Feedback(id=minutes, score_id=100 + lead_id, lead_id=lead_id, user_id=user, verdict=verdict, reason=reason,
                    updated_at=T0 + timedelta(minutes=minutes))  # fmt: skip


def test_custom_converted_status_counts_and_stage_counts() -> None:
    learning = LearningSection(converted_statuses=("Closed - Converted",), progressed_stages=("Proposal",))
    assert outcome_label(_outcome(1, "closed - converted"), learning).progressed
    assert outcome_label(_outcome(2, "Working", "Proposal"), learning).progressed
    assert not outcome_label(_outcome(3, "Converted", progressed=True), learning).progressed


def test_without_status_or_stage_the_progressed_flag_decides() -> None:
    assert outcome_label(_outcome(1, None, progressed=True), LearningSection()).progressed


def test_non_progressed_outcome_is_not_a_voice_ai_opportunity() -> None:
    label = outcome_label(_outcome(1, "Unqualified"), LearningSection())
    assert (label.progressed, label.voice_ai) == (False, False)


def test_feedback_consensus_uses_each_users_latest_verdict() -> None:
    rows = [_feedback(1, "a", "up", 1), _feedback(1, "a", "down", 5), _feedback(1, "b", "down", 2)]
    label = feedback_label(rows, {101: T0}, LearningSection())
    assert label.progressed is False and label.snapshot_at == T0 and label.weight == 0.5


def test_not_voice_ai_reason_gives_a_negative_voice_label() -> None:
    rows = [_feedback(1, "a", "up", 1), _feedback(1, "b", "down", 2, "not_voice_ai")]
    label = feedback_label(rows, {}, LearningSection())
    assert label.progressed is False and label.voice_ai is False


def test_precedence_picks_one_label_per_lead() -> None:
    outcomes = [_outcome(1, "Converted"), _outcome(2, "Unqualified")]
    feedback = [_feedback(2, "a", "up", 1), _feedback(3, "a", "up", 2)]
    by_outcome = {lb.lead_id: lb for lb in assemble_labels(outcomes, feedback, {}, LearningSection())}
    assert set(by_outcome) == {1, 2, 3}
    assert by_outcome[2].source == "outcome" and not by_outcome[2].progressed
    feedback_first = LearningSection(label_precedence=("feedback", "outcome"))
    by_feedback = {lb.lead_id: lb for lb in assemble_labels(outcomes, feedback, {}, feedback_first)}
    assert by_feedback[2].source == "feedback" and by_feedback[2].progressed


def test_exploration_is_deterministic_and_near_the_configured_share() -> None:
    keys = [exploration_key(i, None) for i in range(20_000)]
    chosen = [is_exploration(k, rate=0.05, seed=42) for k in keys]
    assert chosen == [is_exploration(k, rate=0.05, seed=42) for k in keys]
    assert 0.04 < sum(chosen) / len(chosen) < 0.06
    assert exploration_key(7, "00Q5e00000ABCDEFGHI") == exploration_key(None, "00Q5e00000ABCDE")
