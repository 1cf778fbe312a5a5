"""The job scheduler of `fellow worker` (APScheduler): every job runs under a database lease and is recorded in
JobRun. It knows no job itself: the composition root passes the learning, sync and enrichment jobs in.

The lease (store.repositories.jobs) lets exactly one worker run a named job at a time, even with several
workers on one PostgreSQL. Missed runs are coalesced into one and still run within `misfire_grace_time`;
a run that finds the lease taken is skipped (another worker is on it) and leaves no JobRun row. After an
interval job finishes, its worker keeps the lease for most of the period, so the other workers' timers (which
fire at other offsets) skip that period; the holder's own next run renews it, and if the holder dies the lease
lapses and another worker takes the job over.
"""

from __future__ import annotations

import os
import socket
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.engine import Engine

from config import Settings
from learning.table import SignalCache, SignalReader
from nlp import SignalExtractor
from store.db import session_scope
from store.repositories.jobs import acquire_lock, finish_job_run, release_lock, start_job_run
from store.types import saved_id

log = structlog.get_logger(__name__)

MISFIRE_GRACE_SECONDS = 3600
PERIOD_HOLD_FRACTION = 0.9
INTERVAL_UNITS = ("weeks", "days", "hours", "minutes", "seconds")
RunStatus = Literal["ok", "failed", "skipped"]


@dataclass
class JobContext:
    """What every job receives: settings, the database and a lazily built, shared call-signal reader."""

    settings: Settings
    engine: Engine
    worker_id: str
    signal_reader: SignalReader | None = None
    _reader: SignalReader | None = field(default=None, init=False, repr=False)

    def signals(self) -> SignalReader:
        """The signal reader (building the spaCy pipeline and its on-disk cache on first use)."""
        if self.signal_reader is not None:
            return self.signal_reader
        if self._reader is None:
            extractor = SignalExtractor(
                self.settings.company.own_names,
                self.settings.company.own_domains,
                rep_names=self.settings.company.rep_names,
            )
            self._reader = SignalCache(extractor, self.settings.data_dir / "cache")
        return self._reader


@dataclass(frozen=True)
class JobSpec:
    """A scheduled job: unique name, function of a JobContext returning details, APScheduler trigger arguments."""

    name: str
    func: Callable[[JobContext], dict[str, Any] | None]
    trigger_kwargs: dict[str, Any]
    trigger: str = "interval"
    lease_seconds: float = 3600.0


def default_worker_id() -> str:
    """host:pid, unique per worker process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def period_seconds(spec: JobSpec) -> float | None:
    """The period of an interval job (None for other triggers): how long one run covers."""
    if spec.trigger != "interval":
        return None
    units = {unit: spec.trigger_kwargs[unit] for unit in INTERVAL_UNITS if unit in spec.trigger_kwargs}
    return timedelta(**units).total_seconds() or None


def _hold_for_period(spec: JobSpec, context: JobContext, started: datetime, session: Any) -> None:
    """Keep the lease until shortly before the next period (release it for jobs without a fixed period)."""
    period = period_seconds(spec)
    remaining = (
        None if period is None else (started - datetime.now(UTC)).total_seconds() + period * PERIOD_HOLD_FRACTION
    )
    if remaining is None or remaining <= 0:
        release_lock(spec.name, context.worker_id, session=session)
    else:
        acquire_lock(spec.name, context.worker_id, session=session, ttl_seconds=remaining)


def run_guarded(spec: JobSpec, context: JobContext) -> RunStatus:
    """Run one job if this worker gets its lease; record the run (status, duration, details or error)."""
    with session_scope(context.engine) as session:
        if not acquire_lock(spec.name, context.worker_id, session=session, ttl_seconds=spec.lease_seconds):
            log.info("job.skipped", job=spec.name, worker=context.worker_id, reason="lease held elsewhere")
            return "skipped"
        run = start_job_run(spec.name, session=session, worker_id=context.worker_id)
        run_id, started = saved_id(run), run.started_at
    status: RunStatus = "ok"
    details: dict[str, Any] = {}
    error = None
    log.info("job.start", job=spec.name, worker=context.worker_id)
    try:
        details = spec.func(context) or {}
    except Exception as exc:  # a failing job must be recorded and must not kill the scheduler
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        log.error("job.failed", job=spec.name, error=error, trace=traceback.format_exc(limit=5))
    finally:
        with session_scope(context.engine) as session:
            finish_job_run(run_id, session=session, status=status, details=details, error=error)
            _hold_for_period(spec, context, started, session)
    log.info("job.done", job=spec.name, status=status)
    return status


def build_scheduler(
    settings: Settings,
    engine: Engine,
    jobs: Sequence[JobSpec] = (),
    *,
    blocking: bool = False,
    worker_id: str | None = None,
    signal_reader: SignalReader | None = None,
) -> BaseScheduler:
    """A scheduler holding `jobs` (learning, sync and enrichment jobs, registered by the composition root)."""
    context = JobContext(settings, engine, worker_id or default_worker_id(), signal_reader)
    job_defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_SECONDS}
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(timezone=UTC, job_defaults=job_defaults)
    specs = list(jobs)
    names = [spec.name for spec in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"job names must be unique; repeated: {duplicates}")
    for spec in specs:
        scheduler.add_job(
            run_guarded, trigger=spec.trigger, args=[spec, context], id=spec.name, name=spec.name, **spec.trigger_kwargs
        )
    return scheduler
