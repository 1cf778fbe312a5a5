"""`fellow demo …`: seed and show realistic sample data (for demos and tests, never real-world figures)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import typer
from structlog import get_logger

from admin_api.cli.common import friendly_errors, load_settings_for_cli, open_database
from admin_api.cli.progress import Reporter

if TYPE_CHECKING:
    from store.repositories.lead_search import DomainToTry

app = typer.Typer(help="Sample data.", no_args_is_help=True)
log = get_logger(__name__)


def _log_progress(stage: str, done: int, total: int) -> None:
    log.info("demo.seed.progress", stage=stage, done=done, total=total)


@app.command("seed")
@friendly_errors
def seed(
    leads: int = typer.Option(600, "--leads", min=1, max=200_000, help="How many leads to generate."),
    seed_value: int = typer.Option(7, "--seed", help="Random seed; the same seed gives the same data."),
    end: datetime | None = typer.Option(None, "--end", help="Last day of the generated history (UTC)."),
) -> None:
    """Generate a deterministic sample (companies, leads, Fellow calls, outcomes) and store it."""
    from admin_api.demo.sample_data import generate_sample
    from admin_api.demo.seed import seed_dataset
    from store.db import session_scope
    from store.migrate import upgrade

    settings = load_settings_for_cli()
    engine = open_database(settings, require_current=False)
    upgrade(engine)
    dataset = generate_sample(leads, seed_value, end=end.replace(tzinfo=UTC) if end else None)
    log.info("demo.seed.generated", leads=len(dataset.leads), calls=len(dataset.calls))
    with session_scope(engine) as session, Reporter("seeding") as reporter:

        def progress(stage: str, done: int, total: int) -> None:
            _log_progress(stage, done, total)
            reporter.stage_step(stage, done, total)

        summary = seed_dataset(dataset, session=session, progress=progress)
    typer.echo(
        f"seeded {summary.companies} companies, {summary.leads} leads, {summary.calls} calls, "
        f"{summary.outcomes} outcomes (seed {seed_value})"
    )


@app.command("show")
@friendly_errors
def show() -> None:
    """Summarise what the database holds: volumes, outcome rates, date range, a few example notes."""
    from sqlmodel import Session

    from store.reports import sample_overview
    from store.repositories.lead_search import domains_to_try

    engine = open_database(load_settings_for_cli())
    with Session(engine) as session:
        typer.echo(sample_overview(session=session))
        typer.echo(domains_to_try_text(domains_to_try(session=session)))


def domains_to_try_text(domains: list[DomainToTry]) -> str:
    """The "domains to try" block of `fellow demo show`: what to type, and what each one scored last."""
    from scoring.domain import RECOMMENDATION_LABELS

    if not domains:
        return "domains to try: none yet (no company has a call); run `fellow demo seed` first"
    lines = ["domains to try (`fellow qualify DOMAIN`, `/qualify DOMAIN` in Slack, or search the dashboard's leads):"]
    for item in domains:
        scored = (
            f"last scored {item.qualification_score}/100, {RECOMMENDATION_LABELS.get(item.recommendation, '')}"
            if item.recommendation is not None
            else "not scored yet"
        )
        lines.append(f"  {item.domain:<32} {item.company_name or '':<32} {item.calls} call(s), {scored}")
    return "\n".join(lines)
