"""Operational routes: /health (readiness with reasons) and /metrics (Prometheus text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlmodel import Session

from admin_api.api.deps import ServicesDep
from store.db import DatabaseUnavailableError, check_connection
from store.migrate import SchemaVersionError, ensure_current
from store.repositories.jobs import recent_job_runs
from store.repositories.sync_state import all_sync_states


def _database_check(services: ServicesDep) -> tuple[bool, dict[str, Any], dict[str, Any]]:
    try:
        check_connection(services.engine)
        ensure_current(services.engine)
    except (DatabaseUnavailableError, SchemaVersionError) as exc:
        return False, {"ok": False, "error": str(exc)}, {}
    with Session(services.engine) as session:
        syncs = {
            state.name: {
                "watermark": state.watermark.isoformat() if state.watermark else None,
                "updated_at": state.updated_at.isoformat(),
            }
            for state in all_sync_states(session=session)
        }
        jobs: dict[str, Any] = {}
        for run in recent_job_runs(session=session, limit=100):
            jobs.setdefault(
                run.job_name,
                {"status": run.status, "started_at": run.started_at.isoformat(), "error": run.error},
            )
    return True, {"ok": True}, {"syncs": syncs, "jobs": jobs}


def health_router(dependencies: list[Any]) -> APIRouter:
    """GET /health: 200 when the database answers at the current schema and a scorer is loaded, else 503."""
    router = APIRouter(tags=["operations"], dependencies=dependencies)

    @router.get(
        "/health",
        summary="Readiness: database, model and last sync times",
        responses={503: {"description": "Not ready; the body says which check failed."}},
    )
    def health(services: ServicesDep) -> JSONResponse:
        """Report readiness with the reason for any failed check (load balancers use the status code)."""
        db_ok, database, activity = _database_check(services)
        scorer = services.scorers.current
        body = {
            "status": "ok" if db_ok else "unavailable",
            "checks": {
                "database": database,
                "model": {"ok": True, "version": scorer.model_version, "scorer": scorer.kind},
            },
            "integrations": services.settings.integrations(),
            **activity,
        }
        return JSONResponse(body, status_code=200 if db_ok else 503)

    return router


def metrics_router(dependencies: list[Any]) -> APIRouter:
    """GET /metrics in the Prometheus text format."""
    router = APIRouter(tags=["operations"], dependencies=dependencies)

    @router.get("/metrics", summary="Prometheus metrics", response_class=Response)
    def metrics(services: ServicesDep) -> Response:
        """Request latency, scores by recommendation, sync lag, outbox depth, job results, serving model."""
        return Response(generate_latest(services.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router


def public_or(public: bool, guard: Any) -> list[Any]:
    """No dependencies for a public route, else the API-key guard."""
    return [] if public else [Depends(guard)]
