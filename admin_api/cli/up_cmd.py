"""`fellow up`: the one command that brings the whole product up on the embedded defaults.

Migrates, seeds sample data into an empty database, then serves the API, dashboard and docs on
FELLOW_HOST:FELLOW_PORT while, in the background, the first models are trained (when none exist), recent
leads are scored, and the outbox worker runs. Slack, Salesforce and Fellow start only when configured.
"""

from __future__ import annotations

import threading

import typer
from sqlmodel import Session
from structlog import get_logger

from admin_api.api.services import make_extractor
from admin_api.cli.common import friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.serve_cmd import ensure_port_free, prepare, run_server
from admin_api.cli.worker_cmd import run_worker
from admin_api.demo.sample_data import generate_sample
from admin_api.demo.seed import seed_dataset
from admin_api.runtime.bootstrap import backfill_scores, train_first_models
from config import Settings
from store.db import session_scope
from store.migrate import upgrade
from store.reports import sample_overview
from store.repositories.leads import count_leads

log = get_logger(__name__)


def first_run(settings: Settings, backfill: int) -> None:
    """Train the first models if there are none, then score recent unscored leads (runs in a thread)."""
    engine = open_database(settings)
    try:
        extractor = make_extractor(settings)
        train_first_models(settings, engine, extractor)
        backfill_scores(settings, engine, extractor, limit=backfill)
    except Exception as exc:  # first-run help must never take the server down
        log.error("up.first_run_failed", error_type=type(exc).__name__, error=str(exc))
    finally:
        engine.dispose()


@friendly_errors
def up(
    sample_leads: int = typer.Option(
        600, "--sample-leads", min=1, help="Leads to generate when the database is empty."
    ),
    backfill: int = typer.Option(300, "--backfill", min=0, help="How many unscored leads to score on start."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start server and worker (off: set-up only)."),
) -> None:
    """Migrate, seed sample data if empty, train first models, and serve API + dashboard + worker."""
    settings = load_settings_for_cli()
    if serve:
        ensure_port_free(settings.host, settings.port)
    for name, state in settings.integrations().items():
        log.info("integration.status", integration=name, state=state)
    engine = open_database(settings, require_current=False)
    before, after = upgrade(engine)
    log.info("db.migrated", before=before, after=after)
    with session_scope(engine) as session:
        if count_leads(session=session) == 0:
            summary = seed_dataset(generate_sample(sample_leads), session=session)
            log.info("demo.seeded", leads=summary.leads, calls=summary.calls, outcomes=summary.outcomes)
    with Session(engine) as session:
        typer.echo(sample_overview(session=session))
    engine.dispose()
    if not serve:
        first_run(settings, backfill)
        return
    settings = prepare(settings)
    base = f"http://{settings.host}:{settings.port}"
    typer.echo(f"\ndashboard: {base}/dashboard   API docs: {base}/docs   ready: {base}/ready")
    stop = threading.Event()
    threading.Thread(target=first_run, args=(settings, backfill), name="first-run", daemon=True).start()
    worker = threading.Thread(target=run_worker, args=(settings, stop), name="worker")
    worker.start()
    try:
        run_server(settings, host=settings.host, port=settings.port, workers=1, access_log=False)
    finally:
        stop.set()
        worker.join()
