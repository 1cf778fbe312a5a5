"""The `fellow` command: one entry point for operators, each group in its own module.

Sub-commands are imported only when they are run: `fellow --help` lists them from the one-line summaries below
without importing any, and `fellow config show` never loads spaCy, LightGBM or scikit-learn. Every usage mistake
(unknown command at any level, unknown option, missing argument) is one line `error: ...` with exit status 2.
"""

from __future__ import annotations

import difflib
import importlib
import re
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

import typer
from typer import _click as click
from typer._click import exceptions as click_errors  # typer vendors click (as typer._click) since 0.2x
from typer.core import TyperCommand, TyperGroup

USAGE_EXIT = 2


class _Lazy(NamedTuple):
    """Where a sub-command lives (a Typer group `app`, a function, or one command of a Typer app) and its summary."""

    module: str
    attr: str
    summary: str
    command: str | None = None


# In `--help` order. `summary` is the one line `fellow --help` shows (the command's own --help says more).
SUBCOMMANDS: dict[str, _Lazy] = {
    "up": _Lazy("admin_api.cli.up_cmd", "up", "Migrate, seed if empty, train first models, serve API + worker."),
    "bot": _Lazy("admin_api.cli.bot_cmd", "bot", "Run the Slack bot over Socket Mode."),
    "enrich": _Lazy("admin_api.cli.enrich_cmd", "enrich", "Company enrichment: a domain, the queue, a CSV."),
    "serve": _Lazy("admin_api.cli.serve_cmd", "serve", "Serve the API, dashboard and Slack endpoints."),
    "worker": _Lazy("admin_api.cli.worker_cmd", "worker", "Run the scheduler and deliver outbox events."),
    "doctor": _Lazy("admin_api.cli.doctor_cmd", "doctor", "Check that everything works, end to end."),
    "config": _Lazy("admin_api.cli.config_cmd", "app", "Inspect configuration."),
    "db": _Lazy("admin_api.cli.db_cmd", "app", "Database schema management."),
    "demo": _Lazy("admin_api.cli.demo_cmd", "app", "Sample data."),
    "learn": _Lazy("admin_api.cli.learn", "app", "The learning loop: models, evaluation, drift, history import."),
    "nlp": _Lazy("admin_api.cli.nlp_cmd", "app", "Lexicon suggestions mined from outcomes and feedback."),
    "score": _Lazy("admin_api.cli.score", "app", "Score one lead described as JSON.", "score"),
    "qualify": _Lazy("admin_api.cli.qualify_cmd", "qualify", "Score a company or lead now and print its card."),
    "signals": _Lazy("admin_api.cli.signals", "app", "Call signals from Fellow notes, with evidence quotes."),
    "slack": _Lazy("admin_api.cli.slack_cmd", "app", "Slack app set-up and card preview."),
    "sync": _Lazy("admin_api.cli.sync_cmd", "app", "Sync with Salesforce and Fellow now."),
    "ingest": _Lazy("admin_api.cli.sync_cmd", "ingest_app", "Import exports (Fellow calls)."),
    "rescore": _Lazy("admin_api.cli.sync_cmd", "rescore", "Re-score open leads with the serving model."),
}


def load_command(name: str) -> click.Command | None:
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
    command.short_help = spec.summary
    return command


def _listing(name: str, spec: _Lazy) -> TyperCommand:
    """A stand-in carrying only the name and summary, so listing commands imports none of them."""
    return TyperCommand(name, short_help=spec.summary, help=spec.summary)


def _no_such_command(group: TyperGroup, ctx: click.Context, name: str) -> str:
    """The one-line message for an unknown sub-command of `group`, with the closest names."""
    close = difflib.get_close_matches(name, group.list_commands(ctx), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else f"; see `{ctx.command_path} --help`"
    where = f" in `{ctx.command_path}`" if ctx.parent is not None else ""
    return f"no such command {name!r}{where}{hint}"


_UNKNOWN_COMMAND = re.compile(r"No such command '(?P<name>[^']*)'")


def one_line(exc: typer.TyperException) -> str:
    """A usage error as one line: unknown commands get suggestions, the rest name the command's help."""
    message = exc.format_message().strip().splitlines()[0] if exc.format_message().strip() else type(exc).__name__
    ctx = getattr(exc, "ctx", None)
    if ctx is None:
        return message
    unknown = _UNKNOWN_COMMAND.match(message)
    if unknown and isinstance(ctx.command, TyperGroup):
        return _no_such_command(ctx.command, ctx, unknown["name"])
    return f"{message} (see `{ctx.command_path} --help`)"


class LazyGroup(TyperGroup):
    """A Typer group whose sub-commands are imported on first use, with one-line usage errors."""

    _listing_only = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every sub-command name, in help order."""
        return list(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The named sub-command, loaded from its module (a stand-in while help lists them)."""
        spec = SUBCOMMANDS.get(cmd_name)
        if spec is not None and self._listing_only:
            return _listing(cmd_name, spec)
        return load_command(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The top-level help, listing sub-commands by their summaries without importing them."""
        self._listing_only = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing_only = False

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An unknown command is one line `error: ...` with the closest names, and exit status 2 (no usage box)."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in SUBCOMMANDS:
            raise fail_usage(_no_such_command(self, ctx, name))
        return super().resolve_command(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command; in standalone mode click's usage boxes become one line `error: ...` and exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            outcome = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click_errors.NoArgsIsHelpError as exc:
            typer.echo(exc.ctx.get_help(), err=True)
            sys.exit(USAGE_EXIT)
        except typer.TyperException as exc:
            typer.secho(f"error: {one_line(exc)}", fg=typer.colors.RED, err=True)
            sys.exit(USAGE_EXIT)
        except typer.Abort:
            typer.secho("error: interrupted", fg=typer.colors.RED, err=True)
            sys.exit(130)
        sys.exit(outcome if isinstance(outcome, int) else 0)


def fail_usage(message: str) -> typer.Exit:
    """Print a one-line usage error on stderr and return the Exit (status 2) to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(USAGE_EXIT)


app = typer.Typer(name="fellow", cls=LazyGroup, no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def fellow() -> None:
    """Fellow Learning Qualification: lead scoring that learns from Fellow calls and outcomes."""
