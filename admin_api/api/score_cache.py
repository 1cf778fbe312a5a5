"""A small bounded TTL cache of API scores: the same input scored by the same model returns the stored score."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from scoring.domain import ScoreResult


@dataclass(frozen=True)
class CachedScore:
    """A stored score and its result."""

    score_id: int
    result: ScoreResult


class ScoreCache:
    """Maps (model version, input hash) to a stored score for `ttl_seconds`; least recently used evicted first."""

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[str, str], tuple[float, CachedScore]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: str, input_hash: str, now: float | None = None) -> CachedScore | None:
        """The cached score, or None when absent or expired (or caching is off)."""
        if self.ttl_seconds <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            entry = self._entries.get((version, input_hash))
            if entry is None:
                return None
            if now - entry[0] >= self.ttl_seconds:
                del self._entries[(version, input_hash)]
                return None
            self._entries.move_to_end((version, input_hash))
            return entry[1]

    def put(self, version: str, input_hash: str, value: CachedScore, now: float | None = None) -> None:
        """Remember a stored score."""
        if self.ttl_seconds <= 0:
            return
        now = time.monotonic() if now is None else now
        with self._lock:
            self._entries[(version, input_hash)] = (now, value)
            self._entries.move_to_end((version, input_hash))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
