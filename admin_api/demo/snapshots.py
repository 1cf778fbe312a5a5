"""Labelled snapshots straight from generated sample data (benchmarks, tests), by the same label and time rules as
`learning.dataset.load_snapshots` applies to stored leads."""

from __future__ import annotations

from admin_api.demo.sample_data import SampleDataset
from config.sections import LearningSection
from learning.exploration import exploration_key, is_exploration
from learning.labels import Label, outcome_label
from learning.table import CallRecord, LeadSnapshot, snapshot_time
from scoring.domain import LeadFacts
from scoring.facts import firmographics
from store.normalize import is_free_mail
from store.tables import Outcome


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
                company=None if company is None else firmographics(company),
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
