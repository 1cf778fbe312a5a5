"""Store-backed scoring: gather a lead's company and latest calls, score, persist a Score and enqueue its
outbox events (Salesforce write-back, Slack post) in the caller's transaction. A shadow challenger riding on
the scorer scores the same inputs into a ShadowScore row beside it, with no outbox event.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import structlog
from sqlmodel import Session

from scoring.domain import CallFacts, CompanyFacts, LeadFacts, ScoreResult
from scoring.facts import CallReader, call_facts, company_facts, input_hash, lead_facts
from scoring.persist import persist_score
from scoring.scorer import Scorer
from store.repositories.calls import calls_for_lead
from store.repositories.companies import get_company
from store.repositories.leads import clear_score_pending, get_lead, leads_for_company
from store.repositories.outbox import enqueue
from store.repositories.scores import latest_score
from store.repositories.shadow_scores import add_shadow_score
from store.tables import Lead, Score
from store.topics import Topic, score_key

log = structlog.get_logger(__name__)


class LeadNotFoundError(LookupError):
    """The lead to score does not exist."""


def score_lead(
    lead_id: int,
    *,
    session: Session,
    scorer: Scorer,
    extractor: CallReader,
    now: datetime | None = None,
    trigger: str | None = None,
    exploration: bool = False,
    skip_unchanged: bool = False,
) -> Score:
    """Score a stored lead, persist the Score row and enqueue `salesforce.writeback` (when the lead has a
    Salesforce Id) and `slack.post`, keyed by score id; the caller commits (e.g. store.db.session_scope).

    With `skip_unchanged` (the sync paths), a lead whose newest score was computed by the serving model from
    the same inputs keeps that score: no new row, no second card in the channel, no writeback. Either way the
    lead's `score_pending` mark is cleared in the caller's transaction, so it stays set if that rolls back. A new
    score also records the scorer's shadow challenger, if any, as a ShadowScore beside it (no outbox event)."""
    lead = get_lead(lead_id, session=session)
    if lead is None:
        raise LeadNotFoundError(f"lead {lead_id} does not exist")
    clear_score_pending(lead, session=session)
    now = now or datetime.now(UTC)
    company = company_facts(get_company(lead.company_id, session=session) if lead.company_id else None, session=session)
    facts = lead_facts(lead)
    calls = call_facts(calls_for_lead(lead_id, session=session, limit=scorer.config.max_calls), extractor)
    previous = latest_score(lead_id, session=session)
    digest = input_hash(company, facts, calls)
    if (
        skip_unchanged
        and previous is not None
        and previous.input_hash == digest
        and previous.model_version == scorer.model_version
    ):
        log.info("scoring.lead_unchanged", lead_id=lead.id, score_id=previous.id, trigger=trigger)
        return previous
    result = scorer.score_facts(company, facts, calls, now=now)
    score = persist_score(
        result, session=session, input_hash=digest, trigger=trigger,
        lead_id=lead.id, company_id=lead.company_id, exploration=exploration,
    )  # fmt: skip
    _announce(score, lead, previous=previous, trigger=trigger, session=session)
    log.info(
        "scoring.lead_scored", lead_id=lead.id, score_id=score.id, score=result.qualification_score,
        recommendation=result.recommendation.value, scorer=result.scorer, model_version=result.model_version,
    )  # fmt: skip
    if scorer.shadow is not None:
        _score_shadow(scorer.shadow, score, (company, facts, calls), session=session, now=now)
    return score


def _announce(score: Score, lead: Lead, *, previous: Score | None, trigger: str | None, session: Session) -> None:
    """Enqueue a lead's new score for Salesforce write-back (when it has a Salesforce Id) and the Slack channel."""
    summary: dict[str, Any] = {
        "score_id": score.id,
        "lead_id": lead.id,
        "qualification_score": score.qualification_score,
        "recommendation": score.recommendation,
        "priority": score.priority,
        "model_version": score.model_version,
    }
    if lead.salesforce_id:
        sf_summary = summary | {"salesforce_id": lead.salesforce_id}
        enqueue(
            Topic.SALESFORCE_WRITEBACK, score_key(Topic.SALESFORCE_WRITEBACK, score.id), sf_summary, session=session
        )
    slack = summary | {"previous_score_id": previous.id if previous else None, "trigger": trigger}
    enqueue(Topic.SLACK_POST, score_key(Topic.SLACK_POST, score.id), slack, session=session)


def _score_shadow(
    shadow: Scorer,
    score: Score,
    inputs: tuple[CompanyFacts | None, LeadFacts, list[CallFacts]],
    *,
    session: Session,
    now: datetime,
) -> None:
    """Record the shadow challenger's score beside the champion's: a ShadowScore row only (no card, no
    writeback); a failure is logged and never costs the champion's score."""
    try:
        result = shadow.score_facts(*inputs, now=now)
    except Exception:  # the shadow is an experiment: it must never stop live scoring
        log.exception("scoring.shadow_failed", lead_id=score.lead_id, model_version=shadow.model_version)
        return
    add_shadow_score(
        session=session,
        lead_id=score.lead_id,
        score_id=score.id,
        model_version=result.model_version,
        champion_version=score.model_version,
        qualification_score=result.qualification_score,
        progression_probability=result.progression_probability,
        voice_ai_fit=result.voice_ai_fit,
        recommendation=result.recommendation.value,
        handoff_basis=result.handoff_basis,
        calibrated=result.calibrated,
        scored_at=result.scored_at,
    )


def score_company(
    company_id: int, *, session: Session, scorer: Scorer, extractor: CallReader, now: datetime | None = None
) -> ScoreResult:
    """Score a stored company through its newest lead and that lead's calls, without persisting anything
    (what `fellow qualify` shows)."""
    company = get_company(company_id, session=session)
    if company is None:
        raise LookupError(f"company {company_id} does not exist")
    leads = leads_for_company(company_id, session=session)
    lead = leads[0] if leads else None
    calls = (
        call_facts(calls_for_lead(lead.id, session=session, limit=scorer.config.max_calls), extractor)
        if lead is not None and lead.id is not None
        else []
    )
    facts = company_facts(company, session=session)
    return scorer.score_facts(facts, lead_facts(lead) if lead else None, calls, now=now)
