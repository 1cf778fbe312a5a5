"""Engine and session construction for SQLite (WAL, foreign keys on) and PostgreSQL."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, create_engine

CONNECT_TIMEOUT_SECONDS = 5
SQLITE_BUSY_TIMEOUT_MS = 30_000


class DatabaseUnavailableError(RuntimeError):
    """The database cannot be reached or opened; the message says which and why, without credentials."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """Build an engine; SQLite files get their folder created, WAL mode and enforced foreign keys."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )


def describe_url(engine: Engine) -> str:
    """The engine's URL with any password hidden, for messages and logs."""
    return engine.url.render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Open one connection, raising DatabaseUnavailableError with a one-line reason if that fails."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "connection failed"
        raise DatabaseUnavailableError(f"database {describe_url(engine)} is unreachable: {reason}") from None
    except SQLAlchemyError as exc:
        raise DatabaseUnavailableError(f"database {describe_url(engine)} failed: {type(exc).__name__}") from None


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_WRITERS_GUARD = threading.Lock()


def _writer_lock(engine: Engine) -> threading.Lock | None:
    if engine.dialect.name != "sqlite":
        return None
    with _WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(engine, threading.Lock())


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """`session_scope` for a short write transaction on a hot path. SQLite takes one writer at a time and makes
    the others sleep and retry with growing back-off (long latency tails under concurrent requests), so on SQLite
    this process's threads queue on a lock instead; PostgreSQL writers run concurrently."""
    lock = _writer_lock(engine)
    with lock if lock is not None else nullcontext(), session_scope(engine) as session:
        yield session
