"""`fellow doctor` local checks: database reachable and migrated, champion model loadable, scheduler runs."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy.engine import Engine

from admin_api.cli.doctor.database import DatabaseProbe, local_checks
from admin_api.cli.doctor.domain import CheckResult, Status
from learning.registry import promote
from store.db import make_engine, session_scope
from store.repositories.jobs import finish_job_run, start_job_run
from tests.integration.admin_api.bundles import make_bundle, register_bundle
from tests.integration.onboarding.conftest import make_settings, run


def _run(engine: Engine, models_dir: Path) -> dict[str, CheckResult]:
    settings = make_settings(database_url=str(engine.url), learning={"models_dir": str(models_dir)})
    return run(local_checks(DatabaseProbe(settings, engine)))


def test_unmigrated_database_fails_and_skips_what_needs_it(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        results = _run(engine, tmp_path)
    finally:
        engine.dispose()
    database = results["database"].verdict
    assert database.status is Status.FAIL and "not migrated" in database.summary
    assert database.fix == "run `fellow db upgrade`"
    assert results["models"].status is Status.SKIP and results["scheduler"].status is Status.SKIP


def test_unreachable_database_fails(tmp_path: Path) -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")
    try:
        database = _run(engine, tmp_path)["database"].verdict
    finally:
        engine.dispose()
    assert database.status is Status.FAIL and "unreachable" in database.summary
    assert database.fix and "FELLOW_DATABASE_URL" in database.fix


def test_fresh_database_warns_that_the_prior_serves_and_nothing_ran(engine: Engine, tmp_path: Path) -> None:
    results = _run(engine, tmp_path)
    assert results["database"].status is Status.OK
    assert results["models"].status is Status.WARN and "prior" in results["models"].verdict.summary
    assert results["scheduler"].status is Status.WARN


def test_advice_without_a_champion_matches_what_fellow_up_did(engine: Engine, tmp_path: Path) -> None:
    fresh = _run(engine, tmp_path)["models"].verdict
    assert fresh.fix and "`fellow up` trains the first model once the database holds at least" in fresh.fix
    register_bundle(engine, tmp_path, make_bundle("v-gated-1", threshold=500))
    gated = _run(engine, tmp_path)["models"].verdict
    assert gated.status is Status.WARN and "newest v-gated-1" in gated.summary and "did not beat" in gated.summary
    assert gated.fix and "fellow up" not in gated.fix and "/dashboard/models" in gated.fix


def test_loadable_champion_passes_and_a_corrupt_one_fails(engine: Engine, tmp_path: Path) -> None:
    register_bundle(engine, tmp_path, make_bundle("v-doctor-1", threshold=500))
    with session_scope(engine) as session:
        promote("v-doctor-1", session=session, models_dir=tmp_path, reason="test")
    models = _run(engine, tmp_path)["models"].verdict
    assert models.status is Status.OK and "v-doctor-1" in models.summary
    shutil.rmtree(tmp_path / "v-doctor-1")
    broken = _run(engine, tmp_path)["models"].verdict
    assert broken.status is Status.FAIL and broken.fix and "/models/rollback" in broken.fix


def test_scheduler_reports_the_latest_run_of_each_job(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        poll = start_job_run("salesforce.poll", session=session, worker_id="w1")
        finish_job_run(poll.id or 0, session=session, status="ok", details={})
    assert _run(engine, tmp_path)["scheduler"].status is Status.OK
    with session_scope(engine) as session:
        ingest = start_job_run("fellow.ingest", session=session, worker_id="w1")
        finish_job_run(ingest.id or 0, session=session, status="failed", details={}, error="Fellow refused the key")
    scheduler = _run(engine, tmp_path)["scheduler"].verdict
    assert scheduler.status is Status.WARN
    assert (
        "fellow.ingest failed: Fellow refused the key" in scheduler.summary
        and "salesforce.poll ok" in scheduler.summary
    )
