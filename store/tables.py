"""SQLModel tables: the data model every other package reads and writes through store's repositories."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


def _time(*, nullable: bool = False, index: bool = False, default: bool = True) -> Any:
    kwargs: dict[str, Any] = {"sa_type": UTCDateTime, "nullable": nullable, "index": index}
    if default and not nullable:
        kwargs["default_factory"] = utcnow
    elif nullable:
        kwargs["default"] = None
    return Field(**kwargs)


def _json(default: Any = None) -> Any:
    factory = (lambda: type(default)()) if isinstance(default, list | dict) else None
    if factory is not None:
        return Field(default_factory=factory, sa_column=Column(JSON, nullable=False))
    return Field(default=None, sa_column=Column(JSON, nullable=True))


def _text() -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=True))


class Company(SQLModel, table=True):
    """A prospect company, unique by normalised domain."""

    id: int | None = Field(default=None, primary_key=True)
    domain: str = Field(max_length=253, unique=True, index=True)
    name: str | None = Field(default=None, max_length=255, index=True)
    industry: str | None = Field(default=None, max_length=120)
    employees: int | None = None
    country: str | None = Field(default=None, max_length=80)
    description: str | None = _text()
    annual_revenue: float | None = None
    funding_stage: str | None = Field(default=None, max_length=60)
    created_at: datetime = _time()
    updated_at: datetime = _time()


class Lead(SQLModel, table=True):
    """A Salesforce Lead (or a lead known only locally until it syncs)."""

    id: int | None = Field(default=None, primary_key=True)
    salesforce_id: str | None = Field(default=None, max_length=18, unique=True, index=True)
    email: str | None = Field(default=None, max_length=320, index=True)
    first_name: str | None = Field(default=None, max_length=120)
    last_name: str | None = Field(default=None, max_length=120)
    title: str | None = Field(default=None, max_length=255)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    source: str | None = Field(default=None, max_length=120)
    status: str | None = Field(default=None, max_length=120)
    is_converted: bool = False
    urgency_level: int | None = None
    score_pending: bool = Field(default=False, index=True)
    created_at: datetime = _time(index=True)
    modified_at: datetime = _time()
    status_changed_at: datetime | None = _time(nullable=True)
    deleted_at: datetime | None = _time(nullable=True)
    updated_at: datetime = _time()


class Call(SQLModel, table=True):
    """A Fellow intro call: notes and/or transcript, matched to a lead when possible."""

    id: int | None = Field(default=None, primary_key=True)
    fellow_id: str = Field(max_length=120, unique=True, index=True)
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    title: str | None = Field(default=None, max_length=500)
    started_at: datetime | None = _time(nullable=True, index=True)
    attendees: list[str] = _json([])
    notes: str | None = _text()
    transcript: list[dict[str, Any]] | None = _json()
    call_url: str | None = Field(default=None, max_length=2000)
    match_method: str | None = Field(default=None, max_length=40)
    unmatched_reason: str | None = Field(default=None, max_length=500)
    ingested_at: datetime = _time()
    updated_at: datetime = _time()


class Score(SQLModel, table=True):
    """One scoring of a lead: the whole DESIGN.md output contract plus provenance."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    qualification_score: int
    progression_probability: float
    voice_ai_fit: int
    recommendation: str = Field(max_length=32, index=True)
    priority: str = Field(max_length=32)
    confidence: float
    reasoning: list[str] = _json([])
    factors: list[dict[str, Any]] = _json([])
    rules_fired: list[dict[str, Any]] = _json([])
    evidence: list[dict[str, Any]] = _json([])
    warnings: list[str] = _json([])
    model_version: str = Field(max_length=80, index=True)
    scorer: str = Field(max_length=20)
    input_hash: str = Field(max_length=64, index=True)
    exploration: bool = False
    trigger: str | None = Field(default=None, max_length=40)
    handoff_basis: str | None = Field(default=None, max_length=20)
    calibrated: bool | None = None
    scored_at: datetime = _time(index=True)


class Feedback(SQLModel, table=True):
    """An AE's verdict on a score; one row per (score, AE), updated when they change their mind. `user_id` is the
    AE's Slack user id (a Salesforce user mapped by `canvas.user_map`) or `sf:<Salesforce user id>`."""

    __table_args__ = (UniqueConstraint("score_id", "user_id", name="uq_feedback_score_user"),)

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    user_id: str = Field(max_length=64)
    user_name: str | None = Field(default=None, max_length=255)
    verdict: str = Field(max_length=8)
    reason: str | None = Field(default=None, max_length=40)
    comment: str | None = _text()
    model_version: str | None = Field(default=None, max_length=80)
    source: str = Field(default="slack", max_length=20)
    salesforce_user_id: str | None = Field(default=None, max_length=18)
    created_at: datetime = _time()
    updated_at: datetime = _time(index=True)


class Outcome(SQLModel, table=True):
    """What happened to a lead in Salesforce: the primary training label."""

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", unique=True, index=True)
    progressed: bool
    voice_ai_opportunity: bool | None = None
    status: str | None = Field(default=None, max_length=120)
    stage: str | None = Field(default=None, max_length=120)
    opportunity_id: str | None = Field(default=None, max_length=18)
    source: str = Field(default="salesforce", max_length=20)
    decided_at: datetime = _time(index=True)
    recorded_at: datetime = _time()


