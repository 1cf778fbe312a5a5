"""Clocks for the fakes: wall-clock UTC by default, or a manual clock tests move by hand."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Wall-clock now in UTC (the default clock)."""
    return datetime.now(UTC)


class ManualClock:
    """A clock tests move by hand, for deterministic timestamps (SystemModstamp, created_at...)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime(2024, 1, 1, tzinfo=UTC)).astimezone(UTC)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> datetime:
        """Move time forward and return the new now."""
        with self._lock:
            self._now += timedelta(seconds=seconds)
            return self._now
