"""Rate-limited warnings for failures any client can cause, so junk traffic cannot flood the log."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from structlog import get_logger

DEFAULT_PER_MINUTE = 20


class ThrottledLog:
    """At most `per_minute` lines per event name a minute; the next line allowed says how many were dropped."""

    def __init__(self, name: str, *, per_minute: int = DEFAULT_PER_MINUTE, clock: Callable[[], float] = time.monotonic):
        self._log = get_logger(name)
        self._per_minute = per_minute
        self._clock = clock
        self._windows: dict[str, tuple[float, int, int]] = {}
        self._lock = threading.Lock()

    def warning(self, event: str, **fields: Any) -> bool:
        """Log one short warning unless this event's budget for the minute is spent; returns whether it logged."""
        now = self._clock()
        with self._lock:
            started, logged, dropped = self._windows.get(event, (now, 0, 0))
            if now - started >= 60:
                started, logged = now, 0
            if logged >= self._per_minute:
                self._windows[event] = (started, logged, dropped + 1)
                return False
            self._windows[event] = (started, logged + 1, 0)
        self._log.warning(event, **fields, **({"suppressed": dropped} if dropped else {}))
        return True
