"""Fault injection shared by the fakes: canned failures queued per endpoint, and per-endpoint delays."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

ANY_ENDPOINT = "*"


@dataclass(frozen=True)
class Fault:
    """A canned answer served instead of the real handler (status, body, headers), after `delay` seconds.

    `body` may be bytes/str (sent as is) or any JSON-serialisable value. A status of 0 means "no canned
    answer, only the delay": the real handler still runs (a slow but correct response).
    """

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def slow(seconds: float) -> Fault:
    """A fault that only delays the real response by `seconds`."""
    return Fault(status=0, delay=seconds)


class FaultPlan:
    """Thread-safe queues of faults per endpoint name; `ANY_ENDPOINT` matches every endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Fault]] = {}
        self._delays: dict[str, float] = {}

    def push(self, endpoint: str, fault: Fault, times: int = 1) -> None:
        """Serve `fault` for the next `times` calls of `endpoint` (after any faults already queued)."""
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._queues.setdefault(endpoint, deque()).extend([fault] * times)

    def set_delay(self, endpoint: str, seconds: float) -> None:
        """Delay every call of `endpoint` by `seconds` until reset (0 removes the delay)."""
        with self._lock:
            if seconds > 0:
                self._delays[endpoint] = seconds
            else:
                self._delays.pop(endpoint, None)

    def take(self, endpoint: str) -> tuple[Fault | None, float]:
        """Pop the next fault for `endpoint` (specific queue first, then `*`) and the standing delay."""
        with self._lock:
            fault = None
            for key in (endpoint, ANY_ENDPOINT):
                queue = self._queues.get(key)
                if queue:
                    fault = queue.popleft()
                    break
            delay = self._delays.get(endpoint, self._delays.get(ANY_ENDPOINT, 0.0))
        return fault, delay

    def pending(self, endpoint: str | None = None) -> int:
        """How many queued faults are still waiting (for one endpoint, or all)."""
        with self._lock:
            if endpoint is not None:
                return len(self._queues.get(endpoint, ()))
            return sum(len(q) for q in self._queues.values())

    def clear(self) -> None:
        """Drop every queued fault and standing delay."""
        with self._lock:
            self._queues.clear()
            self._delays.clear()
