"""A bounded TTL cache of API scores: the same input scored by the same model returns the stored score.

The bound is in bytes, not entries: a result with long evidence quotes is many times the size of one without, so an
entry count said nothing about memory (10,000 entries of Python objects took ~110 MB). Results are kept as their
compact JSON, counted with a fixed per-entry overhead, and parsed again on a hit."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from scoring.domain import ScoreResult

ENTRY_OVERHEAD_BYTES = 320  # key tuple and strings, the entry tuple, the bytes header and the OrderedDict link


@dataclass(frozen=True)
class CachedScore:
    """A stored score and its result."""

    score_id: int
    result: ScoreResult


class ScoreCache:
    """Maps (model version, input hash) to a stored score for `ttl_seconds`, holding at most `max_bytes`; least
    recently used evicted first."""

    def __init__(self, ttl_seconds: float, max_bytes: int) -> None:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.ttl_seconds = ttl_seconds
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[tuple[str, str], tuple[float, int, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, input_hash: str, now: float | None = None) -> CachedScore | None:
        """The cached score, or None when absent or expired (or caching is off)."""
        if self.ttl_seconds <= 0:
            return None
        now = time.monotonic() if now is None else now
        key = (version, input_hash)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if now - entry[0] >= self.ttl_seconds:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
        return CachedScore(entry[1], ScoreResult.model_validate_json(entry[2]))

    def put(self, version: str, input_hash: str, value: CachedScore, now: float | None = None) -> None:
        """Remember a stored score (not at all when its result alone exceeds the budget)."""
        if self.ttl_seconds <= 0:
            return
        now = time.monotonic() if now is None else now
        data = value.result.model_dump_json().encode()
        key = (version, input_hash)
        if _size(key, data) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (now, value.score_id, data)
            self.bytes += _size(key, data)
            while self.bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: tuple[str, str]) -> None:
        """Remove one entry and its bytes; caller holds the lock."""
        _, _, data = self._entries.pop(key)
        self.bytes -= _size(key, data)


def _size(key: tuple[str, str], data: bytes) -> int:
    return len(data) + len(key[0]) + len(key[1]) + ENTRY_OVERHEAD_BYTES
