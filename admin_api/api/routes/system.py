"""Operational routes: /health (readiness with reasons) and /metrics (Prometheus text)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlmodel import Session

from admin_api.api.auth import bearer_token
from admin_api.api.deps import ServicesDep, key_matches
from store.db import DatabaseUnavailableError, check_connection, probe_write
from store.migrate import SchemaVersionError, ensure_current
from store.repositories.jobs import recent_job_runs
from store.repositories.sync_state import all_sync_states


def _database_check(services: ServicesDep, recent_fault: str | None) -> tuple[bool, dict[str, Any], dict[str, Any]]:
    try:
        check_connection(services.engine)
        ensure_current(services.engine)
        probe_write(services.engine)
    except (DatabaseUnavailableError, SchemaVersionError) as exc:
        return False, {"ok": False, "error": str(exc)}, {}
    if recent_fault is not None:
        return False, {"ok": False, "error": f"a request failed on the database recently: {recent_fault}"}, {}
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


def _detailed(request: Request, services: ServicesDep) -> bool:
    """Whether the caller may see details: /health is behind the key, or this request carries a valid one (wrong
    keys count towards the guessing brake, as everywhere)."""
    if not services.settings.api.public_health:
        return True
    token = bearer_token(request.headers.get("authorization"))
    return token is not None and key_matches(services, request, token)


def integration_states(request: Request) -> dict[str, str]:
    """Each integration's state: off (with how to turn it on), on, or degraded (with why) when a start-up check
    running in the background has not succeeded yet."""
    states = dict(request.app.state.services.settings.integrations())
    for name, problem in getattr(request.app.state, "integration_problems", {}).items():
        states[name] = "degraded"
        states[f"{name}_detail"] = problem
    return states


def health_router(dependencies: list[Any]) -> APIRouter:
    """GET /health: 200 when the database answers at the current schema and a scorer is loaded, else 503."""
    router = APIRouter(tags=["operations"], dependencies=dependencies)

    @router.get(
        "/health",
        summary="Readiness: database, model and last sync times",
        responses={503: {"description": "Not ready; the body says which check failed."}},
    )
    def health(request: Request, services: ServicesDep) -> JSONResponse:
        """Report readiness with the reason for any failed check (load balancers use the status code); reasons,
        versions, sync watermarks and job errors only to callers with an API key."""
        db_ok, database, activity = _database_check(services, request.app.state.db_faults.recent())
        scorer = services.scorers.current
        integrations = integration_states(request)
        status = "unavailable" if not db_ok else "degraded" if "degraded" in integrations.values() else "ok"
        if not _detailed(request, services):
            checks = {"database": {"ok": db_ok}, "model": {"ok": True}}
            return JSONResponse({"status": status, "checks": checks}, status_code=200 if db_ok else 503)
        body = {
            "status": status,
            "checks": {
                "database": database,
                "model": {"ok": True, "version": scorer.model_version, "scorer": scorer.kind},
            },
            "integrations": integrations,
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
