"""Load labelled leads from the store (and from generated sample data) as `LeadSnapshot`s."""

from __future__ import annotations

from sqlmodel import Session

from config.sections import LearningSection
from learning.exploration import exploration_key, is_exploration
from learning.labels import Label, assemble_labels, outcome_label
from learning.table import CallRecord, LeadSnapshot, snapshot_time
from scoring.domain import CompanyFacts, LeadFacts
from scoring.service import company_facts, lead_facts
from store.normalize import is_free_mail
from store.repositories.learning_queries import (
    all_outcomes_and_feedback,
    calls_by_lead,
    leads_with_companies,
    score_marks_by_lead,
)
from store.sample_data import SampleCompany, SampleDataset
from store.tables import Call, Outcome


def call_record(call: Call) -> CallRecord:
    """A stored call's text."""
    transcript = tuple(call.transcript) if call.transcript else None
    return CallRecord(call.id, call.started_at, call.notes, call.title, transcript)


def load_snapshots(*, session: Session, learning: LearningSection) -> list[LeadSnapshot]:
    """Every labelled lead with its facts, calls and label, ordered by label time."""
    outcomes, feedback = all_outcomes_and_feedback(session=session)
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


def sample_snapshots(dataset: SampleDataset, learning: LearningSection) -> list[LeadSnapshot]:
    """Labelled snapshots straight from generated sample data (benchmarks; same label and time rules)."""
    companies = {c.domain: c for c in dataset.companies}
    calls: dict[str, list[CallRecord]] = {}
    for call in dataset.calls:
        calls.setdefault(call.lead_salesforce_id, []).append(
            CallRecord(call.fellow_id, call.started_at, call.notes, call.title, call.transcript)
        )
    leads = {lead.salesforce_id: (i, lead) for i, lead in enumerate(dataset.leads, start=1)}
    out = []
    for sample in dataset.outcomes:
        lead_id, lead = leads[sample.lead_salesforce_id]
        outcome = Outcome(
            lead_id=lead_id,
            progressed=sample.progressed,
            voice_ai_opportunity=sample.voice_ai_opportunity,
            status=sample.status,
            stage=sample.stage,
            decided_at=sample.decided_at,
        )
        label: Label = outcome_label(outcome, learning)
        company = None if is_free_mail(lead.company_domain) else companies.get(lead.company_domain.lower())
        lead_calls = tuple(calls.get(lead.salesforce_id, ()))
        out.append(
            LeadSnapshot(
                lead_id=lead_id,
                company=_sample_company(company),
                lead=LeadFacts(lead.email, lead.title, lead.source, lead.urgency_level, lead.salesforce_id),
                calls=lead_calls,
                label=label,
                snapshot_at=snapshot_time(label, lead.created_at, [c.started_at for c in lead_calls]),
                exploration=is_exploration(
                    exploration_key(lead_id, lead.salesforce_id), rate=learning.exploration_rate, seed=learning.seed
                ),
            )
        )
    return sorted(out, key=lambda s: (s.label.known_at, s.lead_id))


def _sample_company(company: SampleCompany | None) -> CompanyFacts | None:
    if company is None:
        return None
    return CompanyFacts(
        name=company.name,
        domain=company.domain,
        industry=company.industry,
        employees=company.employees,
        country=company.country,
        description=company.description,
        annual_revenue=company.annual_revenue,
        funding_stage=company.funding_stage,
    )
