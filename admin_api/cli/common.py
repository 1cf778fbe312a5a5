"""Shared CLI plumbing: one-line errors instead of tracebacks, and the objects commands need."""

from __future__ import annotations

import functools
import sys
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
    ValueError,
    LookupError,
)
FILE_ERRORS: tuple[type[OSError], ...] = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)


def _file_message(exc: OSError) -> str:
    """`cannot read FILE: reason` instead of Python's `[Errno 2] ...`."""
    reason = (exc.strerror or type(exc).__name__).lower()
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _database_failure(exc: Exception) -> str | None:
    """The one-line reason for a SQLAlchemy connection/operational failure, None for anything else (SQLAlchemy is
    looked up only if a command already loaded it, so light commands stay light)."""
    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.OperationalError | errors.InterfaceError):
        return None
    original = getattr(exc, "orig", None)
    lines = str(original or exc).strip().splitlines()
    return f"the database failed: {lines[0] if lines else type(exc).__name__}"


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
        except FILE_ERRORS as exc:
            raise fail(_file_message(exc)) from None
        except Exception as exc:
            reason = _database_failure(exc)
            if reason is None:
                raise
            raise fail(reason) from None

    return wrapper


def load_settings_for_cli() -> Settings:
    """Settings for a command, with logging configured from them."""
    settings = get_settings()
    configure_logging(settings)
    return settings


def open_database(settings: Settings, *, require_current: bool = True) -> Engine:
    """An engine for the configured database, refusing an unmigrated or newer schema when asked."""
    from store.db import check_connection, make_engine  # SQLAlchemy and Alembic load only for commands using them
    from store.migrate import ensure_current

    engine = make_engine(settings.database_url)
    if require_current:
        ensure_current(engine)
    else:
        check_connection(engine)
    return engine


def echo_json(data: Any) -> None:
    """Print JSON for scripts (sorted keys, non-JSON values as strings)."""
    import json

    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
