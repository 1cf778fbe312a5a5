"""`fellow db …`: migrate the database and show its revision."""

from __future__ import annotations

import typer

from admin_api.cli.common import friendly_errors, load_settings_for_cli, open_database
from store.db import describe_url
from store.migrate import current_revision, head_revision, upgrade

app = typer.Typer(help="Database schema management.", no_args_is_help=True)


@app.command("upgrade")
@friendly_errors
def upgrade_command() -> None:
    """Apply all migrations (safe to re-run)."""
    engine = open_database(load_settings_for_cli(), require_current=False)
    before, after = upgrade(engine)
    verb = "already at" if before == after else f"upgraded from {before or 'empty'} to"
    typer.echo(f"{describe_url(engine)}: {verb} {after}")


@app.command("status")
@friendly_errors
def status_command() -> None:
    """Show the database's migration revision and the code's newest one."""
    engine = open_database(load_settings_for_cli(), require_current=False)
    typer.echo(f"database: {describe_url(engine)}")
    typer.echo(f"revision: {current_revision(engine) or 'empty'} (code expects {head_revision()})")
