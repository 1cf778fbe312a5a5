"""`fellow config …`: show the effective configuration."""

from __future__ import annotations

import typer

from admin_api.cli.common import echo_json, friendly_errors, load_settings_for_cli
from config import effective_config

app = typer.Typer(help="Inspect configuration.", no_args_is_help=True)


@app.command("show")
@friendly_errors
def show() -> None:
    """Print the effective configuration (environment over YAML defaults) with secrets masked."""
    echo_json(effective_config(load_settings_for_cli()))
