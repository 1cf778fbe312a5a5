"""A database that cannot be written fails loudly: the SQLite file deleted under a running server, the disk full
(SQLite's page limit), PostgreSQL gone: writes answer 503 (never 200 for a lost row, never 500), /ready turns
503 and says why only to callers with a key."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import bindparam, event, text
from sqlalchemy.engine import Engine, make_url

from tests.reliability.secured import auth

WRITES = iter(range(1_000_000))


def _write(server: str) -> httpx.Response:
    """A request that must store a new row (a company never scored before, so no cached answer)."""
    n = next(WRITES)
    return httpx.post(f"{server}/score", json={"company_name": f"Durable {n}", "domain": f"d{n}.example"},
                      headers=auth(), timeout=30)  # fmt: skip


def _assert_failing(server: str, engine: Engine) -> None:
    """Writes fail with a 503 (within a few: a row may still fit in a page's free space), every row acknowledged
    on the way is really stored, and /ready says the database is failing."""
    acknowledged: list[int] = []
    for _ in range(20):
        failed = _write(server)
        if failed.status_code != 200:
            break
        acknowledged.append(failed.json()["score_id"])
    assert failed.status_code == 503, failed.text
    if acknowledged:
        with engine.connect() as connection:
            query = text("SELECT id FROM score WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
            stored = connection.execute(query, {"ids": acknowledged})
            assert sorted(stored.scalars()) == sorted(acknowledged)
    assert failed.json()["error"]["code"] == "database_unavailable" and "Retry-After" in failed.headers
    public = httpx.get(f"{server}/ready")
    assert public.status_code == 503 and public.json() == {
        "status": "unavailable",
        "checks": {"database": {"ok": False}, "model": {"ok": True}},
    }
    detailed = httpx.get(f"{server}/ready", headers=auth())
    assert detailed.status_code == 503 and detailed.json()["checks"]["database"]["error"]
    assert httpx.get(f"{server}/health").status_code == 200, "liveness: the process is up, the database is not"


def test_sqlite_file_deleted_while_serving(sec_server: str, database_url: str, engine: Engine) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("a SQLite file")
    assert _write(sec_server).status_code == 200
    assert httpx.get(f"{sec_server}/ready").status_code == 200
    os.remove(Path(make_url(database_url).database or ""))
    failed = _write(sec_server)
    assert failed.status_code == 503, "the first write after the deletion fails: nothing can be stored"
    _assert_failing(sec_server, engine)


def test_sqlite_disk_full(sec_server: str, database_url: str, engine: Engine, sec_app: object) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's page limit stands in for a full disk")
    assert _write(sec_server).status_code == 200
    app_engine: Engine = sec_app.state.services.engine  # type: ignore[attr-defined]
    with app_engine.connect() as connection:
        pages = connection.execute(text("PRAGMA page_count")).scalar_one()

    def full_disk(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 4}")  # type: ignore[attr-defined]

    event.listen(app_engine, "connect", full_disk)
    app_engine.dispose()
    with app_engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS filler (blob TEXT)"))
    with pytest.raises(Exception, match="full"):  # fill what is left of the "disk", committing as we go
        for _ in range(1000):
            with app_engine.begin() as connection:
                connection.execute(text("INSERT INTO filler VALUES (:b)"), {"b": "x" * 1000})
    _assert_failing(sec_server, app_engine)
