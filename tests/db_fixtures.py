"""Database fixtures: every DB test runs on SQLite and on PostgreSQL (a fresh schema per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from store.db import make_engine
from store.migrate import upgrade

POSTGRES_URL = os.environ.get("FELLOW_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("FELLOW_TEST_REQUIRE_POSTGRES") == "1"
_postgres_state: dict[str, str | None] = {}


def postgres_unavailable_reason() -> str | None:
    """None when PostgreSQL answers, else why not (checked once per test session)."""
    if "reason" not in _postgres_state:
        engine = make_engine(POSTGRES_URL)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            _postgres_state["reason"] = None
        except Exception as exc:  # any failure to connect means: no PostgreSQL here
            _postgres_state["reason"] = (
                f"PostgreSQL at {engine.url.render_as_string()} unreachable: {type(exc).__name__}"
            )
        finally:
            engine.dispose()
    return _postgres_state["reason"]


def _schema_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database URL: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'fellow.db'}"
        return
    reason = postgres_unavailable_reason()
    if reason is not None:
        if REQUIRE_POSTGRES:
            pytest.fail(f"{reason} (FELLOW_TEST_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated database engine on each backend."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on a migrated database; committed work is visible to other sessions."""
    with Session(engine, expire_on_commit=False) as session:
        yield session
