"""`fellow up`: the one command that brings the product up on the embedded defaults."""

from __future__ import annotations

import typer
from sqlmodel import Session
from structlog import get_logger

from admin_api.cli.common import friendly_errors, load_settings_for_cli, open_database
from store.db import session_scope
from store.migrate import upgrade
from store.reports import sample_overview
from store.repositories.leads import count_leads
from store.sample_data import generate_sample
from store.seed import seed_dataset

log = get_logger(__name__)


@friendly_errors
def up(
    sample_leads: int = typer.Option(
        600, "--sample-leads", min=1, help="Leads to generate when the database is empty."
    ),
) -> None:
    """Migrate the database, seed sample data if it is empty, and show what is there."""
    settings = load_settings_for_cli()
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
