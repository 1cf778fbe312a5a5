"""Shared CLI plumbing: one-line errors instead of tracebacks, and the objects commands need."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from config import Settings, SettingsError, get_settings
from config.logs import configure_logging
from store.errors import DatabaseUnavailableError, SchemaVersionError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

P = ParamSpec("P")
R = TypeVar("R")

EXPECTED_ERRORS: tuple[type[Exception], ...] = (
    SettingsError,
    DatabaseUnavailableError,
    SchemaVersionError,
    FileNotFoundError,
    ValueError,
    LookupError,
)


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected failures (bad config, unreachable DB, bad input) into one line and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except EXPECTED_ERRORS as exc:
            raise fail(str(exc)) from None

    return wrapper


def load_settings_for_cli() -> Settings:
    """Settings for a command, with logging configured from them."""
    settings = get_settings()
    configure_logging(settings)
    return settings


def open_database(settings: Settings, *, require_current: bool = True) -> Engine:
    """An engine for the configured database, refusing an unmigrated or newer schema when asked."""
    from store.db import make_engine  # SQLAlchemy and Alembic load only for commands that open the database
    from store.migrate import ensure_current

    engine = make_engine(settings.database_url)
    if require_current:
        ensure_current(engine)
    return engine


def echo_json(data: Any) -> None:
    """Print JSON for scripts (sorted keys, non-JSON values as strings)."""
    import json

    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
