"""Overviews of what the database holds: headline counts (dashboard) and a plain-text summary (`fellow demo show`)."""

from __future__ import annotations

from dataclasses import dataclass

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


def sample_overview(*, session: Session, examples: int = 2) -> str:
    """Volumes, outcome rates, the lead date range, top industries and a few note excerpts."""
    leads, calls, companies = _count(session, Lead), _count(session, Call), _count(session, Company)
    outcomes, scores = _count(session, Outcome), _count(session, Score)
    progressed = session.exec(select(func.count()).where(col(Outcome.progressed).is_(True))).one()
    voice_ai = session.exec(select(func.count()).where(col(Outcome.voice_ai_opportunity).is_(True))).one()
    first, last = session.exec(select(func.min(Lead.created_at), func.max(Lead.created_at))).one()
    industries = session.exec(
        select(Company.industry, func.count()).group_by(Company.industry).order_by(func.count().desc()).limit(5)
    ).all()
    lines = [
        f"companies: {companies}   leads: {leads}   calls: {calls}   outcomes: {outcomes}   scores: {scores}",
        f"leads created: {first:%Y-%m-%d} .. {last:%Y-%m-%d}" if first and last else "leads created: none",
    ]
    if outcomes:
        lines.append(
            f"progressed: {progressed} ({progressed / outcomes:.1%})   "
            f"voice AI opportunities: {voice_ai} ({voice_ai / outcomes:.1%})   "
            f"awaiting outcome: {leads - outcomes}"
        )
    if industries:
        lines.append("top industries: " + ", ".join(f"{name or 'unknown'} ({count})" for name, count in industries))
    notes = session.exec(select(Call.title, Call.notes).order_by(col(Call.id)).limit(examples)).all()
    for title, text in notes:
        excerpt = " ".join((text or "").split())[:240]
        lines.append(f"- {title}: {excerpt}…")
    return "\n".join(lines)
