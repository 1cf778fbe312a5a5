"""Operational routes: /ready (readiness with reasons, the database checked at most once a second) and /metrics
(Prometheus text). Liveness, GET /health, is answered before routing (`admin_api.api.liveness`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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

READY_CACHE_SECONDS = 1.0

DatabaseCheck = tuple[bool, dict[str, Any], dict[str, Any]]


def _database_check(services: ServicesDep) -> DatabaseCheck:
    """(ok, database check, recent activity): connect, schema current, one write, sync watermarks and job runs."""
    try:
        check_connection(services.engine)
        ensure_current(services.engine)
        probe_write(services.engine)
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


class CachedCheck:
    """The database check's last result, reused for `max_age` seconds: however often readiness is polled (by
    several balancers, every worker), each process touches the database at most once per `max_age`."""

    def __init__(self, max_age: float = READY_CACHE_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self._clock = clock
        self._lock = threading.Lock()
        self._last: tuple[float, DatabaseCheck] | None = None

    def get(self, check: Callable[[], DatabaseCheck]) -> DatabaseCheck:
        """The cached result while fresh, else the result of `check()` (one caller runs it, others wait)."""
        with self._lock:
            if self._last is None or self._clock() - self._last[0] >= self.max_age:
                self._last = (self._clock(), check())
            return self._last[1]


def _detailed(request: Request, services: ServicesDep) -> bool:
    """Whether the caller may see details: /ready is behind the key, or this request carries a valid one (wrong
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


def ready_router(dependencies: list[Any]) -> APIRouter:
    """GET /ready: 200 when the database answers at the current schema and a scorer is loaded, else 503."""
    router = APIRouter(tags=["operations"], dependencies=dependencies)
    cached = CachedCheck()

    @router.get(
        "/ready",
        summary="Readiness: database, model and last sync times",
        responses={503: {"description": "Not ready; the body says which check failed."}},
    )
    def ready(request: Request, services: ServicesDep) -> JSONResponse:
        """Report readiness with the reason for any failed check (load balancers use the status code); reasons,
        versions, sync watermarks and job errors only to callers with an API key. The database result is at most
        READY_CACHE_SECONDS old; a request that failed on the database within the last minute fails it at once."""
        db_ok, database, activity = cached.get(lambda: _database_check(services))
        recent_fault = request.app.state.db_faults.recent()
        if db_ok and recent_fault is not None:
            db_ok, activity = False, {}
            database = {"ok": False, "error": f"a request failed on the database recently: {recent_fault}"}
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
