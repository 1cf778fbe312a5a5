"""Migrations: upgrade from empty, re-run is a no-op, unknown newer revisions are refused."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from store.db import DatabaseUnavailableError, check_connection, make_engine
from store.migrate import SchemaVersionError, current_revision, ensure_current, head_revision, upgrade

EXPECTED_TABLES = {
    "company", "lead", "call", "score", "feedback", "outcome", "model_version", "outbox_event", "sync_state",
    "job_run", "job_lock", "enrichment", "enrichment_request", "alembic_version",
}  # fmt: skip


def test_upgrade_from_empty_and_rerun_is_idempotent(database_url: str) -> None:
    engine = make_engine(database_url)
    with pytest.raises(SchemaVersionError, match="run `fellow db upgrade`"):
        ensure_current(engine)
    assert upgrade(engine) == (None, head_revision())
    assert upgrade(engine) == (head_revision(), head_revision())
    ensure_current(engine)
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    engine.dispose()


def test_database_at_a_newer_migration_is_refused(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    assert current_revision(engine) == "9999_future"
    with pytest.raises(SchemaVersionError, match="9999_future, which this code does not know"):
        upgrade(engine)
    with pytest.raises(SchemaVersionError, match="does not know"):
        ensure_current(engine)
    engine.dispose()


def test_unreachable_database_is_a_one_line_error() -> None:
    engine = make_engine("postgresql+psycopg://fellow:hunter2@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseUnavailableError) as error:
        check_connection(engine)
    message = str(error.value)
    assert "unreachable" in message and "hunter2" not in message and "\n" not in message


def test_sqlite_uses_wal_and_enforces_foreign_keys(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'fellow.db'}")
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
