"""Prometheus metrics: request latency and scores counted in-process; sync lag, outbox depth and job results
read from the database at scrape time so every process reports the same truth."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from structlog import get_logger

from crm_sync.enrichment.queue import enrichment_backlog
from store.repositories.jobs import recent_job_runs
from store.repositories.outbox import depth
from store.repositories.sync_state import all_sync_states
from store.types import utcnow

log = get_logger(__name__)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class DatabaseCollector(Collector):
    """Sync lag per watermark, outbox depth per topic and the latest result of each job, read per scrape."""

    def __init__(self, engine: Engine, model_version: Callable[[], tuple[str, str]]) -> None:
        self.engine = engine
        self.model_version = model_version

    def collect(self) -> Iterator[Metric]:
        """Yield the gauges (nothing from the database when it is unreachable; /ready reports that)."""
        version, kind = self.model_version()
        info = GaugeMetricFamily("fellow_model_info", "The serving model (value 1).", labels=["version", "scorer"])
        info.add_metric([version, kind], 1.0)
        yield info
        try:
            with Session(self.engine) as session:
                states = all_sync_states(session=session)
                outbox = depth(session=session)
                runs = recent_job_runs(session=session, limit=200)
                backlog = enrichment_backlog(session=session)
        except SQLAlchemyError as exc:
            log.warning("metrics.database_unavailable", error_type=type(exc).__name__)
            return
        now = utcnow()
        lag = GaugeMetricFamily("fellow_sync_lag_seconds", "Seconds since each sync last advanced.", labels=["sync"])
        for state in states:
            lag.add_metric([state.name], (now - state.updated_at).total_seconds())
        yield lag
        queued = GaugeMetricFamily("fellow_outbox_depth", "Undelivered outbox events per topic.", labels=["topic"])
        for topic, count in sorted(outbox.items()):
            queued.add_metric([topic], float(count))
        yield queued
        pending = GaugeMetricFamily("fellow_enrichment_backlog", "Companies waiting for enrichment.")
        pending.add_metric([], float(backlog))
        yield pending
        last = GaugeMetricFamily(
            "fellow_job_last_success", "1 when a job's latest finished run succeeded, else 0.", labels=["job"]
        )
        finished_at = GaugeMetricFamily(
            "fellow_job_last_finished_timestamp_seconds", "When each job last finished (Unix time).", labels=["job"]
        )
        results = GaugeMetricFamily(
            "fellow_job_runs_recent", "Recent job runs by result (last 200 runs).", labels=["job", "status"]
        )
        seen: set[str] = set()
        counts: dict[tuple[str, str], int] = {}
        for run in runs:
            counts[(run.job_name, run.status)] = counts.get((run.job_name, run.status), 0) + 1
            if run.finished_at is not None and run.job_name not in seen:
                seen.add(run.job_name)
                last.add_metric([run.job_name], 1.0 if run.status == "success" else 0.0)
                finished_at.add_metric([run.job_name], run.finished_at.timestamp())
        for (job, status), count in sorted(counts.items()):
            results.add_metric([job, status], float(count))
        yield from (last, finished_at, results)


class ApiMetrics:
    """The app's own registry (one per app, so tests and several apps in one process never collide)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.request_latency = Histogram(
            "fellow_http_request_duration_seconds",
            "HTTP request latency by route template, method and status.",
            ["method", "route", "status"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.scores = Counter(
            "fellow_scores", "Scores served by the API, by recommendation.", ["recommendation"], registry=self.registry
        )
        self.score_errors = Counter(
            "fellow_score_errors", "Score requests or items that failed, by code.", ["code"], registry=self.registry
        )
        self.model_reloads = Counter(
            "fellow_model_reloads", "Model hot swaps by result.", ["result"], registry=self.registry
        )

    def watch_database(self, engine: Engine, model_version: Callable[[], tuple[str, str]]) -> None:
        """Add the scrape-time database gauges."""
        self.registry.register(DatabaseCollector(engine, model_version))


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


class LatencyMiddleware:
    """Times every HTTP request and records it under its route template (never the raw path)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            self.metrics.request_latency.labels(scope["method"], _route_template(scope), str(status)).observe(
                time.perf_counter() - started
            )
