"""The `fellow` command: one entry point for operators, each group in its own module."""

from __future__ import annotations

import typer

from admin_api.cli import (
    bot_cmd,
    config_cmd,
    db_cmd,
    demo_cmd,
    doctor_cmd,
    enrich_cmd,
    learn,
    nlp_cmd,
    score,
    serve_cmd,
    signals,
    slack_cmd,
    sync_cmd,
    up_cmd,
    worker_cmd,
)

app = typer.Typer(
    name="fellow",
    help="Fellow Learning Qualification: lead scoring that learns from Fellow calls and outcomes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(config_cmd.app, name="config")
app.add_typer(db_cmd.app, name="db")
app.add_typer(demo_cmd.app, name="demo")
app.add_typer(learn.app, name="learn")
app.add_typer(nlp_cmd.app, name="nlp")
app.add_typer(score.app)
app.add_typer(signals.app, name="signals")
app.add_typer(slack_cmd.app, name="slack")
app.add_typer(sync_cmd.app, name="sync")
app.add_typer(sync_cmd.ingest_app, name="ingest")
app.command("up")(up_cmd.up)
app.command("bot")(bot_cmd.bot)
app.command("enrich")(enrich_cmd.enrich)
app.command("serve")(serve_cmd.serve)
app.command("worker")(worker_cmd.worker)
app.command("doctor")(doctor_cmd.doctor)
