"""`fellow config …`: show the effective configuration."""

from __future__ import annotations

import typer

from admin_api.cli import render
from admin_api.cli.common import friendly_errors, load_settings_for_cli
from config import effective_config

app = typer.Typer(help="Inspect configuration.", no_args_is_help=True)


@app.command("show")
@friendly_errors
def show(as_json: bool = typer.Option(False, "--json", help=render.JSON_OPTION_HELP)) -> None:
    """Print the effective configuration (environment over YAML defaults) with secrets masked."""
    render.emit(effective_config(load_settings_for_cli()), as_json=as_json, human=render.configuration)
