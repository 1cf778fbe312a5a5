"""Engine and session construction for SQLite (WAL, foreign keys on) and PostgreSQL."""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from store.errors import DatabaseUnavailableError

if TYPE_CHECKING:
    from sqlmodel import Session

CONNECT_TIMEOUT_SECONDS = 5
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def guard_sqlite_file(engine: Engine, path: Path) -> None:
    """Refuse to use a SQLite file deleted or replaced after this engine first opened it: open connections would
    keep writing to the unlinked inode, and a new connection would silently create an empty file (or revive one
    from a stale WAL), so rows would be acknowledged that no one can ever read again."""
    opened: list[tuple[int, int] | None] = []

    def refuse_if_changed(*_args: Any) -> None:
        if opened and _file_identity(path) != opened[0]:
            raise DatabaseUnavailableError(f"the SQLite file {path} was deleted or replaced while in use")

    def remember(_dbapi_connection: Any, _record: Any) -> None:
        if not opened:
            opened.append(_file_identity(path))

    event.listen(engine, "do_connect", refuse_if_changed)
    event.listen(engine, "connect", remember)
    event.listen(engine, "checkout", refuse_if_changed)


def make_engine(database_url: str) -> Engine:
    """Build an engine; SQLite files get their folder created, WAL mode and enforced foreign keys."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            path = Path(url.database).expanduser()
            path.parent.mkdir(parents=True, exist_ok=True)
            guard_sqlite_file(engine, path)
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


@contextmanager
def _unavailable_on_error(engine: Engine, refused: str, fallback: str, failed: str) -> Iterator[None]:
    """Turn a database error inside the block into DatabaseUnavailableError with a one-line reason: the driver's
    first line after `refused` for an OperationalError (`fallback` when it gives none), else `failed` and the type."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else fallback
        raise DatabaseUnavailableError(f"database {describe_url(engine)} {refused}: {reason}") from None
    except SQLAlchemyError as exc:
        raise DatabaseUnavailableError(f"database {describe_url(engine)} {failed}: {type(exc).__name__}") from None


def check_connection(engine: Engine) -> None:
    """Open one connection, raising DatabaseUnavailableError with a one-line reason if that fails."""
    with _unavailable_on_error(engine, "is unreachable", "connection failed", "failed"), engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def probe_write(engine: Engine) -> None:
    """Write and commit one row (the schema version, unchanged), raising DatabaseUnavailableError with a one-line
    reason when the database cannot be written (disk full, read-only, file deleted, connection lost)."""
    with _unavailable_on_error(engine, "cannot be written", "write failed", "write failed"), engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = version_num"))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    from sqlmodel import Session  # the ORM is loaded by commands that use it, not by `fellow db status`

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
