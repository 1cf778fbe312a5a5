"""Lead search for the dashboard's leads page: each scored lead's latest score with its company, outcome, calls
and feedback, searched, filtered, sorted and paged in SQL (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, or_
from sqlalchemy import select as select_columns
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func, select

from store.tables import Call, Company, Feedback, Lead, Outcome, Score

PAGE_SIZES = (25, 50, 100)


class LeadSort(StrEnum):
    """The orders the leads page offers."""

    SCORE = "score"
    SCORED_AT = "scored_at"
    COMPANY = "company"
    PROBABILITY = "probability"


class FeedbackFilter(StrEnum):
    """Which AE judgements a lead must have."""

    ANY = "any"
    UP = "up"
    DOWN = "down"
    NONE = "none"


@dataclass(frozen=True)
class LeadQuery:
    """What the leads page asks for; every field is validated at the edge before it gets here."""

    text: str = ""
    recommendation: str | None = None
    priority: str | None = None
    model_version: str | None = None
    has_call: bool | None = None
    feedback: FeedbackFilter | None = None
    sort: LeadSort = LeadSort.SCORED_AT
    descending: bool = True
    page: int = 1
    per_page: int = PAGE_SIZES[0]


@dataclass(frozen=True)
class LeadRow:
    """One row of the leads page."""

    lead_id: int
    salesforce_id: str | None
    person: str | None
    email: str | None
    company_name: str | None
    domain: str | None
    industry: str | None
    qualification_score: int
    progression_probability: float
    recommendation: str
    priority: str
    model_version: str
    scored_at: datetime
    progressed: bool | None
    calls: int
    thumbs_up: int
    thumbs_down: int


@dataclass(frozen=True)
class LeadPage:
    """A page of rows and the total that matched."""

    rows: list[LeadRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the matches fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _verdicts(verdict: str) -> Any:
    return (
        select(func.count())
        .select_from(Feedback)
        .where(Feedback.lead_id == Lead.id, Feedback.verdict == verdict)
        .correlate(Lead)
        .scalar_subquery()
    )


def _filters(query: LeadQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    text = query.text.strip()
    if text:
        pattern = _like(text)
        clauses.append(
            or_(
                func.lower(Company.name).like(pattern, escape="\\"),
                func.lower(Company.domain).like(pattern, escape="\\"),
                func.lower(Lead.email).like(pattern, escape="\\"),
                func.lower(Lead.salesforce_id).like(_like(text[:15]), escape="\\"),
            )
        )
    if query.recommendation:
        clauses.append(col(Score.recommendation) == query.recommendation)
    if query.priority:
        clauses.append(col(Score.priority) == query.priority)
    if query.model_version:
        clauses.append(col(Score.model_version) == query.model_version)
    if query.has_call is not None:
        called = exists().where(col(Call.lead_id) == Lead.id)
        clauses.append(called if query.has_call else ~called)
    if query.feedback is not None:
        judged = exists().where(col(Feedback.lead_id) == Lead.id)
        if query.feedback is FeedbackFilter.NONE:
            clauses.append(~judged)
        elif query.feedback is FeedbackFilter.ANY:
            clauses.append(judged)
        else:
            clauses.append(
                exists().where(and_(col(Feedback.lead_id) == Lead.id, col(Feedback.verdict) == query.feedback.value))
            )
    return clauses


def _order(query: LeadQuery) -> list[Any]:
    column: Any = {
        LeadSort.SCORE: col(Score.qualification_score),
        LeadSort.SCORED_AT: col(Score.scored_at),
        LeadSort.COMPANY: func.lower(func.coalesce(Company.name, Company.domain, Lead.email, "")),
        LeadSort.PROBABILITY: col(Score.progression_probability),
    }[query.sort]
    tie = col(Lead.id)
    return [column.desc(), tie.desc()] if query.descending else [column.asc(), tie.asc()]


def search_leads(query: LeadQuery, *, session: Session) -> LeadPage:
    """One page of scored leads matching the query (latest score per lead), and how many match in all."""
    latest = (
        select(col(Score.lead_id).label("lead_id"), func.max(Score.id).label("score_id"))
        .where(col(Score.lead_id).is_not(None))
        .group_by(col(Score.lead_id))
        .subquery()
    )
    calls = select(func.count()).select_from(Call).where(Call.lead_id == Lead.id).correlate(Lead).scalar_subquery()
    base = (
        select_columns(
            Lead, Score, col(Company.name), col(Company.domain), col(Company.industry), col(Outcome.progressed)
        )
        .join(latest, latest.c.lead_id == Lead.id)
        .join(Score, col(Score.id) == latest.c.score_id)
        .join(Company, col(Company.id) == func.coalesce(Lead.company_id, Score.company_id), isouter=True)
        .join(Outcome, col(Outcome.lead_id) == Lead.id, isouter=True)
        .where(*_filters(query))
    )
    total = session.execute(select_columns(func.count()).select_from(base.subquery())).scalar_one()
    page = max(1, query.page)
    rows_query = (
        base.add_columns(calls, _verdicts("up"), _verdicts("down"))
        .order_by(*_order(query))
        .limit(query.per_page)
        .offset((page - 1) * query.per_page)
    )
    rows = [
        LeadRow(
            lead_id=lead.id,
            salesforce_id=lead.salesforce_id,
            person=" ".join(part for part in (lead.first_name, lead.last_name) if part) or None,
            email=lead.email,
            company_name=name,
            domain=domain,
            industry=industry,
            qualification_score=score.qualification_score,
            progression_probability=score.progression_probability,
            recommendation=score.recommendation,
            priority=score.priority,
            model_version=score.model_version,
            scored_at=score.scored_at,
            progressed=progressed,
            calls=n_calls or 0,
            thumbs_up=up or 0,
            thumbs_down=down or 0,
        )
        for lead, score, name, domain, industry, progressed, n_calls, up, down in session.execute(rows_query).all()
    ]
    return LeadPage(rows=rows, total=total, page=page, per_page=query.per_page)


def scored_model_versions(*, session: Session) -> list[str]:
    """Every model version that has scored a lead (the leads page's model filter), newest name last."""
    query = select(Score.model_version).distinct().order_by(col(Score.model_version))
    return [version for version in session.exec(query).all() if version]


@dataclass(frozen=True)
class DomainToTry:
    """A company domain worth trying `/qualify` on, with its latest score when it has one."""

    domain: str
    company_name: str | None
    calls: int
    recommendation: str | None = None
    qualification_score: int | None = None


def domains_to_try(*, session: Session, per_recommendation: int = 2, limit: int = 6) -> list[DomainToTry]:
    """Domains to try: the best-scored lead with a call for each recommendation, else the companies with most calls."""
    found: list[DomainToTry] = []
    for recommendation in sorted(set(session.exec(select(Score.recommendation).distinct()).all())):
        query = LeadQuery(
            recommendation=recommendation, has_call=True, sort=LeadSort.SCORE, per_page=per_recommendation
        )
        found += [
            DomainToTry(row.domain, row.company_name, row.calls, row.recommendation, row.qualification_score)
            for row in search_leads(query, session=session).rows
            if row.domain
        ]
    if found:
        return found[:limit]
    calls = func.count(col(Call.id))
    busiest = (
        select(Company.domain, Company.name, calls)
        .join(Call, col(Call.company_id) == Company.id)
        .group_by(col(Company.id), col(Company.domain), col(Company.name))
        .order_by(calls.desc(), col(Company.domain))
        .limit(limit)
    )
    return [DomainToTry(domain, name, n) for domain, name, n in session.exec(busiest).all()]
