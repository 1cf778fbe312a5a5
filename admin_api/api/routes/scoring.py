"""Scoring routes: POST /score, POST /score/batch and POST /feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from admin_api.api.api_scoring import ItemError, ScoredItem, validate_items
from admin_api.api.deps import ServicesDep, require_api_key
from admin_api.api.errors import ApiError
from admin_api.api.schemas import (
    SCORE_EXAMPLES,
    BatchItem,
    BatchRequest,
    BatchResponse,
    ErrorInfo,
    FeedbackRequest,
    FeedbackResponse,
    ScoreResponse,
    error_responses,
)
from scoring.domain import ScoreInput
from store.db import session_scope
from store.repositories.feedback import UnknownScoreError, record_feedback

router = APIRouter(
    tags=["scoring"], dependencies=[Depends(require_api_key)], responses=error_responses(400, 401, 413, 422, 429)
)


def _response(item: ScoredItem) -> ScoreResponse:
    """The stored result as a response, without re-validating what the scorer already validated."""
    return ScoreResponse.model_construct(**dict(item.result), score_id=item.score_id, cached=item.cached)


def _json(body: BaseModel) -> Response:
    """Serialise once with pydantic's JSON encoder; FastAPI would validate and encode the model again."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.post("/score", response_model=ScoreResponse, summary="Score one lead")
def score(
    services: ServicesDep,
    data: Annotated[ScoreInput, Body(openapi_examples=SCORE_EXAMPLES)],
) -> Response:
    """Score a lead from what the caller knows; the stored score's id is returned for feedback."""
    outcome = services.scoring.score_many([data])[0]
    if isinstance(outcome, ItemError):
        raise ApiError(422, outcome.code, outcome.message, outcome.details)
    return _json(_response(outcome))


@router.post("/score/batch", response_model=BatchResponse, summary="Score up to the configured maximum of leads")
def score_batch(
    services: ServicesDep,
    body: Annotated[
        BatchRequest,
        Body(
            openapi_examples={
                "two": {
                    "summary": "Two leads",
                    "value": {
                        "items": [
                            {"domain": "acmehealth.com", "industry": "healthcare", "employees": 450},
                            {"company_name": "Tiny Shop", "employees": 3},
                        ]
                    },
                }
            }
        ),
    ],
) -> Response:
    """Score many leads; an invalid item gets its own error and the others are still scored."""
    limit = services.settings.api.max_batch_size
    if len(body.items) > limit:
        raise ApiError(
            422,
            "batch_too_large",
            f"a batch holds at most {limit} items; got {len(body.items)} — split it into smaller batches",
            {"max_items": limit, "items": len(body.items)},
        )
    if not body.items:
        raise ApiError(422, "empty_batch", "a batch needs at least one item")
    valid, errors = validate_items(body.items)
    positions = [index for index, data in enumerate(valid) if data is not None]
    outcomes = services.scoring.score_many([data for data in valid if data is not None])
    by_position: dict[int, ScoredItem | ItemError] = {**errors, **dict(zip(positions, outcomes, strict=True))}
    items = []
    for index in range(len(body.items)):
        outcome = by_position[index]
        if isinstance(outcome, ScoredItem):
            items.append(BatchItem(index=index, ok=True, result=_response(outcome)))
        else:
            error = ErrorInfo(code=outcome.code, message=outcome.message, details=outcome.details)
            items.append(BatchItem(index=index, ok=False, error=error))
    scored = sum(item.ok for item in items)
    response = BatchResponse(
        model_version=services.scorers.current.model_version,
        scored=scored,
        failed=len(items) - scored,
        items=items,
    )
    return _json(response)


@router.post("/feedback", response_model=FeedbackResponse, summary="Record a verdict on a stored score")
def feedback(services: ServicesDep, body: FeedbackRequest) -> FeedbackResponse:
    """Record 👍/👎 on a score (a label for the learning loop); repeating it changes the verdict, never duplicates."""
    try:
        with session_scope(services.engine) as session:
            row, created = record_feedback(
                session=session,
                score_id=body.score_id,
                user_id=body.user_id,
                user_name=body.user_name,
                verdict=body.verdict,
                reason=body.reason if body.verdict == "down" else None,
                comment=body.comment,
                source="api",
            )
    except UnknownScoreError as exc:
        raise ApiError(404, "unknown_score", str(exc)) from None
    except IntegrityError:
        raise ApiError(409, "conflict", "the feedback changed concurrently; retry the request") from None
    assert row.id is not None
    return FeedbackResponse(
        feedback_id=row.id,
        created=created,
        score_id=row.score_id,
        lead_id=row.lead_id,
        verdict=row.verdict,
        reason=row.reason,
        model_version=row.model_version,
    )
