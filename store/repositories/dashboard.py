"""Read-only queries for the admin dashboard: volumes, latest scores per lead, outcomes joined to scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from store.tables import Call, Company, Feedback, Lead, Outcome, Score


@dataclass(frozen=True)
class Volumes:
    """Headline counts."""

    companies: int
    leads: int
    calls: int
    scores: int
    leads_scored: int
    feedback: int
    outcomes: int


def _count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def volumes(*, session: Session) -> Volumes:
    """Counts of everything the dashboard headlines."""
    scored = session.exec(select(func.count(func.distinct(Score.lead_id))).where(col(Score.lead_id).is_not(None)))
    return Volumes(
        companies=_count(session, Company),
        leads=_count(session, Lead),
        calls=_count(session, Call),
        scores=_count(session, Score),
        leads_scored=scored.one(),
        feedback=_count(session, Feedback),
        outcomes=_count(session, Outcome),
    )


def timestamps(table: str, *, session: Session, since: datetime) -> list[datetime]:
    """Creation times since a moment for 'calls' (started), 'leads' (created) or 'scores' (scored)."""
    column = {"calls": Call.started_at, "leads": Lead.created_at, "scores": Score.scored_at}[table]
    return [moment for moment in session.exec(select(column).where(column >= since)).all() if moment is not None]


def _latest_ids(session: Session) -> list[int]:
    query = select(func.max(Score.id)).where(col(Score.lead_id).is_not(None)).group_by(Score.lead_id)
    return [score_id for score_id in session.exec(query).all() if score_id is not None]


@dataclass(frozen=True)
class ScoredLead:
    """A lead's latest score with its company and, when known, its outcome."""

    lead_id: int
    score_id: int
    qualification_score: int
    progression_probability: float
    recommendation: str
    priority: str
    model_version: str
    scored_at: datetime
    company_name: str | None
    domain: str | None
    industry: str | None
    progressed: bool | None
    voice_ai_opportunity: bool | None


def latest_scores(*, session: Session, limit: int = 50_000) -> list[ScoredLead]:
    """Every scored lead's most recent score, joined to company and outcome (newest first)."""
    ids = _latest_ids(session)
    rows: list[ScoredLead] = []
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        query = (
            select(
                Score, Company.name, Company.domain, Company.industry, Outcome.progressed, Outcome.voice_ai_opportunity
            )
            .join(Company, col(Company.id) == Score.company_id, isouter=True)
            .join(Outcome, col(Outcome.lead_id) == Score.lead_id, isouter=True)
            .where(col(Score.id).in_(chunk))
        )
        for score, name, domain, industry, progressed, voice_ai in session.exec(query).all():
            assert score.id is not None and score.lead_id is not None
            rows.append(
                ScoredLead(
                    lead_id=score.lead_id,
                    score_id=score.id,
                    qualification_score=score.qualification_score,
                    progression_probability=score.progression_probability,
                    recommendation=score.recommendation,
                    priority=score.priority,
                    model_version=score.model_version,
                    scored_at=score.scored_at,
                    company_name=name,
                    domain=domain,
                    industry=industry,
                    progressed=progressed,
                    voice_ai_opportunity=voice_ai,
                )
            )
    rows.sort(key=lambda row: (row.scored_at, row.score_id), reverse=True)
    return rows[:limit]


def recent_calls(*, session: Session, limit: int) -> list[Call]:
    """The newest calls with notes (for sentiment and follow-up figures)."""
    query = select(Call).where(col(Call.notes).is_not(None)).order_by(col(Call.started_at).desc()).limit(limit)
    return list(session.exec(query).all())


def feedback_counts(*, session: Session) -> dict[str, int]:
    """Feedback rows per verdict."""
    query = select(Feedback.verdict, func.count()).group_by(Feedback.verdict)
    return {verdict: count for verdict, count in session.exec(query).all()}
