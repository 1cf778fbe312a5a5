"""Database failures during requests: a 503 with a short body (never a 500), one rate-limited log line, and a
memory of the last failure so /ready reports the database as failing while requests keep failing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from admin_api.api.errors import error_response
from config.log_throttle import ThrottledLog
from store.db import DatabaseUnavailableError

DATABASE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError, DatabaseUnavailableError)
RETRY_AFTER_SECONDS = 5
log = ThrottledLog(__name__)


class DatabaseFaults:
    """The most recent database failure seen by a request, remembered for `window_seconds`."""

    def __init__(self, window_seconds: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_seconds = window_seconds
        self._clock = clock
        self._last: tuple[float, str] | None = None
        self._lock = threading.Lock()

    def record(self, reason: str) -> None:
        """Remember a failure now."""
        with self._lock:
            self._last = (self._clock(), reason)

    def recent(self) -> str | None:
        """The reason of a failure within the window, else None."""
        with self._lock:
            if self._last is None or self._clock() - self._last[0] > self.window_seconds:
                return None
            return self._last[1]


def reason_of(exc: BaseException) -> str:
    """One line naming the failure, without SQL, parameters or credentials."""
    if isinstance(exc, DatabaseUnavailableError):
        return str(exc).splitlines()[0][:200]
    orig = getattr(exc, "orig", None)
    first = str(orig).strip().splitlines()[0][:160] if orig is not None and str(orig).strip() else ""
    return f"{type(orig or exc).__name__}: {first}" if first else type(orig or exc).__name__


async def _database_error(request: Request, exc: Exception) -> JSONResponse:
    reason = reason_of(exc)
    request.app.state.db_faults.record(reason)
    log.warning("api.database_unavailable", path=request.url.path, reason=reason)
    return error_response(
        503,
        "database_unavailable",
        "the database cannot be used right now; nothing was stored; retry later",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def install_database_errors(app: FastAPI) -> DatabaseFaults:
    """Answer database failures with 503 and remember them for /ready."""
    faults = DatabaseFaults()
    app.state.db_faults = faults
    for error in DATABASE_ERRORS:
        app.add_exception_handler(error, _database_error)
    return faults
