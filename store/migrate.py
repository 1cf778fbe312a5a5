"""Schema migrations (Alembic) driven from code: upgrade, current revision, and version checks."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util.exc import CommandError
from sqlalchemy.engine import Engine

from store.db import check_connection, describe_url
from store.errors import SchemaVersionError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    """The migration scripts shipped with this code, parsed once per process (readiness checks ask often)."""
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    """The newest migration this code knows."""
    head = _scripts().get_current_head()
    if head is None:
        raise SchemaVersionError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _check_known(engine: Engine, revision: str | None) -> None:
    if revision is None:
        return
    try:
        known = _scripts().get_revision(revision) is not None
    except (CommandError, ResolutionError):
        known = False
    if not known:
        raise SchemaVersionError(
            f"database {describe_url(engine)} is at migration {revision}, which this code does not know "
            f"(newest known: {head_revision()}); upgrade the application before using this database"
        )


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate the database to the newest revision; returns (before, after). Safe to re-run."""
    check_connection(engine)
    before = current_revision(engine)
    _check_known(engine, before)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, current_revision(engine) or head_revision()


def ensure_current(engine: Engine) -> None:
    """Refuse to run against a database that is unmigrated, behind, or ahead of this code."""
    check_connection(engine)
    revision = current_revision(engine)
    _check_known(engine, revision)
    if revision != head_revision():
        raise SchemaVersionError(
            f"database {describe_url(engine)} is at migration {revision or 'none'}, code expects "
            f"{head_revision()}; run `fellow db upgrade`"
        )
