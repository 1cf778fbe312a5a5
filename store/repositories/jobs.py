"""Job leases (one worker per job at a time, on any backend) and the JobRun history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from store.tables import JobLock, JobRun
from store.types import utcnow


def acquire_lock(name: str, holder: str, *, session: Session, ttl_seconds: float, now: datetime | None = None) -> bool:
    """Take or renew the lease on a job name; False when another holder's lease is still live."""
    now = now or utcnow()
    expires = now + timedelta(seconds=ttl_seconds)
    taken = session.exec(
        update(JobLock)
        .where(col(JobLock.name) == name, (col(JobLock.holder) == holder) | (col(JobLock.expires_at) < now))
        .values(holder=holder, expires_at=expires)
    )
    if taken.rowcount:
        return True
    try:
        with session.begin_nested():
            session.add(JobLock(name=name, holder=holder, expires_at=expires))
            session.flush()
    except IntegrityError:
        return False
    return True


def release_lock(name: str, holder: str, *, session: Session) -> None:
    """Give up a lease this holder owns."""
    session.exec(delete(JobLock).where(col(JobLock.name) == name, col(JobLock.holder) == holder))


def start_job_run(job_name: str, *, session: Session, worker_id: str) -> JobRun:
    """Record that a job started."""
    run = JobRun(job_name=job_name, status="running", worker_id=worker_id)
    session.add(run)
    session.flush()
    return run


def finish_job_run(
    run_id: int, *, session: Session, status: str, details: dict[str, Any], error: str | None = None
) -> None:
    """Record a job's end with its status, duration and details."""
    run = session.get(JobRun, run_id)
    if run is None:
        raise LookupError(f"job run {run_id} does not exist")
    run.finished_at = utcnow()
    run.duration_seconds = (run.finished_at - run.started_at).total_seconds()
    run.status, run.details, run.error = status, details, error
    session.add(run)
    session.flush()


def recent_job_runs(*, session: Session, job_name: str | None = None, limit: int = 50) -> list[JobRun]:
    """Latest job runs, newest first."""
    query = select(JobRun).order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc()).limit(limit)
    if job_name is not None:
        query = query.where(JobRun.job_name == job_name)
    return list(session.exec(query).all())
