"""`fellow slack …`: Slack app set-up helpers."""

from __future__ import annotations

from pathlib import Path

import typer

from admin_api.cli.common import friendly_errors
from bot.manifest import manifest_yaml, render_manifest

app = typer.Typer(help="Slack app set-up.", no_args_is_help=True)
SOCKET_MODE_NOTE = (
    "Socket Mode: create an app-level token with the connections:write scope (Basic Information > App-Level "
    "Tokens), set FELLOW_SLACK_APP_TOKEN to it and run `fellow bot --socket` instead of serving /slack/*."
)


@app.command("manifest")
@friendly_errors
def manifest(
    url: str | None = typer.Option(
        None, "--url", help="Public https URL of `fellow serve`, e.g. https://fellow.acme.com"
    ),
    socket_mode: bool = typer.Option(False, "--socket-mode", help="Render for Socket Mode (no request URLs)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Print the Slack app manifest (paste it into api.slack.com/apps > Create New App > From a manifest)."""
    text = manifest_yaml(render_manifest(url=url, socket_mode=socket_mode))
    if socket_mode:
        typer.secho(SOCKET_MODE_NOTE, fg=typer.colors.YELLOW, err=True)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {output}", err=True)
