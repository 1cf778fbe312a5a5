"""Score a resolved target without saving anything and build its card: what `fellow qualify` and
`fellow slack preview` show, from the same card builder Slack uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import Session

from bot.cards import card_for
from bot.domain import CardData
from bot.resolve import DomainTarget, LeadTarget
from bot.scoring_backend import PROVISIONAL_CONFIDENCE
from config import Settings
from scoring.domain import ScoreResult
from scoring.facts import CallReader, call_facts, company_facts, lead_facts
from scoring.persist import score_columns
from scoring.scorer import Scorer
from store.repositories import calls, companies, leads
from store.tables import Company, Score


def preview(
    target: LeadTarget | DomainTarget,
    *,
    session: Session,
    settings: Settings,
    scorer: Scorer,
    extractor: CallReader,
    now: datetime | None = None,
) -> tuple[ScoreResult, CardData]:
    """The score the target would get now (lead, newest calls, company) and its card; nothing is persisted."""
    now = now or datetime.now(UTC)
    if isinstance(target, LeadTarget):
        lead = leads.get_lead(target.lead_id, session=session)
        if lead is None or lead.id is None:
            raise LookupError(f"lead {target.lead_id} does not exist")
        company = companies.get_company(lead.company_id, session=session) if lead.company_id else None
        read = calls.calls_for_lead(lead.id, session=session, limit=scorer.config.max_calls)
        result = scorer.score_facts(
            company_facts(company, session=session), lead_facts(lead), call_facts(read, extractor), now=now
        )
        row = Score(lead_id=lead.id, company_id=lead.company_id, input_hash="preview", **score_columns(result))
        return result, card_for(row, session=session, settings=settings)
    company = companies.get_company_by_domain(target.domain, session=session) or Company(domain=target.domain)
    result = scorer.score_facts(company_facts(company, session=session), None, [], now=now)
    result = result.model_copy(update={"confidence": min(result.confidence, PROVISIONAL_CONFIDENCE)})
    card = card_for(Score(input_hash="preview", **score_columns(result)), session=session, settings=settings)
    return result, replace(card, company=company.name or company.domain, domain=company.domain)
