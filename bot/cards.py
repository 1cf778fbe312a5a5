"""Assemble a score card's content from the store (score, lead, company, previous score, calls, verdicts)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session

from bot.domain import CallRef, CardData, Quote, ScoreView, Verdict
from config import Settings
from store.repositories import calls, companies, corrections, feedback, leads, scores
from store.tables import Lead, Score

MAX_CALLS_READ = 5  # scoring reads a lead's newest calls (config/scoring.yaml max_calls)


def score_view(score: Score) -> ScoreView:
    """The comparable headline of a stored score."""
    signals = frozenset(
        str(item.get("signal")) for item in score.evidence if isinstance(item, dict) and item.get("signal")
    )
    return ScoreView(
        qualification_score=score.qualification_score,
        voice_ai_fit=score.voice_ai_fit,
        recommendation=score.recommendation,
        priority=score.priority,
        reasoning=tuple(str(r) for r in score.reasoning),
        signals=signals,
    )


def salesforce_lead_url(settings: Settings, salesforce_id: str | None) -> str | None:
    """Lightning URL of a lead when the Salesforce instance is configured."""
    if not salesforce_id or not settings.salesforce_instance_url:
        return None
    return f"{settings.salesforce_instance_url}/lightning/r/Lead/{salesforce_id}/view"


def _lead_name(lead: Lead | None) -> str | None:
    if lead is None:
        return None
    name = " ".join(part for part in (lead.first_name, lead.last_name) if part)
    return ", ".join(part for part in (name, lead.title) if part) or lead.email


def _fellow_url(lead: Lead | None, *, session: Session) -> str | None:
    if lead is None or lead.id is None:
        return None
    return next((call.call_url for call in calls.calls_for_lead(lead.id, session=session) if call.call_url), None)


def _calls_read(lead: Lead | None, score: Score, *, session: Session) -> tuple[CallRef, ...]:
    """The lead's calls a score could read: the newest few that started before it was computed."""
    if lead is None or lead.id is None:
        return ()
    found = calls.calls_for_lead(lead.id, session=session, limit=MAX_CALLS_READ * 4)
    read = [c for c in found if c.started_at is None or _naive(c.started_at) <= _naive(score.scored_at)]
    return tuple(CallRef(started_at=c.started_at, title=c.title) for c in read[:MAX_CALLS_READ])


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)


def quotes_of(score: Score, *, session: Session) -> tuple[Quote, ...]:
    """Each quote once with its signals; signals an AE marked "not right" move to `corrected`."""
    wrong = (
        {row.evidence_index for row in corrections.corrections_for_score(score.id, session=session)}
        if score.id
        else set()
    )
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    texts: dict[tuple[str, str], str] = {}
    for index, item in enumerate(score.evidence or []):
        if not isinstance(item, dict) or not str(item.get("quote") or "").strip():
            continue
        quote = " ".join(str(item["quote"]).split())
        key = (str(item.get("call_id")), quote.casefold())
        texts.setdefault(key, quote)
        groups.setdefault(key, []).append((index, str(item.get("signal") or "signal")))
    out = []
    for key, members in groups.items():
        seen: dict[str, int] = {}
        for index, signal in members:
            seen.setdefault(signal, index)
        standing = tuple(s for s, i in seen.items() if i not in wrong)
        corrected = tuple(s for s, i in seen.items() if i in wrong)
        items = tuple(i for s, i in seen.items() if i not in wrong)
        first = members[0][1]
        out.append(Quote(signal=first, quote=texts[key], signals=standing, items=items, corrected=corrected))
    return tuple(out)


def load_card(score_id: int, *, session: Session, settings: Settings) -> CardData | None:
    """Everything a card shows for a stored score, or None when the score does not exist."""
    score = scores.get_score(score_id, session=session)
    if score is None or score.id is None:
        return None
    return card_for(score, session=session, settings=settings)


def card_for(score: Score, *, session: Session, settings: Settings) -> CardData:
    """A card for a score row, stored or not (an unsaved one is a preview: score #0, no previous score)."""
    lead = leads.get_lead(score.lead_id, session=session) if score.lead_id is not None else None
    company_id = score.company_id or (lead.company_id if lead else None)
    company = companies.get_company(company_id, session=session) if company_id is not None else None
    previous = scores.previous_score(score, session=session)
    verdicts = tuple(
        Verdict(user_id=row.user_id, verdict=row.verdict, reason=row.reason)
        for row in (feedback.feedback_for_score(score.id, session=session) if score.id is not None else ())
    )
    return CardData(
        score_id=score.id or 0,
        company=(company.name or company.domain) if company else "Unknown company",
        domain=company.domain if company else None,
        lead_name=_lead_name(lead),
        current=score_view(score),
        confidence=score.confidence,
        quotes=quotes_of(score, session=session),
        model_version=score.model_version,
        scorer=score.scorer,
        scored_at=score.scored_at,
        previous=score_view(previous) if previous is not None else None,
        salesforce_url=salesforce_lead_url(settings, lead.salesforce_id if lead else None),
        fellow_url=_fellow_url(lead, session=session),
        warnings=tuple(str(w) for w in score.warnings),
        verdicts=verdicts,
        lead_deleted=score.lead_id is not None and lead is None,
        lead_ref=lead.salesforce_id if lead else None,
        calls=_calls_read(lead, score, session=session),
        provisional=score.lead_id is None,
    )
