"""`fellow doctor`: check the database, models, scheduler and every configured integration, with fixes."""

from __future__ import annotations

import typer

from admin_api.cli.common import echo_json, friendly_errors, load_settings_for_cli
from admin_api.cli.doctor.checks import all_checks
from admin_api.cli.doctor.domain import exit_code
from admin_api.cli.doctor.report import as_json, render_text
from admin_api.cli.doctor.runner import DEFAULT_TIMEOUT_SECONDS, run_checks
from store.db import make_engine


@friendly_errors
def doctor(
    timeout: float = typer.Option(DEFAULT_TIMEOUT_SECONDS, min=1, max=600, help="Seconds each check may take."),
    json_output: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """Check that everything works (exit 1 when a required check fails; integrations not configured are 'off')."""
    settings = load_settings_for_cli()
    engine = make_engine(settings.database_url)
    try:
        results = run_checks(all_checks(settings, engine), timeout_seconds=timeout)
    finally:
        engine.dispose()
    if json_output:
        echo_json(as_json(results))
    else:
        typer.echo(render_text(results))
    raise typer.Exit(exit_code(results))
