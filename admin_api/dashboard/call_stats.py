"""Sentiment and follow-up figures for recent calls, read with the signal extractor in the background.

Reading notes is far slower than rendering a page, so pages show what has been read so far and start a
single background thread for the rest; each call is read once per (id, updated_at).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from structlog import get_logger

from nlp import SignalExtractor
from store.tables import Call

log = get_logger(__name__)


@dataclass(frozen=True)
class CallReading:
    """What the dashboard needs from one call's signals."""

    call_id: int
    started_at: datetime | None
    sentiment: float
    follow_up: bool


class CallReadings:
    """A per-process cache of call readings, filled by one background thread at a time."""

    def __init__(self, extractor: SignalExtractor, max_entries: int = 20_000) -> None:
        self.extractor = extractor
        self.max_entries = max_entries
        self._cache: dict[tuple[int, datetime], CallReading] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def read(self, calls: list[Call]) -> tuple[list[CallReading], int]:
        """Readings already available for these calls and how many are still pending (reading them starts)."""
        keys = [(call.id or 0, call.updated_at) for call in calls]
        with self._lock:
            found = [self._cache[key] for key in keys if key in self._cache]
            missing = [call for call, key in zip(calls, keys, strict=True) if key not in self._cache]
            if missing and (self._worker is None or not self._worker.is_alive()):
                self._worker = threading.Thread(target=self._fill, args=(missing,), name="call-readings", daemon=True)
                self._worker.start()
        return found, len(missing)

    def wait(self, timeout: float | None = None) -> None:
        """Block until the background reading finishes (tests, benchmarks)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    def _fill(self, calls: list[Call]) -> None:
        for call in calls:
            try:
                signals = self.extractor.extract(call.notes or "", call.title)
            except Exception as exc:  # one unreadable note must not stop the others
                log.warning("dashboard.call_unreadable", call_id=call.id, error_type=type(exc).__name__)
                continue
            with self._lock:
                if len(self._cache) >= self.max_entries:
                    self._cache.clear()
                self._cache[(call.id or 0, call.updated_at)] = CallReading(
                    call.id or 0, call.started_at, signals.sentiment, signals.next_meeting_scheduled
                )
