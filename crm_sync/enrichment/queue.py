"""The enrichment queue: expected-value priorities, requests per company, and the backlog metric."""

from __future__ import annotations

import math
from datetime import datetime

from sqlmodel import Session

from crm_sync.enrichment.config import QueueConfig
from store.repositories import enrichment as repo
from store.tables import EnrichmentRequest

# Neutral assumptions for a company nobody has scored yet: mid score and fit, maximal uncertainty.
_UNSCORED = 50


def expected_value(inputs: repo.PriorityInputs, config: QueueConfig, now: datetime) -> float:
    """Value of enriching now, in [0, 1]: likely-good, Voice-AI-fit, uncertain and recent leads first."""
    weights = config.weights
    score = (inputs.qualification_score if inputs.qualification_score is not None else _UNSCORED) / 100
    fit = (inputs.voice_ai_fit if inputs.voice_ai_fit is not None else _UNSCORED) / 100
    uncertainty = 1.0 - (inputs.confidence if inputs.confidence is not None else 0.0)
    if inputs.latest_lead_at is None:
        recency = 0.0
    else:
        age_days = max((now - inputs.latest_lead_at).total_seconds() / 86400, 0.0)
        recency = math.pow(0.5, age_days / config.recency_half_life_days)
    total = weights.score + weights.voice_ai_fit + weights.uncertainty + weights.recency
    value = weights.score * score + weights.voice_ai_fit * fit + weights.uncertainty * uncertainty
    value += weights.recency * recency
    return round(value / total, 6) if total > 0 else 0.0


def request_enrichment(
    company_id: int, *, session: Session, config: QueueConfig, now: datetime
) -> tuple[EnrichmentRequest, bool]:
    """Queue a company at its current expected value (one request per company). Returns (request, created)."""
    priority = expected_value(repo.priority_inputs(company_id, session=session), config, now)
    return repo.request_enrichment(company_id, priority, session=session, now=now)


def enqueue_due(providers: tuple[str, ...], *, session: Session, config: QueueConfig, now: datetime) -> int:
    """Queue companies with leads whose enrichment is missing or expired; returns how many were queued."""
    company_ids = repo.companies_due(providers, session=session, now=now, limit=config.batch_size * 10)
    for company_id in company_ids:
        request_enrichment(company_id, session=session, config=config, now=now)
    return len(company_ids)


def enrichment_backlog(*, session: Session) -> int:
    """How many companies wait for enrichment (the metric behind the 'enrichment backlog > 50' alert)."""
    return repo.backlog_size(session=session)


def backlog_alert(*, session: Session, config: QueueConfig) -> str | None:
    """A drift-style alert message when the backlog exceeds the configured threshold, else None."""
    size = enrichment_backlog(session=session)
    if size > config.backlog_alert:
        return f"Enrichment backlog is {size} companies (alert above {config.backlog_alert})"
    return None
