"""`fellow slack …`: Slack app set-up helpers and a card preview without Slack."""

from __future__ import annotations

from pathlib import Path

import typer

from admin_api.cli.common import echo_json, friendly_errors, load_settings_for_cli, open_database
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


@app.command("preview")
@friendly_errors
def preview(target: str = typer.Argument(..., help="Domain, company name, Salesforce Lead Id or Lead URL")) -> None:
    """Print the /qualify card for TARGET as Block Kit JSON (paste into Slack's Block Kit Builder), then as text."""
    from admin_api.cli.qualify_cmd import qualify_card
    from bot.blocks import card_blocks
    from bot.plain import card_plain

    settings = load_settings_for_cli()
    _, card = qualify_card(settings, open_database(settings), target)
    echo_json({"blocks": card_blocks(card)})
    typer.echo("")
    typer.echo(card_plain(card))