class ModelVersion(SQLModel, table=True):
    """A trained model bundle in the registry: candidate, champion or retired."""

    __tablename__ = "model_version"

    id: int | None = Field(default=None, primary_key=True)
    version: str = Field(max_length=80, unique=True, index=True)
    state: str = Field(default="candidate", max_length=20, index=True)
    artifact_path: str = Field(max_length=1000)
    details: dict[str, Any] = _json({})
    metrics: dict[str, Any] = _json({})
    created_at: datetime = _time()
    promoted_at: datetime | None = _time(nullable=True)
    retired_at: datetime | None = _time(nullable=True)


class HandoffPolicyRecord(SQLModel, table=True):
    """The handoff policy (operating points, calibration) last chosen for a model version, prior included."""

    __tablename__ = "handoff_policy"

    id: int | None = Field(default=None, primary_key=True)
    model_version: str = Field(max_length=80, unique=True, index=True)
    policy: dict[str, Any] = _json({})
    chosen_at: datetime = _time()


class ShadowScore(SQLModel, table=True):
    """A challenger's score of a lead beside the champion's Score: compared on outcomes, never shown or written."""

    __tablename__ = "shadow_score"

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    model_version: str = Field(max_length=80, index=True)
    champion_version: str = Field(max_length=80)
    qualification_score: int
    progression_probability: float
    voice_ai_fit: int
    recommendation: str = Field(max_length=32)
    handoff_basis: str | None = Field(default=None, max_length=20)
    calibrated: bool | None = None
    scored_at: datetime = _time(index=True)


class OutboxEvent(SQLModel, table=True):
    """A side effect (Slack post, Salesforce writeback, alert) to deliver at least once, de-duplicated by key."""

    __tablename__ = "outbox_event"

    __table_args__ = (Index("ix_outbox_due", "topic", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=60)
    idempotency_key: str = Field(max_length=200, unique=True)
    payload: dict[str, Any] = _json({})
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    next_attempt_at: datetime = _time()
    locked_by: str | None = Field(default=None, max_length=120)
    locked_until: datetime | None = _time(nullable=True)
    last_error: str | None = _text()
    created_at: datetime = _time()
    delivered_at: datetime | None = _time(nullable=True)


class SyncState(SQLModel, table=True):
    """A named watermark (e.g. 'salesforce.leads'), advanced only after a batch is stored."""

    __tablename__ = "sync_state"

    name: str = Field(primary_key=True, max_length=80)
    watermark: datetime | None = _time(nullable=True)
    cursor: str | None = Field(default=None, max_length=2000)
    updated_at: datetime = _time()


class JobRun(SQLModel, table=True):
    """One run of a scheduled job, with its status, duration and details."""

    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    job_name: str = Field(max_length=80, index=True)
    status: str = Field(max_length=20)
    worker_id: str | None = Field(default=None, max_length=120)
    started_at: datetime = _time(index=True)
    finished_at: datetime | None = _time(nullable=True)
    duration_seconds: float | None = None
    details: dict[str, Any] = _json({})
    error: str | None = _text()


class JobLock(SQLModel, table=True):
    """A lease that lets exactly one worker run a named job at a time, on SQLite and PostgreSQL alike."""

    __tablename__ = "job_lock"

    name: str = Field(primary_key=True, max_length=80)
    holder: str = Field(max_length=120)
    expires_at: datetime = _time()


class Enrichment(SQLModel, table=True):
    """What one provider found about a company (Salesforce fields, website, bulk file), with its fetch time."""

    __tablename__ = "enrichment"
    __table_args__ = (UniqueConstraint("company_id", "provider", name="uq_enrichment_company_provider"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    provider: str = Field(max_length=40)
    status: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=500)
    data: dict[str, Any] = _json({})
    fetched_at: datetime = _time()
    expires_at: datetime = _time(index=True)


class EnrichmentRequest(SQLModel, table=True):
    """A queued enrichment, ordered by expected value; one open request per company."""

    __tablename__ = "enrichment_request"

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", unique=True, index=True)
    priority: float = Field(default=0.0, index=True)
    status: str = Field(default="pending", max_length=20, index=True)
    attempts: int = 0
    last_error: str | None = _text()
    requested_at: datetime = _time()
    updated_at: datetime = _time()


class RevokedSession(SQLModel, table=True):
    """A dashboard session ended by logout before it expired; every API process refuses its cookie until then."""

    __tablename__ = "revoked_session"

    nonce: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = _time(index=True, default=False)


class SignalCorrection(SQLModel, table=True):
    """An AE's "not right" on one reason: a signal-level label (signal, call, quote, who, what it should have been).

    One row per (score, evidence item, user): a retry or a second click updates it.
    """

    __tablename__ = "signal_correction"
    __table_args__ = (UniqueConstraint("score_id", "evidence_index", "user_id", name="uq_correction_item_user"),)

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True)
    evidence_index: int
    lead_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    signal: str = Field(max_length=40, index=True)
    quote: str = Field(sa_column=Column(Text, nullable=False))
    trigger: str | None = Field(default=None, max_length=500)
    corrected_signal: str | None = Field(default=None, max_length=40)
    comment: str | None = _text()
    user_id: str = Field(max_length=64)
    user_name: str | None = Field(default=None, max_length=255)
    source: str = Field(default="slack", max_length=20)
    created_at: datetime = _time()
    updated_at: datetime = _time(index=True)
