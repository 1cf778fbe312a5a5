"""Load labelled leads from the store as `LeadSnapshot`s."""

from __future__ import annotations

from sqlmodel import Session

from config.sections import LearningSection
from learning.exploration import exploration_key, is_exploration
from learning.labels import assemble_labels
from learning.table import CallRecord, LeadSnapshot, snapshot_time
from scoring.facts import company_facts, lead_facts
from store.repositories.calls import calls_by_lead
from store.repositories.feedback import list_feedback
from store.repositories.leads import leads_with_companies
from store.repositories.outcomes import list_outcomes
from store.repositories.scores import score_marks_by_lead
from store.tables import Call


def call_record(call: Call) -> CallRecord:
    """A stored call's text."""
    transcript = tuple(call.transcript) if call.transcript else None
    return CallRecord(call.id, call.started_at, call.notes, call.title, transcript)


def load_snapshots(*, session: Session, learning: LearningSection) -> list[LeadSnapshot]:
    """Every labelled lead with its facts, calls and label, ordered by label time."""
    outcomes, feedback = list_outcomes(session=session), list_feedback(session=session)
    lead_ids = sorted({o.lead_id for o in outcomes} | {f.lead_id for f in feedback if f.lead_id is not None})
    marks = score_marks_by_lead(lead_ids, session=session)
    score_times = {score_id: at for rows in marks.values() for score_id, at, _ in rows}
    labels = assemble_labels(outcomes, feedback, score_times, learning)
    leads = leads_with_companies(lead_ids, session=session)
    calls = calls_by_lead(lead_ids, session=session)
    snapshots = []
    for label in labels:
        if label.lead_id not in leads:
            continue
        lead, company = leads[label.lead_id]
        lead_calls = calls.get(label.lead_id, [])
        lead_marks = marks.get(label.lead_id, [])
        events = [c.started_at for c in lead_calls] + [at for _, at, _ in lead_marks]
        flagged = any(explore for _, _, explore in lead_marks)
        key = exploration_key(lead.id, lead.salesforce_id)
        snapshots.append(
            LeadSnapshot(
                lead_id=label.lead_id,
                company=company_facts(company),
                lead=lead_facts(lead),
                calls=tuple(call_record(c) for c in lead_calls),
                label=label,
                snapshot_at=snapshot_time(label, lead.created_at, events),
                exploration=flagged or is_exploration(key, rate=learning.exploration_rate, seed=learning.seed),
            )
        )
    return snapshots
