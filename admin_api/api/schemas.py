"""API request and response bodies (the scoring contract itself lives in scoring.domain)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from scoring.domain import ScoreResult
from store.repositories.feedback import REASONS
from store.text import MAX_ROW_ID, strip_unsafe

SCORE_EXAMPLES: dict[str, dict[str, Any]] = {
    "with_call_notes": {
        "summary": "A company with notes from a Fellow intro call",
        "value": {
            "company_name": "Acme Health",
            "domain": "acmehealth.com",
            "industry": "healthcare",
            "employees": 450,
            "description": "Telehealth platform for rural clinics.",
            "call_notes": "They want an AI voice agent for appointment reminders, about 20k calls a month. "
            "Asked for pricing; the VP of Operations joined and we booked a technical demo next Tuesday.",
            "urgency_level": 4,
        },
    },
    "domain_only": {"summary": "Only a domain (low confidence)", "value": {"domain": "example.org"}},
}

Verdict = Literal["up", "down"]
Reason = Literal[REASONS]  # type: ignore[valid-type]


class ScoreResponse(ScoreResult):
    """A score result plus the id it is stored under (use it for feedback) and whether it was cached."""

    score_id: int
    cached: bool = False


class ErrorInfo(BaseModel):
    """The stable error object."""

    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """Every 4xx/5xx body."""

    error: ErrorInfo


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for a router: each status answers with the error envelope."""
    return {status: {"model": ErrorResponse} for status in statuses}


class BatchRequest(BaseModel):
    """Up to the configured maximum of score inputs; each is validated on its own."""

    model_config = ConfigDict(extra="forbid")

    items: list[Any] = Field(description="Score inputs (the same fields as POST /score).")


class BatchItem(BaseModel):
    """One batch item's outcome: a result, or an error for that item only."""

    index: int
    ok: bool
    result: ScoreResponse | None = None
    error: ErrorInfo | None = None


class BatchResponse(BaseModel):
    """Per-item outcomes in request order."""

    model_version: str
    scored: int
    failed: int
    items: list[BatchItem]


class FeedbackRequest(BaseModel):
    """A verdict on a stored score; the same user judging again changes their verdict."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    score_id: int = Field(ge=1, le=MAX_ROW_ID, description="The id of a stored score.")
    user_id: str = Field(min_length=1, max_length=64, description="Who judged it (e.g. an email or Slack id).")
    user_name: str | None = Field(default=None, max_length=255)
    verdict: Verdict
    reason: Reason | None = Field(default=None, description="Why a 'down' verdict (ignored for 'up').")
    comment: str | None = Field(default=None, max_length=2000)

    @field_validator("user_id", "user_name", "comment", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        return strip_unsafe(value) if isinstance(value, str) else value


class FeedbackResponse(BaseModel):
    """The stored feedback row."""

    feedback_id: int
    created: bool
    score_id: int
    lead_id: int | None
    verdict: Verdict
    reason: str | None
    model_version: str | None


class ModelVersionInfo(BaseModel):
    """One registry entry."""

    version: str
    state: str
    created_at: datetime
    promoted_at: datetime | None
    retired_at: datetime | None
    metrics: dict[str, Any]


class ServingInfo(BaseModel):
    """What this process is scoring with right now."""

    version: str
    scorer: Literal["model", "prior"]


class ModelsInfo(BaseModel):
    """Serving model, champion and every registered version (newest first)."""

    serving: ServingInfo
    champion: str | None
    versions: list[ModelVersionInfo]


class ReloadResponse(BaseModel):
    """The hot swap that happened."""

    previous: str
    current: str
    changed: bool


class RetrainRequest(BaseModel):
    """Start a retraining run (the promotion gate decides whether the result serves)."""

    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(default=None, max_length=200)


class RetrainResponse(BaseModel):
    """A retraining run that was started."""

    status: Literal["started"]
    job_name: str
