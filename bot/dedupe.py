"""A small thread-safe "seen recently" set: Bolt does not de-duplicate retried or double-sent requests."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RecentKeys:
    """Remembers keys for `ttl_seconds` (at most `capacity` of them); `first_time` is true once per key."""

    def __init__(self, ttl_seconds: float = 600.0, capacity: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self.ttl_seconds = ttl_seconds
        self.capacity = capacity
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, float] = OrderedDict()

    def first_time(self, key: str) -> bool:
        """True the first time a key is offered within the TTL, False for repeats."""
        now = self._clock()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) < now or len(self._seen) >= self.capacity):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now + self.ttl_seconds
            return True
