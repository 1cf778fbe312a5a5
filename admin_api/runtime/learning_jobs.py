"""How the worker, the API and `fellow up` run the learning loop: the scheduled learning jobs, and retraining with
signals read by this process's extractor."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from admin_api.runtime.scheduler import JobSpec
from config import Settings
from learning import jobs
from learning.flows import RetrainResult, retrain
from learning.table import SignalCache
from nlp import SignalExtractor


def signal_cache_dir(settings: Settings) -> Path:
    """Where read call signals are remembered between retraining runs (the same folder the scheduler uses)."""
    return Path(settings.data_dir) / "cache"


def retrain_job(settings: Settings, engine: Engine, extractor: SignalExtractor) -> RetrainResult:
    """Train a challenger, evaluate it against the champion and the prior, and promote it if the gate passes."""
    return retrain(engine, settings, SignalCache(extractor, signal_cache_dir(settings)))


def learning_job_specs(settings: Settings) -> list[JobSpec]:
    """The learning loop's own scheduled jobs: the retrain check (hourly), the drift check and, when promotion
    requires a shadow period, the hourly review of a challenger whose period has ended."""
    specs = [
        JobSpec(
            "learning.retrain",
            jobs.retrain_job,
            {"hours": jobs.RETRAIN_CHECK_HOURS},
            lease_seconds=jobs.RETRAIN_LEASE_SECONDS,
        ),
        JobSpec("learning.drift", jobs.drift_job, {"hours": settings.sync.drift_check_hours}),
    ]
    if settings.learning.require_shadow:
        specs.append(
            JobSpec(
                "learning.shadow_review",
                jobs.shadow_review_job,
                {"hours": jobs.RETRAIN_CHECK_HOURS},
                lease_seconds=jobs.RETRAIN_LEASE_SECONDS,
            )
        )
    return specs
