"""Job runs under database leases on both backends: one holder at a time, every run recorded."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from admin_api.runtime.learning_jobs import learning_job_specs
from admin_api.runtime.scheduler import JobContext, JobSpec, build_scheduler, run_guarded
from config import Settings
from store.db import session_scope
from store.repositories.jobs import acquire_lock, recent_job_runs


def _context(engine: Engine, worker: str) -> JobContext:
    return JobContext(Settings(), engine, worker)


def test_run_is_recorded_with_details(engine: Engine) -> None:
    spec = JobSpec("demo.job", lambda ctx: {"worker": ctx.worker_id}, {"minutes": 5})
    assert run_guarded(spec, _context(engine, "w1")) == "ok"
    with session_scope(engine) as session:
        (run,) = recent_job_runs(session=session, job_name="demo.job")
        assert (run.status, run.details, run.worker_id) == ("ok", {"worker": "w1"}, "w1")
        assert run.duration_seconds is not None and run.duration_seconds >= 0


def test_a_held_lease_skips_the_run_and_a_failure_is_recorded(engine: Engine) -> None:
    spec = JobSpec("demo.fail", lambda ctx: 1 / 0, {"minutes": 5})
    with session_scope(engine) as session:
        assert acquire_lock("demo.fail", "other-worker", session=session, ttl_seconds=600)
    assert run_guarded(spec, _context(engine, "w1")) == "skipped"
    with session_scope(engine) as session:
        assert recent_job_runs(session=session, job_name="demo.fail") == []
        acquire_lock("demo.fail", "other-worker", session=session, ttl_seconds=-1)
    assert run_guarded(spec, _context(engine, "w1")) == "failed"
    with session_scope(engine) as session:
        (run,) = recent_job_runs(session=session, job_name="demo.fail")
        assert run.status == "failed" and "ZeroDivisionError" in run.error


def test_scheduler_holds_learning_and_extra_jobs(engine: Engine) -> None:
    extra = JobSpec("sync.salesforce", lambda ctx: None, {"minutes": 5})
    scheduler = build_scheduler(Settings(), engine, [*learning_job_specs(Settings()), extra], worker_id="w1")
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"learning.retrain", "learning.drift", "sync.salesforce"}
