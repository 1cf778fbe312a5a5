"""The FastAPI composition root: builds services once from Settings and wires routes, auth, limits and metrics;
`app_from_environment` is the ASGI entry point uvicorn imports in each worker process."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from structlog import get_logger

from admin_api.api.db_faults import install_database_errors
from admin_api.api.deps import require_api_key
from admin_api.api.errors import UnexpectedErrors, install_error_handlers
from admin_api.api.headers import SecurityHeaders
from admin_api.api.integrations import mount_slack
from admin_api.api.json_depth import JsonDepthLimit
from admin_api.api.limits import BodySizeLimit
from admin_api.api.liveness import Liveness
from admin_api.api.metrics import LatencyMiddleware
from admin_api.api.routes import models, scoring, webhooks
from admin_api.api.routes.system import metrics_router, public_or, ready_router
from admin_api.api.services import Services, build_services
from admin_api.api.slack_check import verify_slack
from admin_api.dashboard import routes as dashboard
from admin_api.dashboard.canvas import routes as canvas
from admin_api.runtime.learning_jobs import retrain_job
from admin_api.runtime.sync_wiring import make_rescore
from config import Settings, get_settings
from config.logs import configure_logging
from crm_sync.jobs import SyncContext

log = get_logger(__name__)

GC_THRESHOLDS = (20_000, 20, 50)  # allocations before a young collection; young/middle collections per older one


async def _follow_champion(services: Services, interval: float) -> None:
    """Keep this process on the registry's champion (promotions by the worker or another process)."""
    while True:
        await asyncio.sleep(interval)
        try:
            await run_in_threadpool(services.scorers.follow_champion, services.engine)
        except Exception as exc:  # a failed check must not stop future checks
            log.warning("model.follow_failed", error_type=type(exc).__name__, error=str(exc))


async def _to_login(_request: Request, _exc: Exception) -> RedirectResponse:
    return RedirectResponse("/dashboard/login", status_code=303)


async def _home() -> RedirectResponse:
    return RedirectResponse("/dashboard", status_code=307)


def create_app(
    settings: Settings,
    *,
    services: Services | None = None,
    model_refresh_seconds: float | None = None,
) -> FastAPI:
    """Build the app: services (engine, NLP, scorer, registry) once, then routes, middleware and handlers."""
    services = services or build_services(settings, retrain_job=retrain_job)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        interval = model_refresh_seconds or settings.api.model_refresh_seconds
        tasks = [asyncio.create_task(_follow_champion(services, interval))]
        if slack_client is not None:
            tasks.append(asyncio.create_task(verify_slack(slack_client, app.state.integration_problems)))
        log.info("api.started", model=services.scorers.current.model_version, **settings.integrations())
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            log.info("api.stopped")

    docs = settings.environment != "production" or settings.api.docs_in_production
    app = FastAPI(
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
        title="Fellow Learning Qualification",
        version="1.0",
        description="Lead scoring that learns from Fellow calls and Salesforce outcomes. "
        "Scoring and admin routes need `Authorization: Bearer <API key>`.",
        lifespan=lifespan,
    )
    app.state.services = services
    scorers = services.scorers
    app.state.sync = SyncContext.from_settings(
        settings, services.engine, make_rescore(settings, lambda: scorers.current, services.extractor)
    )
    install_error_handlers(app)
    install_database_errors(app)
    app.include_router(ready_router(public_or(settings.api.public_health, require_api_key)))
    app.include_router(metrics_router(public_or(settings.api.public_metrics, require_api_key)))
    app.include_router(scoring.router)
    app.include_router(models.router)
    app.include_router(webhooks.router)
    app.include_router(dashboard.router)
    app.mount("/dashboard/static", dashboard.STATIC, name="dashboard-static")
    app.include_router(canvas.router)
    app.add_exception_handler(dashboard.LoginRequired, _to_login)
    app.add_api_route("/", _home, include_in_schema=False)
    app.state.integration_problems = {}
    slack_client = mount_slack(app, services)
    app.add_middleware(JsonDepthLimit, max_depth=settings.api.max_json_depth)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api.max_request_bytes)
    app.add_middleware(LatencyMiddleware, metrics=services.metrics)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(Liveness)
    return app


def settle_heap() -> None:
    """Keep the garbage collector off what start-up built and make it run less often.

    The NLP pipeline, lexicons and models are millions of long-lived objects; every full collection walked them
    all, 100-200 ms that landed on whichever request triggered it (the p99). Frozen, they are never scanned."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def app_from_environment() -> FastAPI:
    """Build the app from FELLOW_* settings (uvicorn calls this once per worker process)."""
    settings = get_settings()
    configure_logging(settings)
    app = create_app(settings)
    settle_heap()
    return app
