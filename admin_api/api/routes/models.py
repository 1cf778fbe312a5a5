"""Model routes: GET /models/info, POST /models/reload/{version} and POST /learn/retrain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path
from sqlmodel import Session

from admin_api.api.deps import ServicesDep, require_api_key
from admin_api.api.errors import ApiError
from admin_api.api.schemas import (
    ModelsInfo,
    ModelVersionInfo,
    ReloadResponse,
    RetrainRequest,
    RetrainResponse,
    ServingInfo,
    error_responses,
)
from admin_api.runtime.retrain import RETRAIN_JOB
from admin_api.runtime.serving import InvalidVersionError, SwapResult, UnknownVersionError, UnloadableModelError
from store.repositories.model_versions import list_model_versions

router = APIRouter(
    tags=["models"], dependencies=[Depends(require_api_key)], responses=error_responses(401, 404, 409, 422, 429)
)


def models_info(services: ServicesDep) -> ModelsInfo:
    """The serving model, the champion and every registered version."""
    scorer = services.scorers.current
    with Session(services.engine) as session:
        rows = list_model_versions(session=session)
    versions = [
        ModelVersionInfo(
            version=row.version,
            state=row.state,
            created_at=row.created_at,
            promoted_at=row.promoted_at,
            retired_at=row.retired_at,
            metrics=row.metrics,
        )
        for row in rows
    ]
    champion = next((row.version for row in rows if row.state == "champion"), None)
    return ModelsInfo(
        serving=ServingInfo(version=scorer.model_version, scorer=scorer.kind), champion=champion, versions=versions
    )


@router.get("/models/info", response_model=ModelsInfo, summary="Serving model and the registry")
def info(services: ServicesDep) -> ModelsInfo:
    """Which model is scoring now, which is champion, and every version with its metrics."""
    return models_info(services)


def reload_version(services: ServicesDep, version: str | None) -> ReloadResponse:
    """Hot-swap to a registered version, or roll back when `version` is None (API and dashboard share this)."""
    try:
        result: SwapResult = (
            services.scorers.rollback(services.engine)
            if version is None
            else services.scorers.reload(services.engine, version)
        )
    except InvalidVersionError as exc:
        services.metrics.model_reloads.labels("invalid").inc()
        raise ApiError(422, "invalid_version", str(exc)) from None
    except UnknownVersionError as exc:
        services.metrics.model_reloads.labels("unknown").inc()
        raise ApiError(404, "unknown_version", str(exc)) from None
    except UnloadableModelError as exc:
        services.metrics.model_reloads.labels("incompatible").inc()
        raise ApiError(409, "model_incompatible", str(exc)) from None
    services.metrics.model_reloads.labels("ok").inc()
    return ReloadResponse(previous=result.previous, current=result.current, changed=result.changed)


@router.post("/models/reload/{version}", response_model=ReloadResponse, summary="Hot-swap the serving model")
def reload(
    services: ServicesDep,
    version: Annotated[str, Path(description="A registered version name (letters, digits, '.', '_', '-').")],
) -> ReloadResponse:
    """Load a registered version, make it champion and swap it in; in-flight requests finish on the old one."""
    return reload_version(services, version)


@router.post("/models/rollback", response_model=ReloadResponse, summary="Roll back to the previous champion")
def rollback(services: ServicesDep) -> ReloadResponse:
    """Reinstate the most recent earlier champion that still loads, and serve it."""
    return reload_version(services, None)


@router.post(
    "/learn/retrain",
    response_model=RetrainResponse,
    status_code=202,
    summary="Start retraining (the promotion gate decides)",
)
def retrain(services: ServicesDep, body: Annotated[RetrainRequest | None, Body()] = None) -> RetrainResponse:
    """Train a challenger in the background; it serves only if it passes the promotion gate."""
    if not services.retrainer.start(body.reason if body else None):
        raise ApiError(409, "retrain_running", "a retraining run is already in progress; try again when it ends")
    return RetrainResponse(status="started", job_name=RETRAIN_JOB)
