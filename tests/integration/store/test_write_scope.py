"""write_scope: SQLite writers in one process queue on a lock (not SQLite's sleeping busy handler); PostgreSQL
writers do not, and a failed write rolls back and releases the lock."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from store.db import write_scope
from store.tables import Company


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(Company.__table__)).scalar_one())  # type: ignore[attr-defined]


def test_concurrent_writers_all_commit_and_sqlite_writers_never_overlap(engine: Engine) -> None:
    inside, overlapped = [0], [False]
    guard = threading.Lock()

    def write(i: int) -> None:
        with write_scope(engine) as session:
            with guard:
                inside[0] += 1
                overlapped[0] |= inside[0] > 1
            session.add(Company(name=f"Co {i}", domain=f"co{i}.example"))
            session.flush()
            with guard:
                inside[0] -= 1

    threads = [threading.Thread(target=write, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _count(engine) == 12
    if engine.dialect.name == "sqlite":
        assert not overlapped[0]


def test_a_failed_write_rolls_back_and_frees_the_next_writer(engine: Engine) -> None:
    with pytest.raises(RuntimeError), write_scope(engine) as session:
        session.add(Company(name="Lost", domain="lost.example"))
        session.flush()
        raise RuntimeError("boom")
    with write_scope(engine) as session:
        session.add(Company(name="Kept", domain="kept.example"))
    assert _count(engine) == 1
