"""The `fellow` command: one entry point for operators, each group in its own module.

Sub-commands are imported only when they are run (or listed by `--help`), so `fellow db upgrade` or `fellow
config show` start in about a second instead of loading spaCy, LightGBM and scikit-learn for commands they
never call.
"""

from __future__ import annotations

import difflib
import importlib
from typing import NamedTuple

import typer
from typer.core import TyperCommand, TyperGroup


class _Lazy(NamedTuple):
    """Where a sub-command lives: a Typer group (`app`) or, for a function, the command inside a Typer app."""

    module: str
    attr: str
    command: str | None = None


# In `--help` order. `command` names a command of a Typer app that is merged into the top level.
SUBCOMMANDS: dict[str, _Lazy] = {
    "up": _Lazy("admin_api.cli.up_cmd", "up"),
    "bot": _Lazy("admin_api.cli.bot_cmd", "bot"),
    "enrich": _Lazy("admin_api.cli.enrich_cmd", "enrich"),
    "serve": _Lazy("admin_api.cli.serve_cmd", "serve"),
    "worker": _Lazy("admin_api.cli.worker_cmd", "worker"),
    "doctor": _Lazy("admin_api.cli.doctor_cmd", "doctor"),
    "config": _Lazy("admin_api.cli.config_cmd", "app"),
    "db": _Lazy("admin_api.cli.db_cmd", "app"),
    "demo": _Lazy("admin_api.cli.demo_cmd", "app"),
    "learn": _Lazy("admin_api.cli.learn", "app"),
    "nlp": _Lazy("admin_api.cli.nlp_cmd", "app"),
    "score": _Lazy("admin_api.cli.score", "app", "score"),
    "qualify": _Lazy("admin_api.cli.qualify_cmd", "qualify"),
    "signals": _Lazy("admin_api.cli.signals", "app"),
    "slack": _Lazy("admin_api.cli.slack_cmd", "app"),
    "sync": _Lazy("admin_api.cli.sync_cmd", "app"),
    "ingest": _Lazy("admin_api.cli.sync_cmd", "ingest_app"),
    "rescore": _Lazy("admin_api.cli.sync_cmd", "rescore"),
}


def load_command(name: str) -> TyperCommand | TyperGroup | None:
    """The click command for a top-level sub-command, importing its module now; None for an unknown name."""
    spec = SUBCOMMANDS.get(name)
    if spec is None:
        return None
    target = getattr(importlib.import_module(spec.module), spec.attr)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        command = group if spec.command is None else group.commands[spec.command]
    else:
        single = typer.Typer()
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: typer.Context) -> list[str]:
        """Every sub-command name, in help order."""
        return list(SUBCOMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> TyperCommand | TyperGroup | None:
        """The named sub-command, loaded from its module."""
        return load_command(cmd_name)

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> tuple[str | None, TyperCommand | None, list[str]]:
        """An unknown command is one line `error: ...` with the closest names, and exit status 2 (no usage box)."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in SUBCOMMANDS:
            close = difflib.get_close_matches(name, list(SUBCOMMANDS), n=3, cutoff=0.6)
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "; see `fellow --help`"
            typer.secho(f"error: no such command {name!r}{hint}", fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        return super().resolve_command(ctx, args)


app = typer.Typer(name="fellow", cls=LazyGroup, no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def fellow() -> None:
    """Fellow Learning Qualification: lead scoring that learns from Fellow calls and outcomes."""
