"""Several workers on one database: a scheduled job runs once per period, whichever worker's timer fires first.

Workers start at different moments, so their timers for the same job fire at different offsets within a period;
the second worker to fire in a period must skip, and a worker takes over when the one that ran it is gone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine

from admin_api.runtime.scheduler import JobContext, JobSpec, run_guarded
from config import Settings
from store.db import session_scope
from store.repositories.jobs import recent_job_runs
from store.tables import JobLock

SPEC = JobSpec("reliability.tick", lambda ctx: {"by": ctx.worker_id}, {"minutes": 10})


def _elapse(engine: Engine, seconds: float) -> None:
    """Move the job's lease back in time, as if `seconds` had passed since it was taken."""
    with session_scope(engine) as session:
        for lock in session.execute(select(JobLock)).scalars():
            lock.expires_at -= timedelta(seconds=seconds)


def _runs(engine: Engine) -> list[str]:
    with session_scope(engine) as session:
        return [run.worker_id for run in reversed(recent_job_runs(session=session, job_name=SPEC.name))]


def test_a_job_runs_once_per_period_across_workers(engine: Engine) -> None:
    first, second = (JobContext(Settings(), engine, name) for name in ("worker-a", "worker-b"))
    assert run_guarded(SPEC, first) == "ok"
    assert run_guarded(SPEC, second) == "skipped", "worker-b's timer fired later in the same period"
    _elapse(engine, 60)
    assert run_guarded(SPEC, second) == "skipped"
    _elapse(engine, 9 * 60)  # a period later: worker-a's own timer fires again and runs it
    assert run_guarded(SPEC, first) == "ok"
    assert run_guarded(SPEC, second) == "skipped"
    _elapse(engine, 3 * 10 * 60)  # worker-a died: once its hold lapses, worker-b takes the job over
    assert run_guarded(SPEC, second) == "ok"
    assert _runs(engine) == ["worker-a", "worker-a", "worker-b"]


def test_a_failed_run_also_counts_for_its_period(engine: Engine) -> None:
    failing = JobSpec("reliability.fails", lambda ctx: 1 / 0, {"hours": 1})
    assert run_guarded(failing, JobContext(Settings(), engine, "worker-a")) == "failed"
    assert run_guarded(failing, JobContext(Settings(), engine, "worker-b")) == "skipped"


def test_jobs_without_a_fixed_period_release_the_lease_at_once(engine: Engine) -> None:
    cron = JobSpec("reliability.cron", lambda ctx: None, {"hour": 3}, trigger="cron")
    assert run_guarded(cron, JobContext(Settings(), engine, "worker-a")) == "ok"
    assert run_guarded(cron, JobContext(Settings(), engine, "worker-b")) == "ok"
    with session_scope(engine) as session:
        assert session.get(JobLock, cron.name) is None
