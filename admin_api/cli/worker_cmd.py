"""`fellow worker`: the learning scheduler and outbox consumers (Slack poster, Salesforce writeback) until
SIGINT/SIGTERM."""

from __future__ import annotations

import signal
import threading
from types import FrameType

from structlog import get_logger

from admin_api.api.services import build_scorer_holder, make_extractor
from admin_api.cli.common import friendly_errors, load_settings_for_cli, open_database
from admin_api.runtime.learning_jobs import learning_job_specs
from admin_api.runtime.scheduler import build_scheduler
from admin_api.runtime.sync_wiring import enrichment_job, make_rescore, sync_jobs
from admin_api.runtime.worker import Consumer, Worker, build_consumers
from config import Settings
from crm_sync.jobs import SyncContext

log = get_logger(__name__)


def run_worker(settings: Settings, stop: threading.Event) -> None:
    """Start the learning scheduler and the configured consumers; on `stop`, let running work finish."""
    for name, state in settings.integrations().items():
        log.info("integration.status", component="worker", integration=name, state=state)
    engine = open_database(settings)
    extractor = make_extractor(settings)
    scorers = build_scorer_holder(settings, extractor, engine)
    scorers.follow_champion(engine)
    rescore = make_rescore(settings, lambda: scorers.current, extractor)
    sync = SyncContext.from_settings(settings, engine, rescore)
    follow = Consumer("model.follow_champion", lambda: scorers.follow_champion(engine))
    worker = Worker([*build_consumers(settings, engine), follow], poll_seconds=settings.sync.outbox_poll_seconds)
    jobs = [*learning_job_specs(settings), *sync_jobs(settings, sync), enrichment_job(settings, engine, rescore)]
    scheduler = build_scheduler(settings, engine, jobs)
    scheduler.start()
    worker.start()
    log.info("worker.started", consumers=[c.name for c in worker.consumers], jobs=[j.id for j in scheduler.get_jobs()])
    stop.wait()
    worker.stop()
    scheduler.shutdown(wait=True)
    engine.dispose()


def stop_on_signals(stop: threading.Event) -> None:
    """Set `stop` on SIGINT or SIGTERM (main thread only)."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("worker.stopping", signal=signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)


@friendly_errors
def worker() -> None:
    """Deliver outbox events to Slack and Salesforce (only the configured ones) until interrupted."""
    stop = threading.Event()
    stop_on_signals(stop)
    run_worker(load_settings_for_cli(), stop)
