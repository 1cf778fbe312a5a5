"""The daily drift check against the store: current population and scores vs the champion's training profile,
and the rolling handoff precision of recent AE_HANDOFF scores whose outcome or feedback is known."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from sqlmodel import Session

from config import Settings
from learning.dataset import call_record, company_facts, lead_facts
from learning.drift import DriftReport, assess, feature_psi, psi, score_shares
from learning.labels import assemble_labels
from learning.metrics import handoff_precision
from learning.table import SignalReader
from scoring.config import load_scoring_config
from scoring.domain import CallFacts, Recommendation
from scoring.features import build_features, features_frame
from store.repositories import outbox
from store.repositories.calls import calls_by_lead
from store.repositories.feedback import list_feedback
from store.repositories.leads import lead_ids_created_since, leads_with_companies
from store.repositories.model_versions import get_champion
from store.repositories.outcomes import list_outcomes
from store.repositories.scores import scores_since
from store.topics import Topic, report_key

WINDOW_DAYS = 30


def current_features(
    session: Session, settings: Settings, read_signals: SignalReader, *, since: datetime, now: datetime
) -> pd.DataFrame:
    """Features of leads created since `since`, as the scorer would build them now."""
    lead_ids = lead_ids_created_since(since, session=session)
    leads = leads_with_companies(lead_ids, session=session)
    calls = calls_by_lead(lead_ids, session=session)
    max_calls = load_scoring_config(settings.scoring_file).max_calls
    chosen = {i: sorted(calls.get(i, []), key=lambda c: c.started_at or now, reverse=True)[:max_calls] for i in leads}
    records = [call_record(c) for i in leads for c in chosen[i]]
    signals = iter(read_signals(records))
    rows = []
    for lead_id, (lead, company) in leads.items():
        facts = [CallFacts(c.id, c.started_at, c.notes, next(signals)) for c in chosen[lead_id]]
        rows.append(build_features(company_facts(company), lead_facts(lead), facts, now))
    return features_frame(rows)


def rolling_precision(session: Session, settings: Settings, *, since: datetime) -> tuple[float | None, int]:
    """Handoff precision of leads whose latest recent score was AE_HANDOFF and whose label is known."""
    latest = {score.lead_id: score for score in scores_since(since, session=session) if score.lead_id is not None}
    handed = {lead_id for lead_id, score in latest.items() if score.recommendation == Recommendation.AE_HANDOFF.value}
    outcomes, feedback = list_outcomes(session=session), list_feedback(session=session)
    labels = {
        label.lead_id: label
        for label in assemble_labels(
            [o for o in outcomes if o.lead_id in handed],
            [f for f in feedback if f.lead_id in handed],
            {},
            settings.learning,
        )
    }
    if not labels:
        return None, 0
    y = np.array([float(label.progressed) for label in labels.values()])
    return handoff_precision(y, np.ones_like(y)), len(y)


def run_drift_check(
    session: Session, settings: Settings, read_signals: SignalReader, *, now: datetime | None = None
) -> DriftReport:
    """Measure drift for the serving champion (PSI needs one; precision is checked either way)."""
    now = now or datetime.now(UTC)
    since = now - timedelta(days=WINDOW_DAYS)
    champion = get_champion(session=session)
    scores = scores_since(since, session=session)
    report = DriftReport(
        model_version=None if champion is None else champion.version, n_current=0, n_scores=len(scores)
    )
    reference = {} if champion is None else champion.details.get("reference", {})
    if reference:
        frame = current_features(session, settings, read_signals, since=since, now=now)
        report.n_current = len(frame)
        if len(frame):
            report.feature_psi = feature_psi(reference, frame)
        if scores:
            current = score_shares(np.array([s.progression_probability for s in scores]))
            report.score_psi = round(psi(reference["score"]["shares"], current), 6)
    report.rolling_precision, report.rolling_precision_n = rolling_precision(session, settings, since=since)
    if champion is not None:
        evaluated = champion.metrics.get("evaluation", {}).get("contenders", {}).get("challenger", {})
        report.baseline_precision = evaluated.get("handoff_precision")
    return assess(report, settings.learning)


def enqueue_drift_alert(report: DriftReport, *, session: Session, day: datetime) -> bool:
    """Queue one drift alert per day when the check found something; returns whether one was queued."""
    if report.severity == "ok":
        return False
    payload = {
        "kind": "drift",
        "title": f"Drift check: {report.severity}",
        "text": "; ".join(report.findings[:10]),
        "fields": {
            "model_version": report.model_version or "prior",
            "score_psi": "n/a" if report.score_psi is None else f"{report.score_psi:.3f}",
            "rolling_handoff_precision": "n/a"
            if report.rolling_precision is None
            else f"{report.rolling_precision:.1%} (n={report.rolling_precision_n})",
            "retrain_recommended": str(report.retrain_recommended).lower(),
        },
    }
    _, created = outbox.enqueue(Topic.SLACK_REPORT, report_key("drift", f"{day:%Y-%m-%d}"), payload, session=session)
    return created
